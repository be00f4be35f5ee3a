using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Entries;
using Portal.Data.Persistence;
using Portal.Data.Publication;
using Portal.Web.Clients;
using Portal.Web.Components.Shared;
using Portal.Web.Search;

namespace Portal.Web.Publication;

/// <summary>A certificate as shown: its record, whether its signature holds, and which of its entries are public today.</summary>
public sealed record CertificateView(QueryCertificate Certificate, bool Genuine, IReadOnlyList<(CertificateItem Item, bool StillPublic)> Items);

/// <summary>
/// Query certificates (查询证明): a public search run again on the server (never the results a form claims), stored and
/// signed before the person is sent to it. An entry removed since is listed without its content: a certificate must not
/// keep a removed entry on show.
/// </summary>
public sealed class QueryCertificates(EntrySearch search, PortalDbContext db, ReceiptSigner signer, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Runs the search and stores its certificate: its id, or why not (in Chinese).</summary>
    public async Task<(string? Id, string? Error)> CreateAsync(EntrySearchRequest request, CancellationToken ct = default)
    {
        request = request with { Page = 1, PageSize = QueryCertificate.MaxItems };
        if (EntrySearch.Check(request) is { } error) return (null, error.Message);
        if (string.IsNullOrWhiteSpace(request.Q) && string.IsNullOrWhiteSpace(request.Text))
            return (null, "请先输入查询内容：查询证明记载一次具体的查询");
        var shown = IdNumber.MaskDigitRuns(string.IsNullOrWhiteSpace(request.Text) ? request.Q : request.Text).Trim();
        if (shown.Length > QueryCertificate.MaxQueryLength) return (null, $"查询证明记载的查询内容最多{QueryCertificate.MaxQueryLength}个字符");

        var asOf = await search.DataAsOfAsync(ct);
        var result = await search.SearchAsync(request, null, ct);
        // Only a search that was answered as asked: never a "not found" for input the search refused (a place alone, a
        // number with a wrong check digit), nor for an ID number, which a public page answers by its visible digits only.
        if (result.IdLookupClosed) return (null, result.Notice);
        if (result.Kind is not (QueryKind.Name or QueryKind.CaseNumber or QueryKind.CreditCode or QueryKind.FullText)
            || (result.Kind is QueryKind.CaseNumber or QueryKind.CreditCode && result.Total == 0 && result.Notice is not null))
            return (null, "这次查询不能出具证明：查询证明只记载按姓名、单位名称（可附脱敏身份证号码）、案号、统一社会信用代码或义务内容的有效查询。" +
                          (result.Notice is { } why ? "（" + why + "）" : ""));
        var certificate = new QueryCertificate
        {
            Id = PublicIds.New(), At = clock.GetUtcNow().UtcDateTime, DataAsOf = asOf, Query = shown, Scope = ScopeOf(request), Total = result.Total,
            Items = JsonSerializer.Serialize(result.Items.Select(e => new CertificateItem(e.PublicId, e.Name, e.IdNumberMasked ?? e.CreditCode, e.CaseNumber,
                e.Court, e.PublishedAt is { } p ? ChinaTime.DateOf(p) : null)).ToList(), Json),
        };
        certificate.Signature = signer.Sign(certificate);
        db.QueryCertificates.Add(certificate);
        await db.SaveChangesAsync(ct); // durable before the person is sent to it
        return (certificate.Id, null);
    }

    public async Task<CertificateView?> FindAsync(string id, CancellationToken ct = default)
    {
        if (!PublicIds.LooksValid(id)) return null;
        var certificate = await db.QueryCertificates.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (certificate is null) return null;
        var items = JsonSerializer.Deserialize<List<CertificateItem>>(certificate.Items, Json) ?? [];
        var ids = items.Select(i => i.PublicId).ToList();
        var today = ChinaTime.Today(clock);
        var stillPublic = (await db.Entries.AsNoTracking().Where(EntryVisibility.IsPublicOn(today)).Where(e => ids.Contains(e.PublicId))
            .Select(e => e.PublicId).ToListAsync(ct)).ToHashSet();
        return new CertificateView(certificate, signer.IsGenuine(certificate), items.Select(i => (i, stillPublic.Contains(i.PublicId))).ToList());
    }

    /// <summary>
    /// <c>POST /certificates</c> from a results page's form (antiforgery checked): the search it names is run again, the
    /// certificate stored, and the person sent to it at <c>/verify/{id}</c>.
    /// </summary>
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/certificates", async (HttpContext http, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery, QueryCertificates certificates,
            CancellationToken ct) =>
        {
            static IResult Refused(string message) => Results.Text(message, "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
            if (!http.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(http))
                return Refused("表单已失效，请回到查询结果页重新点击“出具查询证明”。");
            var form = await http.Request.ReadFormAsync(ct);
            string? Field(string name) => form.TryGetValue(name, out var v) ? v.ToString() : null;
            var yearText = Field("year");
            int? year = int.TryParse(yearText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var y) ? y : null;
            if (!string.IsNullOrWhiteSpace(yearText) && year is null) return Refused("发布年份应为四位数字，如 2024");
            var request = new EntrySearchRequest(Field("q"), Field("type"), Field("province"), 1, QueryCertificate.MaxItems, Field("court"), year, Field("circumstance"))
                { Text = Field("text") };
            var (id, error) = await certificates.CreateAsync(request, ct);
            return id is null ? Refused(error!) : Results.Redirect($"/verify/{id}");
        }).DisableAntiforgery().RequireRateLimiting(Hosting.TrafficLimits.Certificates).ExcludeFromDescription();

    /// <summary>The filters chosen, in words (查询范围：义务内容；被执行人类型：自然人；省份：河南), empty for none.</summary>
    public static string ScopeOf(EntrySearchRequest r)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(r.Text)) parts.Add("查询范围：义务内容");
        void Add(string title, string field, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) parts.Add($"{title}：{FacetPanel.Label(field, value.Trim())}");
        }
        Add("被执行人类型", Portal.Search.Index.FacetFields.SubjectType, r.Type);
        Add("省份", Portal.Search.Index.FacetFields.Province, r.Province);
        Add("执行法院", Portal.Search.Index.FacetFields.Court, r.Court);
        Add("发布年份", Portal.Search.Index.FacetFields.Year, r.Year?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("失信情形", Portal.Search.Index.FacetFields.Circumstance, r.Circumstance);
        return string.Join("；", parts);
    }
}

