namespace Portal.Data.Privacy;

/// <summary>
/// Exact ID-number lookups that found nothing although the number's family (the digits a masked number shows) holds a
/// listed entry: the trace of someone trying the hidden digits. Counted per caller (all anonymous callers together, or
/// one API client), and per day for a client's budget.
/// </summary>
public sealed class IdLookupMiss
{
    public string Caller { get; set; } = "";

    /// <summary>Keyed hash of the family, or <c>day:YYYY-MM-DD</c> for a caller's daily total.</summary>
    public string Family { get; set; } = "";

    /// <summary>How many different numbers of the family were tried without a match.</summary>
    public int Misses { get; set; }

    /// <summary>Short keyed tags of the numbers tried, comma-joined: a number tried again is not a new miss.</summary>
    public string Tried { get; set; } = "";

    public DateTime FirstAt { get; set; }
    public DateTime LastAt { get; set; }

    /// <summary>When the misses passed the allowance; the family reopens a configured time later (<c>Privacy:ReopenAfterDays</c>).</summary>
    public DateTime? ClosedAt { get; set; }

    /// <summary>
    /// The masked form the caller's numbers show (e.g. 4127021984****1512), for the caller's own view of its closures.
    /// Only what a listed entry already shows publicly; null for daily totals and identity checks.
    /// </summary>
    public string? Masked { get; set; }
}
