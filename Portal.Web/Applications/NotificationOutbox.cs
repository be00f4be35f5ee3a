using System.ComponentModel.DataAnnotations;
using System.Net.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data.Applications;
using Portal.Data.Persistence;
using Portal.Data.Privacy;
using Portal.Web.Hosting;

namespace Portal.Web.Applications;

/// <summary>The <c>Notifications</c> configuration section.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary><c>File</c> (every message written to <c>&lt;data&gt;/outbox/</c>) or <c>Smtp</c> (email by SMTP; phone contacts still to the file, there is no SMS gateway).</summary>
    [RegularExpression("^(File|Smtp)$")] public string Sender { get; set; } = "File";

    [Range(1, 50)] public int MaxAttempts { get; set; } = 6;
    [Range(0.01, 86_400)] public double RetryBaseSeconds { get; set; } = 30;
    [Range(0.01, 3600)] public double PollSeconds { get; set; } = 2;
    [Range(2, 3600)] public double LeaseSeconds { get; set; } = 120;

    /// <summary>
    /// Hours a message file stays in <c>&lt;data&gt;/outbox/</c> for an SMS gateway to collect (a gateway deletes what it
    /// took); older ones are deleted, so that applicants' phone numbers and addresses are not kept in clear.
    /// </summary>
    [Range(0.01, 8760)] public double OutboxRetentionHours { get; set; } = 24;

    public SmtpSettings Smtp { get; set; } = new();

    public sealed class SmtpSettings
    {
        public string? Host { get; set; }
        [Range(1, 65535)] public int Port { get; set; } = 25;
        public bool EnableSsl { get; set; } = true;
        public string From { get; set; } = "noreply@localhost";
        public string? UserName { get; set; }
        public string? Password { get; set; }
    }
}

public sealed record OutgoingMessage(long Id, ContactChannel Channel, string To, string Subject, string Body);

/// <summary>Delivers one message; throws when it could not (the outbox retries).</summary>
public interface INotificationSender
{
    Task SendAsync(OutgoingMessage message, CancellationToken ct);
}

/// <summary>
/// Writes each message as a file into the data directory's <c>outbox</c> folder (owner-only, like the rest of it), for a
/// gateway to collect; what no gateway collected is deleted after <see cref="NotificationOptions.OutboxRetentionHours"/>.
/// </summary>
public sealed class FileNotificationSender(DataDirectoryState directory) : INotificationSender
{
    public string Folder => Path.Combine(directory.Path, "outbox");

    /// <summary>Deletes message files written before <paramref name="before"/>; returns how many.</summary>
    public int DeleteWrittenBefore(DateTime before)
    {
        if (!Directory.Exists(Folder)) return 0;
        var old = Directory.GetFiles(Folder, "*.txt").Where(f => File.GetLastWriteTimeUtc(f) < before).ToList();
        foreach (var file in old) File.Delete(file);
        return old.Count;
    }

    public async Task SendAsync(OutgoingMessage m, CancellationToken ct)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, $"{m.Id:D8}.txt");
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, $"To: {m.To} ({(m.Channel == ContactChannel.Email ? "email" : "phone")})\nSubject: {m.Subject}\n\n{m.Body}\n", ct);
        File.Move(temp, path, overwrite: true); // the same message sent again (after a lost acknowledgement) replaces itself
    }
}

/// <summary>Email by SMTP; phone numbers go to the file sender (no SMS gateway is configured).</summary>
public sealed class SmtpNotificationSender(IOptions<NotificationOptions> options, FileNotificationSender file) : INotificationSender
{
    public async Task SendAsync(OutgoingMessage m, CancellationToken ct)
    {
        if (m.Channel != ContactChannel.Email) { await file.SendAsync(m, ct); return; }
        var o = options.Value.Smtp;
        using var client = new SmtpClient(o.Host ?? throw new InvalidOperationException("Notifications:Smtp:Host is not set"), o.Port) { EnableSsl = o.EnableSsl };
        if (o.UserName is not null) client.Credentials = new System.Net.NetworkCredential(o.UserName, o.Password);
        using var mail = new MailMessage(o.From, m.To, m.Subject, m.Body) { SubjectEncoding = System.Text.Encoding.UTF8, BodyEncoding = System.Text.Encoding.UTF8 };
        await client.SendMailAsync(mail, ct);
    }
}

/// <summary>
/// Sends what applications queued for their applicants: claims due messages (pushing their next attempt past a lease,
/// so that one node sends each), sends them, and retries a failure with doubling waits until the last attempt marks it
/// dead. The contact is decrypted only to send.
/// </summary>
public sealed class NotificationOutbox(
    IDbContextFactory<PortalDbContext> dbFactory,
    INotificationSender sender,
    FileNotificationSender files,
    IIdNumberCipher cipher,
    IOptions<NotificationOptions> options,
    PortalReadiness readiness,
    TimeProvider clock,
    ILogger<NotificationOutbox> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (readiness.IsReady) await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException) { logger.LogError(ex, "Sending notifications failed"); }
            await Task.Delay(TimeSpan.FromSeconds(options.Value.PollSeconds), stoppingToken);
        }
    }

    /// <summary>
    /// Sends every due message once, and deletes message files no gateway collected in time. Returns how many were sent.
    /// A message sent or given up keeps no contact: only a retry would need it.
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken ct = default)
    {
        var o = options.Value;
        if (files.DeleteWrittenBefore(clock.GetUtcNow().UtcDateTime.AddHours(-o.OutboxRetentionHours)) is > 0 and var deleted)
            logger.LogWarning("{Count} message files in the outbox were not collected within {Hours} hours and were deleted", deleted, o.OutboxRetentionHours);
        List<Notification> due;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        await using (var tx = await DatabaseProvider.BeginSerializedAsync(db, ct))
        {
            var now = clock.GetUtcNow().UtcDateTime;
            due = await db.Notifications.Where(n => n.SentAt == null && !n.Dead && n.NextAttemptAt <= now).OrderBy(n => n.Id).Take(100).ToListAsync(ct);
            foreach (var n in due)
            {
                n.Attempts++;
                n.NextAttemptAt = now.AddSeconds(o.LeaseSeconds);
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        var sent = 0;
        foreach (var n in due)
        {
            string? error = null;
            var to = cipher.Decrypt(n.ContactCipher);
            try { await sender.SendAsync(new OutgoingMessage(n.Id, n.Channel, to, n.Subject, n.Body), ct); }
            catch (Exception ex) when (ex is not OperationCanceledException) { error = (ex.GetType().Name + ": " + ex.Message).Replace(to, "***"); } // kept without the contact
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var row = await db.Notifications.SingleAsync(x => x.Id == n.Id, ct);
            var now = clock.GetUtcNow().UtcDateTime;
            if (error is null) { row.SentAt = now; row.LastError = null; row.ContactCipher = ""; sent++; }
            else
            {
                row.LastError = error.Length > 500 ? error[..500] : error;
                if (row.Attempts >= o.MaxAttempts) (row.Dead, row.ContactCipher) = (true, "");
                else row.NextAttemptAt = now.AddSeconds(o.RetryBaseSeconds * Math.Pow(2, row.Attempts - 1));
                logger.LogWarning("Notification {Id} attempt {Attempt} failed ({Type}){Dead}", n.Id, row.Attempts, error.Split(':')[0], row.Dead ? "; no further attempts" : "");
            }
            await db.SaveChangesAsync(ct);
        }
        return sent;
    }
}
