using MudBlazor.Services;
using Bunit;
using Portal.Data.Publication;
using Portal.Tests.Support;
using Portal.Web.Components.Shared;
using Portal.Web.Search;

namespace Portal.Tests.Site;

/// <summary>Components rendered with bUnit and read as the browser would read them.</summary>
public sealed class ComponentTests : IAsyncDisposable
{
    private readonly BunitContext _context = NewContext();

    private static BunitContext NewContext()
    {
        var context = new BunitContext();
        context.Services.AddMudServices(); // the public pages' static MudBlazor display components
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        return context;
    }

    public ValueTask DisposeAsync() => _context.DisposeAsync();

    private static PublicEntry Entry(Portal.Data.Entries.EntryInput input)
    {
        var entry = Portal.Data.Entries.EntryValidation.Validate(input, TestEntries.Protection(), new DateTime(2026, 11, 22, 0, 0, 0, DateTimeKind.Utc)).Entry!;
        return PublicEntry.From(entry, new DateOnly(2026, 11, 22));
    }

    private Dictionary<string, string> Fields(PublicEntry entry) =>
        _context.Render<EntryFields>(p => p.Add(c => c.Entry, entry)).FindAll("dl.fields dt")
            .ToDictionary(dt => dt.TextContent, dt => dt.NextElementSibling!.TextContent.Trim());

    private IRenderedComponent<ResultList> Results(EntrySearchResult result, string query, Func<int, string>? pageLink = null) =>
        _context.Render<ResultList>(p => p.Add(c => c.Result, result).Add(c => c.Query, query).Add(c => c.PageLink, pageLink));

    [Fact]
    public void A_person_shows_masked_id_gender_and_age_at_the_display_date()
    {
        var fields = Fields(Entry(TestEntries.Person()));
        Assert.Equal("张三", fields["姓名"]);
        Assert.Equal("4127021984****1512", fields["身份证号码"]);
        Assert.Equal("男", fields["性别"]);
        Assert.Equal("42岁", fields["年龄"]); // born 1984-03-15, shown on 2026-11-22
        Assert.Equal("全部未履行", fields["被执行人的履行情况"]);
        Assert.Equal("50,000元", fields["未履行部分"]);
        Assert.Equal("2019年3月1日", fields["立案时间"]);
        Assert.False(fields.ContainsKey("统一社会信用代码（组织机构代码）"));
        Assert.False(fields.ContainsKey("撤销时间"));
    }

    [Fact]
    public void An_organization_shows_its_full_credit_code_and_representative_but_no_person_fields()
    {
        var fields = Fields(Entry(TestEntries.Organization()));
        Assert.Equal("91410311MA44L2K3X8", fields["统一社会信用代码（组织机构代码）"]);
        Assert.Equal("王建国", fields["法定代表人或负责人姓名"]);
        Assert.Equal("2099年3月1日", fields["失信期限届满"]);
        Assert.False(fields.ContainsKey("身份证号码"));
        Assert.False(fields.ContainsKey("年龄"));
    }

    [Fact]
    public void Text_from_an_entry_is_escaped()
    {
        var input = TestEntries.Organization(name: "<script>alert(1)</script>有限公司");
        var doc = _context.Render<EntryFields>(p => p.Add(c => c.Entry, Entry(input)));
        Assert.Empty(doc.FindAll("dl script"));
        Assert.Contains("<script>alert(1)</script>有限公司", doc.Find("dl.fields").TextContent);
    }

    [Fact]
    public void An_empty_result_list_suggests_other_queries_and_has_no_pager()
    {
        var result = new EntrySearchResult(0, 1, 20, [], QueryKind.Name, null);
        var doc = Results(result, "某人", p => $"/?page={p}");
        Assert.Contains("没有找到与“某人”相符的公开条目", doc.Find(".empty").TextContent);
        Assert.Empty(doc.FindAll(".pager"));
    }

    [Fact]
    public void A_middle_page_links_both_ways()
    {
        var items = Enumerable.Range(0, 20).Select(_ => Entry(TestEntries.Person())).ToList();
        var result = new EntrySearchResult(65, 2, 20, items, QueryKind.Name, null);
        var doc = Results(result, "张三", p => $"/?page={p}");
        Assert.Equal("/?page=1", doc.Find("a[rel=prev]").GetAttribute("href"));
        Assert.Equal("/?page=3", doc.Find("a[rel=next]").GetAttribute("href"));
        Assert.Equal("21", doc.Find("ol.result-list").GetAttribute("start"));
        Assert.Contains("第 2 / 4 页", doc.Find(".count").TextContent);
    }

    [Fact]
    public void Highlighting_marks_the_match_and_cannot_inject_markup()
    {
        var input = TestEntries.Organization("<script>alert(1)</script>恒达<b>建筑</b>有限公司");
        var entry = Entry(input);
        var match = new ItemMatch(entry.PublicId, "partial", false, [new(8, 2), new(0, 8)]);
        var result = new EntrySearchResult(1, 1, 20, [entry], QueryKind.Name, null) { Matches = [match] };
        var doc = Results(result, "恒达");
        Assert.Empty(doc.FindAll("script"));
        Assert.Empty(doc.FindAll(".result h3 b"));
        Assert.Equal(["<script>", "al"], doc.FindAll(".result h3 mark").Select(m => m.TextContent));
        Assert.Equal(input.Name, doc.Find(".result h3 a").TextContent);
    }

    [Fact]
    public void An_approximate_match_says_so()
    {
        var entry = Entry(TestEntries.Person());
        var result = new EntrySearchResult(1, 1, 20, [entry], QueryKind.Name, null) { Matches = [new ItemMatch(entry.PublicId, "homophone", true, [])] };
        var doc = Results(result, "章三");
        Assert.Equal("读音相近", doc.Find(".result .badge.approximate").TextContent);
    }
}
