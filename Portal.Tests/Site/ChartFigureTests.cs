using System.Globalization;
using Bunit;
using MudBlazor;
using MudBlazor.Services;
using Portal.Web.Components.Shared;

namespace Portal.Tests.Site;

/// <summary>The statistics page's figures (issue #27): month axes that never crowd, and tables no taller than their chart.</summary>
public sealed class ChartFigureTests : IAsyncDisposable
{
    private readonly BunitContext _context = new();

    public ChartFigureTests()
    {
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Services.AddMudServices();
    }

    public ValueTask DisposeAsync() => _context.DisposeAsync();

    private static string[] Months(string first, int count)
    {
        var start = DateOnly.ParseExact(first + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return Enumerable.Range(0, count).Select(i => start.AddMonths(i).ToString("yyyy-MM", CultureInfo.InvariantCulture)).ToArray();
    }

    [Theory]
    [InlineData("2025-01", 24)]
    [InlineData("2024-11", 24)]
    [InlineData("2026-05", 8)]
    public void Month_labels_are_a_quarter_apart_and_name_the_year_where_one_begins(string first, int count)
    {
        var months = Months(first, count);
        var labels = ChartFigure.MonthLabels(months);
        Assert.Equal(count, labels.Length);
        var shown = labels.Select((l, i) => (Label: l, Index: i)).Where(x => x.Label.Length > 0).ToList();
        Assert.True(shown.Count <= count / 3 + 2, string.Join(",", labels));
        Assert.All(shown.Zip(shown.Skip(1)), pair => Assert.True(pair.Second.Index - pair.First.Index >= 2, $"{pair.First.Label} beside {pair.Second.Label}"));
        Assert.StartsWith(first[..4] + "年", labels[0]); // the first month always says its year
        for (var i = 0; i < count; i++)
            if (months[i].EndsWith("-01", StringComparison.Ordinal)) Assert.Equal($"{months[i][..4]}年1月", labels[i]);
        Assert.DoesNotContain(labels, l => l.Contains('-'));
    }

    [Fact]
    public void A_long_table_shows_eight_rows_and_folds_the_rest_behind_a_summary()
    {
        var rows = Enumerable.Range(1, 31).Select(i => (IReadOnlyList<string>)[$"省{i}", (100 - i).ToString(CultureInfo.InvariantCulture)]).ToList();
        var figure = _context.Render<ChartFigure>(p => p
            .Add(f => f.Title, "公开条目按省份").Add(f => f.Labels, rows.Select(r => r[0]).ToArray())
            .Add(f => f.Series, [ChartFigure.SeriesOf("条目数", rows.Select(r => double.Parse(r[1], CultureInfo.InvariantCulture)))])
            .Add(f => f.Headers, ["省份", "条目数"]).Add(f => f.Rows, rows).Add(f => f.LabelRotation, 45));
        var first = figure.Find(".chart-table > table tbody").QuerySelectorAll("tr");
        Assert.Equal(8, first.Length);
        var rest = figure.Find("details.more-rows");
        Assert.Equal("其余 23 项", rest.QuerySelector("summary")!.TextContent);
        Assert.Equal(rows.Skip(8).Select(r => r[0]), rest.QuerySelectorAll("tbody tr").Select(tr => tr.QuerySelector("td")!.TextContent));
        Assert.Empty(figure.FindAll(".mud-chart-legend")); // one series: no legend to take room from the rotated labels
    }

    [Fact]
    public void A_short_table_has_nothing_folded_and_several_series_keep_their_legend()
    {
        var figure = _context.Render<ChartFigure>(p => p
            .Add(f => f.Title, "每月").Add(f => f.Type, ChartType.Line).Add(f => f.Labels, ChartFigure.MonthLabels(Months("2026-01", 3)))
            .Add(f => f.Series, [ChartFigure.SeriesOf("发布", [1d, 2d, 3d]), ChartFigure.SeriesOf("屏蔽", [0d, 1d, 0d])])
            .Add(f => f.Headers, ["月份", "发布", "屏蔽"]).Add(f => f.Rows, [["2026-03", "3", "0"], ["2026-02", "2", "1"], ["2026-01", "1", "0"]]));
        Assert.Empty(figure.FindAll("details"));
        Assert.Equal(3, figure.FindAll("tbody tr").Count);
        Assert.NotEmpty(figure.FindAll(".mud-chart-legend"));
    }

    [Fact]
    public void Nothing_counted_says_so_and_counted_zeros_are_drawn()
    {
        var empty = _context.Render<ChartFigure>(p => p.Add(f => f.Title, "惩戒措施按种类").Add(f => f.Labels, [])
            .Add(f => f.Series, [ChartFigure.SeriesOf("实施中", Array.Empty<double>())]).Add(f => f.Headers, ["种类", "实施中"]).Add(f => f.Rows, []));
        Assert.Equal("暂无数据。", empty.Find(".chart-empty").TextContent);
        Assert.Empty(empty.FindAll(".mud-chart"));
        var zeros = _context.Render<ChartFigure>(p => p.Add(f => f.Title, "3日内屏蔽的比例").Add(f => f.Labels, ["洛阳市洛龙区人民法院"])
            .Add(f => f.Series, [ChartFigure.SeriesOf("比例", [0d])]).Add(f => f.Headers, ["法院", "比例"]).Add(f => f.Rows, [["洛阳市洛龙区人民法院", "0%"]]));
        Assert.Empty(zeros.FindAll(".chart-empty"));
        Assert.NotEmpty(zeros.FindAll(".mud-chart svg"));
    }
}
