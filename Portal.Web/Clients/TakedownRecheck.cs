using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data.Clients;
using Portal.Data.Entries;
using Portal.Data.Persistence;
using Portal.Web.Hosting;

namespace Portal.Web.Clients;

/// <summary>The <c>TakedownRecheck</c> configuration section.</summary>
public sealed class RecheckOptions
{
    public const string Section = "TakedownRecheck";

    public bool Enabled { get; set; } = true;
    [Range(1, 10_080)] public int IntervalMinutes { get; set; } = 60;
    [Range(1, 120)] public double TimeoutSeconds { get; set; } = 15;
}

/// <summary>
/// After a takedown deadline has passed, fetches the reprinter's page for the entry (from the URL pattern it registered)
/// and records whether the case number is still shown. A 404 or 410 counts as removed; an unreachable page is noted.
/// </summary>
public sealed class TakedownRecheck(
    IDbContextFactory<PortalDbContext> dbFactory,
    IHttpClientFactory httpFactory,
    IOptions<RecheckOptions> options,
    PortalReadiness readiness,
    TimeProvider clock,
    ILogger<TakedownRecheck> logger) : BackgroundService
{
    public const string HttpClientName = "takedown-recheck";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (readiness.IsReady) await CheckDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException) { logger.LogError(ex, "Takedown re-check failed"); }
            await Task.Delay(TimeSpan.FromMinutes(options.Value.IntervalMinutes), stoppingToken);
        }
    }

    /// <summary>Checks every notice past its deadline that was not checked yet. Returns how many were checked.</summary>
    public async Task<int> CheckDueAsync(CancellationToken ct = default)
    {
        var today = ChinaTime.Today(clock);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var due = await (from n in db.TakedownNotices
                         join c in db.ApiClients on n.ClientId equals c.Id
                         where n.CheckedAt == null && n.DueOn < today && c.PageUrlPattern != null
                         orderby n.Id
                         select new { Notice = n, c.PageUrlPattern }).Take(500).ToListAsync(ct);
        foreach (var item in due)
        {
            var notice = item.Notice;
            var url = PageUrl(item.PageUrlPattern!, notice);
            try
            {
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
                cts.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
                using var response = await httpFactory.CreateClient(HttpClientName).GetAsync(url, cts.Token);
                if (response.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Gone)
                    (notice.StillShown, notice.CheckNote) = (false, $"页面返回 {(int)response.StatusCode}");
                else if (!response.IsSuccessStatusCode)
                    (notice.StillShown, notice.CheckNote) = (null, $"页面返回 {(int)response.StatusCode}，无法判断");
                else
                {
                    var shown = Shows(await response.Content.ReadAsStringAsync(cts.Token), notice.CaseNumber);
                    (notice.StillShown, notice.CheckNote) = (shown, shown ? "页面仍显示该案号" : "页面已不显示该案号");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                (notice.StillShown, notice.CheckNote) = (null, "无法访问：" + (ex.Message.Length > 200 ? ex.Message[..200] : ex.Message));
            }
            notice.CheckedAt = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
        }
        return due.Count;
    }

    public static string PageUrl(string pattern, TakedownNotice n) => pattern
        .Replace("{publicId}", Uri.EscapeDataString(n.PublicId))
        .Replace("{caseNumber}", Uri.EscapeDataString(n.CaseNumber));

    /// <summary>Whether a page's text contains the case number in any bracket or width form (and not as the start of a longer number).</summary>
    public static bool Shows(string page, string caseNumber)
    {
        var text = CaseNumber.Key(page);
        var key = CaseNumber.Key(caseNumber);
        for (var at = text.IndexOf(key, StringComparison.Ordinal); at >= 0; at = text.IndexOf(key, at + 1, StringComparison.Ordinal))
        {
            var next = at + key.Length;
            if (next >= text.Length || !char.IsAsciiDigit(text[next])) return true;
        }
        return false;
    }
}
