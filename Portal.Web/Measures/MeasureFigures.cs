using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Entries;
using Portal.Data.Measures;
using Portal.Data.Persistence;
using Portal.Web.Newsroom;

namespace Portal.Web.Measures;

/// <summary>Measures applied and lift notices issued and confirmed in one month (China time).</summary>
public sealed record MeasureMonth(string Month, int Applied, int LiftNotices, int Lifted);

/// <summary>Per kind of measure or per category of unit: applied (not withdrawn), in force now, lifted, and lifted on time.</summary>
public sealed record MeasureTally(string Key, string Label, int Applied, int InForce, int Lifted, int OnTime);

/// <summary>How long units take to lift: calendar days from the removal's day to the lifting, and the share within the due day.</summary>
public sealed record LiftDelay(int Notices, int Lifted, int Late, int Overdue, int Open, double MedianDays, double P90Days, double OnTimeShare);

/// <summary>The joint-punishment loop counted: numbers only, no subject, no entry, no unit's reference.</summary>
public sealed record MeasureStatistics(DateTime ComputedAt, IReadOnlyList<MeasureMonth> Months, IReadOnlyList<MeasureTally> ByKind,
    IReadOnlyList<MeasureTally> ByCategory, LiftDelay Delay);

/// <summary>The statistics page's measures section, its tables and CSV files. Recomputed at most once a minute.</summary>
public sealed class MeasureFigures(IDbContextFactory<PortalDbContext> dbFactory, MeasureKinds kinds, TimeProvider clock)
{
    public const string Months = "measures-months", Kinds = "measures-kinds", Categories = "measures-categories", Delay = "measures-lift-delay";

    private static readonly TimeSpan Fresh = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _computing = new(1, 1);
    private MeasureStatistics? _cached;

    public async Task<MeasureStatistics> StatisticsAsync(CancellationToken ct = default)
    {
        if (_cached is { } hit && clock.GetUtcNow().UtcDateTime - hit.ComputedAt < Fresh) return hit;
        await _computing.WaitAsync(ct);
        try
        {
            if (_cached is { } again && clock.GetUtcNow().UtcDateTime - again.ComputedAt < Fresh) return again;
            return _cached = await ComputeAsync(ct);
        }
        finally { _computing.Release(); }
    }

    private async Task<MeasureStatistics> ComputeAsync(CancellationToken ct)
    {
        var catalogue = await kinds.AllAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var today = ChinaTime.DateOf(now);
        // Only the columns the figures need: never a subject, an entry or a unit's reference.
        var measures = await (from m in db.Measures.AsNoTracking()
                              join c in db.ApiClients.AsNoTracking() on m.ClientId equals c.Id
                              where m.Status != MeasureStatus.Withdrawn
                              select new Counted(m.Id, m.MeasureCode, m.AppliedOn, m.Status, c.Category)).ToListAsync(ct);
        var lifts = await db.MeasureLifts.AsNoTracking().Select(l => new MeasureLift { MeasureId = l.MeasureId, NoticeAt = l.NoticeAt, DueOn = l.DueOn, LiftedOn = l.LiftedOn })
            .ToListAsync(ct);
        var liftOf = lifts.GroupBy(l => l.MeasureId).ToDictionary(g => g.Key, g => g.Last());

        string Month(DateOnly d) => d.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var months = measures.Select(m => Month(m.AppliedOn)).Concat(lifts.Select(l => Month(ChinaTime.DateOf(l.NoticeAt))))
            .Concat(lifts.Where(l => l.LiftedOn != null).Select(l => Month(l.LiftedOn!.Value))).Distinct().Order(StringComparer.Ordinal)
            .Select(month => new MeasureMonth(month, measures.Count(m => Month(m.AppliedOn) == month), lifts.Count(l => Month(ChinaTime.DateOf(l.NoticeAt)) == month),
                lifts.Count(l => l.LiftedOn is { } d && Month(d) == month))).ToList();

        MeasureTally Tally(string key, string label, IEnumerable<Counted> group)
        {
            var list = group.ToList();
            var lifted = list.Select(m => liftOf.GetValueOrDefault(m.Id)).Where(l => l?.LiftedOn != null).ToList();
            return new MeasureTally(key, label, list.Count, list.Count(m => m.Status is MeasureStatus.Active or MeasureStatus.Suspended),
                lifted.Count, lifted.Count(l => l!.LiftedOn <= l.DueOn));
        }
        var byKind = measures.GroupBy(m => m.MeasureCode).Select(g => Tally(g.Key, catalogue.TryGetValue(g.Key, out var k) ? k.Name : g.Key, g))
            .OrderByDescending(t => t.Applied).ThenBy(t => t.Key, StringComparer.Ordinal).ToList();
        var byCategory = measures.GroupBy(m => m.Category ?? "").Select(g => Tally(g.Key, UnitCategories.Label(g.Key.Length == 0 ? null : g.Key), g))
            .OrderByDescending(t => t.Applied).ThenBy(t => t.Key, StringComparer.Ordinal).ToList();

        var days = lifts.Where(l => l.LiftedOn != null).Select(l => l.LiftedOn!.Value.DayNumber - ChinaTime.DateOf(l.NoticeAt).DayNumber).Order().ToList();
        var statuses = lifts.Select(l => l.StatusOn(today)).ToList();
        var (onTime, late, overdue) = (statuses.Count(s => s == LiftStatus.Lifted), statuses.Count(s => s == LiftStatus.Late), statuses.Count(s => s == LiftStatus.Overdue));
        var closed = onTime + late + overdue; // an open notice, not yet due, counts neither way
        var delay = new LiftDelay(lifts.Count, onTime, late, overdue, statuses.Count(s => s == LiftStatus.Open), ListFigures.Percentile(days, 0.5),
            ListFigures.Percentile(days, 0.9), closed == 0 ? 0 : Math.Round((double)onTime / closed, 4));
        return new MeasureStatistics(now, months, byKind, byCategory, delay);
    }

    private sealed record Counted(long Id, string MeasureCode, DateOnly AppliedOn, MeasureStatus Status, string? Category);

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>The tables beside the charts and in the CSV files: the one place that decides their columns.</summary>
    public static IReadOnlyDictionary<string, FigureTable> Tables(MeasureStatistics s)
    {
        IReadOnlyList<string> Row(MeasureTally t) => [t.Label, N(t.Applied), N(t.InForce), N(t.Lifted), t.Lifted == 0 ? "—" : StatisticsTables.Percent((double)t.OnTime / t.Lifted)];
        var d = s.Delay;
        var tables = new[]
        {
            new FigureTable(Months, "每月实施与解除的惩戒措施（北京时间）", ["月份", "实施", "解除通知", "已解除"],
                s.Months.Select(m => (IReadOnlyList<string>)[m.Month, N(m.Applied), N(m.LiftNotices), N(m.Lifted)]).ToList()),
            new FigureTable(Kinds, "惩戒措施按种类", ["惩戒措施", "实施", "实施中", "已解除", "按期解除的比例"], s.ByKind.Select(Row).ToList()),
            new FigureTable(Categories, "惩戒措施按单位类别", ["单位类别", "实施", "实施中", "已解除", "按期解除的比例"], s.ByCategory.Select(Row).ToList()),
            new FigureTable(Delay, "解除惩戒措施用时", ["解除通知", "按期解除", "逾期解除", "逾期未解除", "未到期", "用时中位数（天）", "90%分位（天）", "按期比例"],
                [[N(d.Notices), N(d.Lifted), N(d.Late), N(d.Overdue), N(d.Open), d.MedianDays.ToString("0.#", CultureInfo.InvariantCulture),
                  d.P90Days.ToString("0.#", CultureInfo.InvariantCulture), StatisticsTables.Percent(d.OnTimeShare)]]),
        };
        return tables.ToDictionary(t => t.Name);
    }
}
