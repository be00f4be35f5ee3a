using System.Globalization;

namespace Portal.Web.Components.Shared;

/// <summary>
/// Numbers read from a page's address. The address is whatever someone typed: it is parsed here, never bound to an
/// int by the framework (which answers a typo with an exception that quotes it).
/// </summary>
public static class QueryValues
{
    public const int MaxPage = 100_000;
    public const string PageError = "页码应为1到100000之间的整数";
    public const string YearError = "年份应为四位数字，如 2024";

    /// <summary>1 when absent, the page when it is a whole number in range, null otherwise.</summary>
    public static int? Page(string? text) =>
        string.IsNullOrWhiteSpace(text) ? 1
        : int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page is >= 1 and <= MaxPage ? page : null;

    /// <summary>Null when absent; the year when it is four digits; false in <paramref name="valid"/> otherwise.</summary>
    public static int? Year(string? text, out bool valid)
    {
        valid = true;
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (text.Trim().Length == 4 && int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year >= 1900) return year;
        valid = false;
        return null;
    }
}
