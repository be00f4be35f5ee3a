using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Audit;
using Portal.Data.Courts;
using Portal.Data.Persistence;

namespace Portal.Web.Courts;

/// <summary>
/// The court directory in force: the shipped one (<see cref="CourtDirectory.Shipped"/>) with the administrators' changes
/// from the database laid over it. Loaded at start, again at once after a change made here, and within
/// <see cref="RefreshInterval"/> after a change made by another node or a CLI verb. Changes are validated, written with
/// their audit record in one transaction, and never delete a court: a retired court stays, so its entries stay valid.
/// </summary>
public sealed partial class CourtRegistry(
    IDbContextFactory<PortalDbContext> dbFactory, Portal.Search.Analysis.ChineseAnalyzer analyzer, TimeProvider clock, ILogger<CourtRegistry> logger) : BackgroundService
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    private volatile CourtDirectory _current = CourtDirectory.Shipped;
    private (int Count, DateTime? Newest) _loaded = (0, null);

    /// <summary>The directory as it is now.</summary>
    public CourtDirectory Current => _current;

    public async Task LoadAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var records = await db.CourtRecords.AsNoTracking().ToListAsync(ct);
        _current = CourtDirectory.Shipped.With(records.Select(r => r.ToCourt()));
        _loaded = (records.Count, records.Count == 0 ? null : records.Max(r => r.ChangedAt));
    }

    /// <summary>
    /// Gives every entry written before entries kept their court's code (schema step 9) that code, from its case number
    /// through this directory (a former code: the court it became), in batches. Returns how many.
    /// </summary>
    public async Task<int> AssignCourtCodesAsync(CancellationToken ct = default)
    {
        var directory = Current;
        var done = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var batch = await db.Entries.AsNoTracking().Where(e => e.CourtCode == "").OrderBy(e => e.Id).Take(5000)
                .Select(e => new { e.Id, e.CaseNumberKey }).ToListAsync(ct);
            if (batch.Count == 0) return done;
            foreach (var group in batch.GroupBy(e => Portal.Data.Entries.CaseNumber.CourtCode(e.CaseNumberKey) is { } code
                         ? directory.ByCode(code)?.Code ?? CourtDirectory.CanonicalCode(code) : "?"))
            {
                var ids = group.Select(e => e.Id).ToList();
                await db.Entries.Where(e => ids.Contains(e.Id)).ExecuteUpdateAsync(s => s.SetProperty(e => e.CourtCode, group.Key), ct);
            }
            done += batch.Count;
        }
    }

    /// <summary>Loads again when the database holds other changes than those loaded (one cheap read).</summary>
    public async Task RefreshAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var state = (await db.CourtRecords.CountAsync(ct), await db.CourtRecords.MaxAsync(r => (DateTime?)r.ChangedAt, ct));
        if (state != _loaded) await LoadAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await Task.Delay(RefreshInterval, stoppingToken); await RefreshAsync(stoppingToken); }
            catch (OperationCanceledException) { return; }
            catch (Exception ex) { logger.LogWarning(ex, "Reading the court directory's changes failed; the directory loaded before stays"); }
        }
    }

    /// <summary>
    /// Each court's name as the initials each of its characters may be typed with (漯河市召陵区人民法院 → l h s z l q r m f y),
    /// for the directory they were made for. A character read one way in place names and another by the dictionary
    /// (长沙 cháng, 重庆 chóng, 厦门 xià …) takes both initials.
    /// </summary>
    private volatile Tuple<CourtDirectory, string[][]>? _initials;

    /// <summary>Place-name readings the general reading misses: the initials a person types for them as well.</summary>
    private static readonly IReadOnlyDictionary<char, string> PlaceInitials = new Dictionary<char, string>
    {
        ['长'] = "c", ['重'] = "c", ['厦'] = "x", ['乐'] = "ly", ['六'] = "l", ['蚌'] = "b", ['番'] = "p", ['莘'] = "s", ['单'] = "s",
        ['蔚'] = "y", ['铅'] = "y", ['洞'] = "t", ['朝'] = "c", ['藏'] = "z", ['会'] = "k", ['行'] = "h", ['曲'] = "q", ['泌'] = "b",
        ['解'] = "x", ['台'] = "t", ['济'] = "j", ['大'] = "d", ['沈'] = "s", ['石'] = "s", ['宿'] = "s", ['吐'] = "t",
    };

    /// <summary>
    /// The courts a person means by what they type into a court picker: a code or the start of one (豫11, 豫1104), part of
    /// the name (召陵), or pinyin initials (lhszl, zl); former names and codes find the court they became. Best first:
    /// the code, then names that start with the text, names that contain it, initials that start with it, initials
    /// that contain it; within each, higher courts first. Retired courts only when <paramref name="withRetired"/>.
    /// </summary>
    public IReadOnlyList<Court> Search(string? text, int limit = 20, bool withRetired = false)
    {
        var t = string.Concat((text ?? "").Where(c => !char.IsWhiteSpace(c)));
        var directory = Current;
        if (t.Length == 0) return directory.Courts.Where(c => withRetired || !c.IsRetired).Take(limit).ToList();
        var initials = _initials is { } cached && cached.Item1 == directory ? cached.Item2 : Initials(directory);
        var query = t.ToLowerInvariant();
        var latin = query.All(char.IsAsciiLetter);
        var ranked = new List<(int Rank, Court Court)>();
        for (var i = 0; i < directory.Courts.Count; i++)
        {
            var c = directory.Courts[i];
            if (c.IsRetired && !withRetired) continue;
            var at = latin ? InitialsAt(initials[i], query) : -1;
            var rank = c.Code == t ? 0
                : c.Code.StartsWith(t, StringComparison.Ordinal) ? 1
                : c.Name.StartsWith(t, StringComparison.Ordinal) ? 2
                : c.Name.Contains(t, StringComparison.Ordinal) ? 3
                : at == 0 ? 4
                : at > 0 ? 5
                : c.FormerCodes.Contains(t) || c.FormerNames.Any(n => n.Contains(t, StringComparison.Ordinal)) ? 6
                : -1;
            if (rank >= 0) ranked.Add((rank, c));
        }
        return ranked.OrderBy(r => r.Rank).ThenBy(r => r.Court.Level).ThenBy(r => r.Court.Code.Length).Take(limit).Select(r => r.Court).ToList();
    }

    /// <summary>Where the typed initials first fit the name's characters one by one, or -1.</summary>
    private static int InitialsAt(string[] name, string typed)
    {
        for (var start = 0; start + typed.Length <= name.Length; start++)
        {
            var k = 0;
            while (k < typed.Length && name[start + k].Contains(typed[k])) k++;
            if (k == typed.Length) return start;
        }
        return -1;
    }

    private string[][] Initials(CourtDirectory directory)
    {
        var initials = directory.Courts.Select(c =>
        {
            var key = analyzer.Key(c.Name);
            var syllables = analyzer.Syllables(key, person: false);
            return key.Select((ch, i) => (i < syllables.Length && syllables[i].Length > 0 ? syllables[i][..1] : "")
                                         + PlaceInitials.GetValueOrDefault(ch, "")).ToArray();
        }).ToArray();
        _initials = Tuple.Create(directory, initials);
        return initials;
    }

    [GeneratedRegex(@"^(最高法|\p{IsCJKUnifiedIdeographs}(\d{2}|\d{4})?)$")]
    private static partial Regex CodeShape();

    /// <summary>
    /// Adds a court, or changes one (its name, superior, place or kind; the old name and code stay findable), as an
    /// administrator asks. Null when done, else why not, in words for them.
    /// </summary>
    public async Task<string?> SaveAsync(Court court, string actor, CancellationToken ct = default)
    {
        await RefreshAsync(ct);
        var directory = Current;
        var existing = directory.ByCode(court.Code) is { } found && found.Code == court.Code ? found : null;
        var code = court.Code.Trim();
        var name = court.Name.Trim();
        if (!CodeShape().IsMatch(code)) return "法院代字应为省级简称加两位（中级、专门法院）或四位数字（基层法院），如“豫11”“豫1104”";
        var expected = code.Length switch { 1 => CourtLevel.High, 3 when code == "最高法" => CourtLevel.Supreme, 3 => CourtLevel.Intermediate, _ => CourtLevel.Basic };
        if (court.Level != expected) return $"代字“{code}”是{Court.LevelLabel(expected)}的代字，与所选层级“{Court.LevelLabel(court.Level)}”不符";
        if (name.Length is < 4 or > 100 || !name.EndsWith("法院", StringComparison.Ordinal)) return "法院名称应为完整的正式名称，以“法院”结尾，如“漯河市召陵区人民法院”";
        if (directory.Find(name) is { } named && named.Code != code) return $"名称“{name}”已是{named.Code}（{named.Name}）的名称或曾用名";
        if (!Court.Kinds.ContainsKey(court.Kind)) return "法院类别无效";
        if (!CourtDirectory.IsProvince(court.Province)) return "请选择法院所在的省份";
        if (court.Level != CourtLevel.Supreme)
        {
            if (court.SuperiorCode is not { Length: > 0 } up || directory.ByCode(up) is not { } superior) return "请指定法院名录中的上级法院";
            if (superior.Level > court.Level) return $"上级法院{superior.Name}的层级不高于本院";
            if (directory.Subtree(code).Contains(superior.Code)) return "上级法院不能是本院或本院的下级法院";
        }
        if (existing is null && directory.ByCode(code) is { } formerly) return $"代字“{code}”是{formerly.Name}的曾用代字";

        var formerNames = (existing?.FormerNames ?? []).Concat(existing is not null && existing.Name != name ? [existing.Name] : []).Distinct().ToList();
        var saved = court with { Code = code, Name = name, FormerNames = formerNames, FormerCodes = existing?.FormerCodes ?? court.FormerCodes };
        var action = existing is null ? "court-added" : existing.Name != name ? "court-renamed" : "court-changed";
        var reason = existing is null ? $"{code} {name}（上级：{directory.NameOf(saved.SuperiorCode ?? "")}）"
            : existing.Name != name ? $"{code} {existing.Name} 更名为 {name}" : $"{code} {name}：{Describe(existing, saved, directory)}";
        await WriteAsync(saved, actor, action, reason, ct);
        return null;
    }

    /// <summary>Retires a court from a day on: it takes no new staff or entries; its entries, names and codes stay valid.</summary>
    public async Task<string?> RetireAsync(string code, DateOnly on, string reason, string actor, CancellationToken ct = default)
    {
        await RefreshAsync(ct);
        if (Current.ByCode(code) is not { } court || court.Code != code) return $"法院名录中没有代字“{code}”";
        if (court.IsRetired) return $"{court.Name}已于{court.RetiredOn:yyyy年M月d日}撤销";
        if (string.IsNullOrWhiteSpace(reason)) return "请写明撤销的依据（如区划调整的文件）";
        if (Current.Below(code).Any(c => !c.IsRetired)) return $"{court.Name}还有下级法院，请先为它们指定新的上级法院";
        await WriteAsync(court with { RetiredOn = on }, actor, "court-retired", $"{code} {court.Name} 自{on:yyyy-MM-dd}撤销：{reason.Trim()}", ct);
        return null;
    }

    private static string Describe(Court before, Court after, CourtDirectory directory)
    {
        var changes = new List<string>();
        if (before.SuperiorCode != after.SuperiorCode) changes.Add($"上级法院 {directory.NameOf(before.SuperiorCode ?? "")} → {directory.NameOf(after.SuperiorCode ?? "")}");
        if (before.Kind != after.Kind) changes.Add($"类别 {Court.Kinds[before.Kind]} → {Court.Kinds[after.Kind]}");
        if (before.Province != after.Province || before.City != after.City) changes.Add($"所在地 {before.Province}{before.City} → {after.Province}{after.City}");
        if (before.IsRetired && !after.IsRetired) changes.Add("恢复");
        return changes.Count == 0 ? "未改变" : string.Join("；", changes);
    }

    private async Task WriteAsync(Court court, string actor, string action, string reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        await using (var tx = await DatabaseProvider.BeginSerializedAsync(db, ct))
        {
            var row = await db.CourtRecords.SingleOrDefaultAsync(r => r.Code == court.Code, ct);
            var fresh = CourtRecord.Of(court, now, actor);
            if (row is null) db.CourtRecords.Add(fresh);
            else db.Entry(row).CurrentValues.SetValues(fresh);
            await AuditLog.AppendAsync(db, [new AuditRecord { At = now, Actor = actor, Action = action, Reason = reason }], ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        await LoadAsync(ct);
    }
}
