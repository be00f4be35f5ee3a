using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data.Courts;
using Portal.Data.Entries;
using Portal.Data.Persistence;
using Portal.Data.Publication;

namespace Portal.Web.Screens;

/// <summary>What one screen shows of an entry: a few fields of its public projection, the ID number masked.</summary>
public sealed record ScreenItem(string PublicId, string Name, string SubjectType, string? IdNumberMasked, string? CreditCode,
    string CaseNumber, string Court, PublicPart? UnperformedPart, DateTime? PublishedAt)
{
    public static ScreenItem Of(PublicEntry e) =>
        new(e.PublicId, e.Name, e.SubjectType, e.IdNumberMasked, e.CreditCode, e.CaseNumber, e.Court, e.UnperformedPart, e.PublishedAt);
}

public sealed record ScreenCourt(string Code, string Name, string Label);

/// <summary>
/// One screen of a court's current public entries (its own and those of every court below it), newest first, and how
/// long to show it before asking for <see cref="NextPage"/>.
/// </summary>
public sealed record CourtScreen(ScreenCourt Court, IReadOnlyList<ScreenItem> Items, int Page, int PageCount, int Total,
    int PerScreen, int RefreshSeconds, DateTime AsOf)
{
    /// <summary>The screen after this one, back to the first after the last.</summary>
    public int NextPage => Page >= PageCount ? 1 : Page + 1;
}

/// <summary>
/// The screens of courts' outdoor LED displays and kiosks: read from the database through the one public rule
/// (<see cref="EntryVisibility"/>) at every request, so an entry removed a moment ago is not on the next screen.
/// </summary>
public sealed class CourtScreens(IDbContextFactory<PortalDbContext> dbFactory, Courts.CourtRegistry courts, IOptions<DisplayOptions> options, TimeProvider clock)
{
    public const int MaxPerScreen = 20;

    /// <summary>
    /// The <paramref name="page"/>-th screen (past the last it wraps around) with <paramref name="per"/> entries (the
    /// configured number when null), and the entries' ids for a display operator's receipts; null when the directory has
    /// no court with this code.
    /// </summary>
    public async Task<(CourtScreen Screen, IReadOnlyList<long> EntryIds)?> ShowAsync(string courtCode, int? page, int? per, CancellationToken ct = default)
    {
        var directory = courts.Current;
        if (directory.ByCode(courtCode) is not { } court) return null;
        var view = CourtView.Under(directory, court.Code);
        var size = Math.Clamp(per ?? options.Value.EntriesPerScreen, 1, MaxPerScreen);
        var now = clock.GetUtcNow().UtcDateTime;
        var today = ChinaTime.DateOf(now);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = view.Filter(db.Entries.AsNoTracking().Where(EntryVisibility.IsPublicOn(today)));
        var total = await query.CountAsync(ct);
        var pageCount = Math.Max(1, (total + size - 1) / size);
        var shown = (Math.Max(page ?? 1, 1) - 1) % pageCount + 1;
        var rows = await query.OrderByDescending(e => e.PublishedAt).ThenByDescending(e => e.Id).Skip((shown - 1) * size).Take(size).ToListAsync(ct);
        var screen = new CourtScreen(new ScreenCourt(court.Code, court.Name, view.Label ?? court.Name),
            rows.Select(e => ScreenItem.Of(PublicEntry.From(e, today))).ToList(), shown, pageCount, total, size,
            Math.Min(options.Value.RefreshSeconds, DisplayOptions.MaxRefreshSeconds), now);
        return (screen, rows.Select(e => e.Id).ToList());
    }
}
