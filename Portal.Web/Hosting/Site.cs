using System.ComponentModel.DataAnnotations;

namespace Portal.Web.Hosting;

/// <summary>
/// The <c>Site</c> section: what a government website's footer carries (政府网站发展指引, 国办发〔2017〕47号): its sponsor,
/// contact, the website identifier code issued by the State Council office, the MIIT ICP filing and the public-security
/// filing. A field left empty is not shown.
/// </summary>
public sealed class SiteOptions
{
    public const string Section = "Site";

    /// <summary>主办单位, e.g. 最高人民法院.</summary>
    [MaxLength(100)] public string? Sponsor { get; set; }

    /// <summary>联系方式: a telephone or an address people can write to.</summary>
    [MaxLength(100)] public string? Contact { get; set; }

    /// <summary>网站标识码: ten letters or digits, e.g. bm30000012.</summary>
    [RegularExpression("^[0-9A-Za-z]{10}$", ErrorMessage = "Site:Identifier（网站标识码）应为10位字母或数字")]
    public string? Identifier { get; set; }

    /// <summary>ICP备案号, e.g. 京ICP备05023036号; linked to the MIIT filing system.</summary>
    [RegularExpression(@"^\p{IsCJKUnifiedIdeographs}ICP备\d{6,12}号(-\d{1,3})?$", ErrorMessage = "Site:IcpFiling（ICP备案号）应如“京ICP备05023036号”")]
    public string? IcpFiling { get; set; }

    /// <summary>公安机关备案号, e.g. 京公网安备11010502030143号; linked to the public-security filing system by its number.</summary>
    [RegularExpression(@"^\p{IsCJKUnifiedIdeographs}公网安备\s?\d{14}号$", ErrorMessage = "Site:PublicSecurityFiling（公安备案号）应如“京公网安备11010502030143号”")]
    public string? PublicSecurityFiling { get; set; }

    /// <summary>The 14 digits of the public-security filing, for its link.</summary>
    public string? PublicSecurityNumber => PublicSecurityFiling is { } f ? string.Concat(f.Where(char.IsAsciiDigit)) : null;
}

/// <summary>
/// The elder-friendly mode (适老化, 工信部《互联网网站适老化通用设计规范》): larger text, higher contrast, no pop-ups (no name
/// completions). A cookie the server reads, set by a plain link, so it works without JavaScript and on every public page.
/// </summary>
public static class ElderMode
{
    public const string Cookie = "portal-mode";

    public static bool IsOn(HttpContext? http) => http?.Request.Cookies[Cookie] == "elder";

    /// <summary>
    /// The link that switches the mode and comes back to <paramref name="here"/>, without its query when the query holds a
    /// run of digits as long as an ID number: a page must not repeat a full number someone typed (domain.md).
    /// </summary>
    public static string Link(bool on, string here)
    {
        var back = here.Split('?', 2) is [var path, var query] && Portal.Data.Entries.IdNumber.HoldsIdLikeDigits(Uri.UnescapeDataString(query)) ? path : here;
        return $"/mode/{(on ? "elder" : "standard")}?back={Uri.EscapeDataString(back)}";
    }

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/mode/{mode}", (HttpContext http, string mode, string? back) =>
        {
            if (mode is not ("elder" or "standard")) return Results.NotFound();
            if (mode == "elder")
                http.Response.Cookies.Append(Cookie, "elder", new CookieOptions
                {
                    MaxAge = TimeSpan.FromDays(365), HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = http.Request.IsHttps, IsEssential = true,
                });
            else http.Response.Cookies.Delete(Cookie);
            return Results.Redirect(LocalPath.Or(back, "/"));
        }).ExcludeFromDescription();
}

/// <summary>Where a link may send someone back to after an action (a sign-in, a mode switch): only a path of this site.</summary>
public static class LocalPath
{
    /// <summary><paramref name="path"/> when it is a path of this site (never //host, /\host, a scheme or a control character), else <paramref name="otherwise"/>.</summary>
    public static string Or(string? path, string otherwise) =>
        path is { Length: > 0 and <= 2000 } p && p[0] == '/' && (p.Length == 1 || (p[1] != '/' && p[1] != '\\')) && !p.Any(char.IsControl) ? p : otherwise;
}
