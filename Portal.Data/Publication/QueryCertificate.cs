namespace Portal.Data.Publication;

/// <summary>
/// A signed record of one public search (查询证明): what was searched, masked as the results page shows it; when; the
/// data's as-of time; and what was found (up to <see cref="MaxItems"/> entries as the public saw them) or nothing. It holds
/// no full ID number and no digest of one: the query is stored as shown (<see cref="Entries.IdNumber.MaskTyped"/>).
/// </summary>
public sealed class QueryCertificate
{
    public const int MaxItems = 50;
    public const int MaxQueryLength = 200;

    public string Id { get; set; } = "";
    public DateTime At { get; set; }
    public DateTime? DataAsOf { get; set; }

    /// <summary>What was searched, as the results page echoes it (an ID number masked).</summary>
    public string Query { get; set; } = "";

    /// <summary>The search's scope in words: 义务内容, the type, province, court, year and circumstance chosen; empty for none.</summary>
    public string Scope { get; set; } = "";

    public long Total { get; set; }

    /// <summary>The entries found, as JSON (<see cref="CertificateItem"/>[]), in the order the results page showed them.</summary>
    public string Items { get; set; } = "[]";

    public string Signature { get; set; } = "";
}

/// <summary>One entry as a certificate lists it: public fields only (the masked ID number or the credit code).</summary>
public sealed record CertificateItem(string PublicId, string Name, string? Identifier, string CaseNumber, string Court, DateOnly? PublishedOn);
