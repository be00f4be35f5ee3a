using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace Portal.Data.Calendar;

/// <summary>One year of the official PRC calendar: public holidays and the weekend days declared working days (调休).</summary>
public sealed record CalendarYear(int Year, string? Source, IReadOnlyList<DateOnly> Holidays, IReadOnlyList<DateOnly> Workdays);

/// <summary>A deadline and whether it rests on weekends alone for a year not yet on file.</summary>
public sealed record WorkingDayDeadline(DateOnly Due, bool Provisional);

/// <summary>
/// Working days per the official calendar, as data: one JSON file per year, shipped with the portal and
/// replaceable by an administrator (a file of the same year in the data directory's calendar folder wins).
/// The one place that counts working days, for takedown deadlines and anyone checking one by hand.
/// </summary>
public sealed class WorkingDayCalendar
{
    // Replaced whole when an administrator edits a year, so readers never see half an edit.
    private volatile Dictionary<int, (CalendarYear Year, HashSet<DateOnly> Holidays, HashSet<DateOnly> Workdays)> _years = new();

    public WorkingDayCalendar(IEnumerable<CalendarYear> years)
    {
        foreach (var y in years) _years[y.Year] = Checked(y);
    }

    private static (CalendarYear, HashSet<DateOnly>, HashSet<DateOnly>) Checked(CalendarYear y)
    {
        if (y.Year is < 1990 or > 2200) throw new InvalidOperationException($"年份 {y.Year} 不在合理范围内");
        var outside = y.Holidays.Concat(y.Workdays).FirstOrDefault(d => d.Year != y.Year);
        if (outside != default) throw new InvalidOperationException($"{y.Year}年日历中含有其他年份的日期：{outside:yyyy-MM-dd}");
        var both = y.Holidays.Intersect(y.Workdays).FirstOrDefault();
        if (both != default) throw new InvalidOperationException($"{y.Year}年日历中 {both:yyyy-MM-dd} 既是假日又是调休工作日");
        var weekdayWorkday = y.Workdays.FirstOrDefault(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));
        if (weekdayWorkday != default) throw new InvalidOperationException($"调休工作日应为周末，{weekdayWorkday:yyyy-MM-dd} 本就是工作日");
        return (y, y.Holidays.ToHashSet(), y.Workdays.ToHashSet());
    }

    public IReadOnlyCollection<int> YearsOnFile => _years.Keys;

    public IReadOnlyList<CalendarYear> Years => _years.Values.Select(y => y.Year).OrderBy(y => y.Year).ToList();

    /// <summary>Where administrators' years are kept: the directory <see cref="Load"/> read them from.</summary>
    public string? OverrideDirectory { get; private init; }

    /// <summary>
    /// An administrator's edit: checks the year, writes it to <see cref="OverrideDirectory"/> (where <see cref="Load"/>
    /// finds it after a restart) and uses it from now on.
    /// </summary>
    public void Save(CalendarYear year)
    {
        var overrideDirectory = OverrideDirectory ?? throw new InvalidOperationException("此日历没有保存目录");
        var entry = Checked(year);
        Directory.CreateDirectory(overrideDirectory);
        var path = Path.Combine(overrideDirectory, $"{year.Year}.json");
        var temp = path + ".tmp";
        File.WriteAllText(temp, ToJson(year));
        File.Move(temp, path, overwrite: true);
        _years = new Dictionary<int, (CalendarYear, HashSet<DateOnly>, HashSet<DateOnly>)>(_years) { [year.Year] = entry };
    }

    public static string ToJson(CalendarYear y) => JsonSerializer.Serialize(new
    {
        year = y.Year,
        source = y.Source,
        holidays = y.Holidays.Order().Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        workdays = y.Workdays.Order().Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
    }, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) });

    public bool IsOnFile(int year) => _years.ContainsKey(year);

    public bool IsWorkingDay(DateOnly day)
    {
        if (_years.TryGetValue(day.Year, out var y))
        {
            if (y.Workdays.Contains(day)) return true;
            if (y.Holidays.Contains(day)) return false;
        }
        return day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    /// <summary>
    /// The last day of a period of <paramref name="workingDays"/> working days after <paramref name="from"/>:
    /// the period starts the day after the event and ends at the end of its last working day.
    /// </summary>
    public WorkingDayDeadline AddWorkingDays(DateOnly from, int workingDays)
    {
        if (workingDays < 1) throw new ArgumentOutOfRangeException(nameof(workingDays), "期间至少为1个工作日");
        var day = from;
        var provisional = false;
        for (var counted = 0; counted < workingDays;)
        {
            day = day.AddDays(1);
            provisional |= !IsOnFile(day.Year);
            if (IsWorkingDay(day)) counted++;
        }
        return new WorkingDayDeadline(day, provisional);
    }

    public static CalendarYear Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        static List<DateOnly> Dates(JsonElement e, string name) => e.TryGetProperty(name, out var a)
            ? a.EnumerateArray().Select(d => DateOnly.ParseExact(d.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList()
            : [];
        return new CalendarYear(root.GetProperty("year").GetInt32(),
            root.TryGetProperty("source", out var s) ? s.GetString() : null, Dates(root, "holidays"), Dates(root, "workdays"));
    }

    /// <summary>The shipped years, overridden or extended by <c>*.json</c> files in <paramref name="overrideDirectory"/>.</summary>
    public static WorkingDayCalendar Load(string? overrideDirectory)
    {
        var years = new Dictionary<int, CalendarYear>();
        var assembly = typeof(WorkingDayCalendar).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.Contains(".Calendar.Years.") && n.EndsWith(".json")))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            var y = Parse(reader.ReadToEnd());
            years[y.Year] = y;
        }
        if (overrideDirectory is not null && Directory.Exists(overrideDirectory))
        {
            foreach (var file in Directory.GetFiles(overrideDirectory, "*.json"))
            {
                try
                {
                    var y = Parse(File.ReadAllText(file));
                    years[y.Year] = y;
                }
                catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
                {
                    throw new InvalidOperationException($"日历文件 {Path.GetFileName(file)} 格式错误：{ex.Message}", ex);
                }
            }
        }
        return new WorkingDayCalendar(years.Values) { OverrideDirectory = overrideDirectory };
    }
}
