using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Audit;
using Portal.Data.Entries;
using Portal.Data.Lifecycle;
using Portal.Data.Persistence;
using Portal.Data.Privacy;
using Portal.Web.Search;

namespace Portal.Web.Import;

public sealed record ImportLineError(int Line, string Message)
{
    public override string ToString() => $"第{Line}行：{Message}";
}

public sealed record ImportReport(int Imported, IReadOnlyList<ImportLineError> Rejected)
{
    /// <summary>0 when every line was imported, 2 when some were rejected.</summary>
    public int ExitCode => Rejected.Count == 0 ? 0 : 2;
}

/// <summary>One line of input: either an entry or why it could not be read.</summary>
public sealed record ImportLine(int Line, EntryInput? Input, string? ReadError);

/// <summary>
/// Validates entries and writes the good ones in transactions of <see cref="BatchSize"/>: an entry is either
/// wholly stored or not at all, and the index follows each committed batch.
/// </summary>
public sealed class EntryImporter(IDbContextFactory<PortalDbContext> dbFactory, IdNumberProtection protection, IndexSync indexSync, Courts.CourtRegistry courts,
    TimeProvider clock)
{
    public const int BatchSize = 1000;

    public static IEnumerable<ImportLine> ReadJsonLines(TextReader reader)
    {
        var n = 0;
        while (reader.ReadLine() is { } line)
        {
            n++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            EntryInput? input = null;
            string? error = null;
            try
            {
                input = JsonSerializer.Deserialize<EntryInput>(line, EntryInput.JsonOptions);
                if (input is null) error = "不是一个JSON对象";
            }
            catch (JsonException ex)
            {
                error = $"JSON格式错误：{ex.Message.Split(" Path:")[0]}";
            }
            catch (FormatException)
            {
                error = "JSON中的金额格式错误";
            }
            yield return new ImportLine(n, input, error);
        }
    }

    /// <param name="history">Also write each removed entry's removal event at its own time (demo data: removals spread over the
    /// years, as the statistics of a real list show them), before the batch's events of today.</param>
    public async Task<ImportReport> ImportAsync(IEnumerable<ImportLine> lines, Action<int>? progress = null, CancellationToken ct = default, string actor = "import",
        bool history = false)
    {
        var rejected = new List<ImportLineError>();
        var imported = 0;
        var seen = new HashSet<string>();
        var batch = new List<(int Line, Entry Entry)>();
        var processed = 0;

        foreach (var line in lines)
        {
            ct.ThrowIfCancellationRequested();
            processed++;
            if (line.ReadError is not null) { rejected.Add(new(line.Line, line.ReadError)); continue; }
            var result = EntryValidation.Validate(line.Input!, protection, clock.GetUtcNow().UtcDateTime, courts.Current);
            if (!result.IsValid)
            {
                rejected.Add(new(line.Line, string.Join("；", result.Errors)));
                continue;
            }
            if (!seen.Add(IdentityKey(result.Entry!)))
            {
                rejected.Add(new(line.Line, "与本文件中前面的一行重复（同一案号下的同一被执行人）"));
                continue;
            }
            batch.Add((line.Line, result.Entry!));
            if (batch.Count >= BatchSize)
            {
                imported += await WriteBatchAsync(batch, rejected, actor, history, ct);
                batch.Clear();
                progress?.Invoke(processed);
            }
        }
        if (batch.Count > 0) imported += await WriteBatchAsync(batch, rejected, actor, history, ct);
        progress?.Invoke(processed);
        rejected.Sort((a, b) => a.Line.CompareTo(b.Line));
        return new ImportReport(imported, rejected);
    }

    private static EntryAction? RemovalOf(EntryStatus status) => status switch
    {
        EntryStatus.Shielded => EntryAction.Shielded,
        EntryStatus.Revoked => EntryAction.Revoked,
        EntryStatus.Expired => EntryAction.Expired,
        _ => null,
    };

    /// <summary>The same debtor under the same case number is one entry.</summary>
    private static string IdentityKey(Entry e) => $"{e.CaseNumberKey}|{e.IdNumberHash ?? e.CreditCode ?? e.Name}";

    private async Task<int> WriteBatchAsync(List<(int Line, Entry Entry)> batch, List<ImportLineError> rejected, string actor, bool history, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var caseKeys = batch.Select(b => b.Entry.CaseNumberKey).Distinct().ToList();
        var existing = (await db.Entries.AsNoTracking()
                .Where(e => caseKeys.Contains(e.CaseNumberKey))
                .Select(e => new { e.CaseNumberKey, e.IdNumberHash, e.CreditCode, e.Name })
                .ToListAsync(ct))
            .Select(e => $"{e.CaseNumberKey}|{e.IdNumberHash ?? e.CreditCode ?? e.Name}")
            .ToHashSet();
        var fresh = new List<Entry>();
        foreach (var (line, entry) in batch)
        {
            if (existing.Contains(IdentityKey(entry))) rejected.Add(new(line, $"数据库中已有该案号（{entry.CaseNumber}）下的同一被执行人"));
            else fresh.Add(entry);
        }
        await using (var tx = await DatabaseProvider.BeginSerializedAsync(db, ct))
        {
            db.Entries.AddRange(fresh);
            await db.SaveChangesAsync(ct); // assigns the ids the audit records and events refer to
            var now = clock.GetUtcNow().UtcDateTime;
            var today = ChinaTime.DateOf(now);
            await AuditLog.AppendAsync(db, fresh.Select(e => new AuditRecord
            {
                At = now, Actor = actor, Action = "create", EntryId = e.Id, CaseNumber = e.CaseNumber,
                Changes = AuditRecord.CreationJson(EntrySnapshot.Of(e), "caseNumber", "name", "idNumber", "creditCode", "court", "status"),
            }).ToList(), ct);
            if (history)
                db.EntryEvents.AddRange(fresh.Where(e => e is { PublishedAt: not null, RemovedAt: not null } && RemovalOf(e.Status) is not null).OrderBy(e => e.RemovedAt)
                    .Select(e => Lifecycle.EntryActions.EventFor(e, RemovalOf(e.Status)!.Value, e.RemovedAt!.Value)));
            db.EntryEvents.AddRange(fresh.Where(e => e.IsPublic(today)).Select(e => Lifecycle.EntryActions.EventFor(e, EntryAction.Published, now)));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        await indexSync.RefreshAsync(fresh, ct);
        return fresh.Count;
    }
}
