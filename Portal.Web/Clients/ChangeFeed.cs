using Microsoft.EntityFrameworkCore;
using Portal.Data.Calendar;
using Portal.Data.Clients;
using Portal.Data.Entries;
using Portal.Data.Lifecycle;
using Portal.Data.Persistence;
using Portal.Data.Publication;

namespace Portal.Web.Clients;

/// <summary>
/// One change to the public list, as the feed and webhooks carry it. Published, updated and re-published events carry
/// the entry's public fields as they are now (null when it is no longer public: a later removal event follows); removal
/// events carry only what identifies the entry, the time and the reprinters' takedown deadline.
/// </summary>
public sealed record FeedEvent(
    long Cursor,
    string Action,
    DateTime At,
    string PublicId,
    string CaseNumber,
    string Court,
    PublicEntry? Entry,
    DateTime? RevokedAt,
    DateOnly? TakedownDueOn);

/// <summary>A page of the feed; <see cref="Next"/> is the cursor to ask after next time.</summary>
/// <summary>What an export is narrowed to: province, court, and the China-time days of publication (inclusive).</summary>
public sealed record ExportFilter(string? Province, string? Court, DateOnly? PublishedFrom, DateOnly? PublishedTo);

public sealed record FeedPage(IReadOnlyList<FeedEvent> Events, long Next, bool HasMore)
{
    /// <summary>The entries whose public fields this page carried (internal ids, not serialized).</summary>
    [System.Text.Json.Serialization.JsonIgnore] public IReadOnlyCollection<long> Delivered { get; init; } = [];
}

/// <summary>The change feed: events in commit order; replaying it from cursor 0 and upserting/deleting by publicId gives today's public list.</summary>
public sealed class ChangeFeed(IDbContextFactory<PortalDbContext> dbFactory, WorkingDayCalendar calendar, TakedownLedger ledger, TimeProvider clock)
{
    public const int MaxLimit = 1000;

    public async Task<FeedPage> ReadAsync(long after, int limit, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var events = await db.EntryEvents.AsNoTracking().Where(e => e.Id > after).OrderBy(e => e.Id).Take(limit + 1).ToListAsync(ct);
        var hasMore = events.Count > limit;
        if (hasMore) events.RemoveAt(events.Count - 1);
        var (items, delivered) = await DescribeAsync(db, events, ct);
        return new FeedPage(items, events.Count > 0 ? events[^1].Id : after, hasMore) { Delivered = delivered };
    }

    /// <summary>The newest event's cursor: where a client that took a snapshot now continues.</summary>
    public async Task<long> CursorAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.EntryEvents.MaxAsync(e => (long?)e.Id, ct) ?? 0;
    }

    /// <summary>Today's public list in batches of 1,000, keyset-paged so that a million entries stream in constant memory.</summary>
    public async IAsyncEnumerable<IReadOnlyList<(long EntryId, PublicEntry Entry)>> SnapshotAsync(ExportFilter? filter = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var today = ChinaTime.Today(clock);
        long after = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var query = db.Entries.AsNoTracking().Where(EntryVisibility.IsPublicOn(today)).Where(e => e.Id > after);
            if (filter?.Province is { } province) query = query.Where(e => e.Province == province);
            if (filter?.Court is { } court) query = query.Where(e => e.Court == court);
            if (filter?.PublishedFrom is { } from) { var start = ChinaTime.StartOf(from); query = query.Where(e => e.PublishedAt >= start); }
            if (filter?.PublishedTo is { } to) { var end = ChinaTime.StartOf(to.AddDays(1)); query = query.Where(e => e.PublishedAt < end); }
            var batch = await query.OrderBy(e => e.Id).Take(1000).ToListAsync(ct);
            if (batch.Count == 0) yield break;
            after = batch[^1].Id;
            yield return batch.Select(e => (e.Id, PublicEntry.From(e, today))).ToList();
        }
    }

    /// <summary>Reads a page for a client; for a reprinter, records which entries it received (its takedown duty).</summary>
    public async Task<FeedPage> ReadForAsync(long clientId, ClientKind kind, long after, int limit, string via, CancellationToken ct = default)
    {
        var page = await ReadAsync(after, limit, ct);
        if (kind.KeepsCopies()) await ledger.RecordReceiptsAsync(clientId, page.Delivered, via, ct);
        return page;
    }

    public async Task<(IReadOnlyList<FeedEvent> Events, IReadOnlyCollection<long> Delivered)> DescribeAsync(
        PortalDbContext db, IReadOnlyList<EntryEvent> events, CancellationToken ct)
    {
        var today = ChinaTime.Today(clock);
        var wanted = events.Where(e => !e.IsRemoval).Select(e => e.EntryId).Distinct().ToList();
        var entries = new Dictionary<long, PublicEntry>();
        foreach (var chunk in wanted.Chunk(500))
            foreach (var entry in await db.Entries.AsNoTracking().Where(e => chunk.Contains(e.Id)).ToListAsync(ct))
                if (entry.IsPublic(today)) entries[entry.Id] = PublicEntry.From(entry, today);
        var described = events.Select(e => new FeedEvent(e.Id, e.Action.Code(), e.At, e.PublicId, e.CaseNumber, e.Court,
            e.IsRemoval ? null : entries.GetValueOrDefault(e.EntryId),
            e.RevokedAt,
            e.IsRemoval ? TakedownLedger.DueFor(calendar, e.At).Due : null)).ToList();
        return (described, events.Where(e => !e.IsRemoval && entries.ContainsKey(e.EntryId)).Select(e => e.EntryId).ToHashSet());
    }
}
