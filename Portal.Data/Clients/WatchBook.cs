using System.Text.Json.Serialization;
using Portal.Data.Entries;

namespace Portal.Data.Clients;

/// <summary>
/// One subject a bank or unit watches (its 监测名单): the client's own reference, the normalized name, and the keyed hash
/// of the ID number or credit code; the number itself is never stored.
/// </summary>
public sealed class WatchedSubject
{
    public long Id { get; set; }
    public long ClientId { get; set; }

    /// <summary>The client's own reference for the subject (a customer number): what its alerts name.</summary>
    public string Reference { get; set; } = "";

    public SubjectType SubjectType { get; set; }

    /// <summary>The name as the search analysis normalizes it (simplified, full-width folded, no spaces).</summary>
    public string NameKey { get; set; } = "";

    /// <summary>HMAC-SHA256 of the canonical ID number (as an entry's) or of the credit code (<see cref="Privacy.IdNumberProtection.HashCreditCode"/>).</summary>
    public string NumberHash { get; set; } = "";

    /// <summary>
    /// A person's number's family (the digits a masked number shows) and name, keyed (<c>ExactIdGuard.WatchKey</c>): a
    /// book may hold only a few numbers of one family under one name, or it could wait, holding every candidate of a
    /// person, for a listing to name the right one.
    /// </summary>
    public string? FamilyKey { get; set; }

    /// <summary>
    /// Never matched: its number's family was closed to the client by the exact-lookup guard when it was registered
    /// (too many numbers sharing a listed person's visible digits), or the book holds more numbers of that family than the
    /// guard's allowance: an alert would confirm hidden digits.
    /// </summary>
    public bool Unverifiable { get; set; }

    public DateTime AddedAt { get; set; }

    /// <summary>The newest change-feed event when it was added: later events are matched against it, earlier ones were covered by its first matching.</summary>
    public long SinceEvent { get; set; }
}

/// <summary>What an alert says happened: an entry newly concerning a watched subject, or a change to one that does.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WatchEventType>))]
public enum WatchEventType
{
    /// <summary>Found on the public list when the subject was added.</summary>
    [JsonStringEnumMemberName("already_listed")] AlreadyListed,
    [JsonStringEnumMemberName("listed")] Listed,
    [JsonStringEnumMemberName("updated")] Updated,
    [JsonStringEnumMemberName("shielded")] Shielded,
    [JsonStringEnumMemberName("revoked")] Revoked,
    [JsonStringEnumMemberName("expired")] Expired,
    [JsonStringEnumMemberName("withdrawn")] Withdrawn,
}

/// <summary>One alert in a client's watch feed; names no one, only the client's reference and the public entry.</summary>
public sealed class WatchEvent
{
    public long Id { get; set; }
    public long ClientId { get; set; }
    public string Reference { get; set; } = "";
    public WatchEventType Type { get; set; }

    /// <summary><c>identifier</c> (the debtor's number) or <c>legalRepresentative</c> (the number a court recorded for an organization's representative).</summary>
    public string MatchedOn { get; set; } = "";

    /// <summary>Whether the entry's name agrees with the watched one; when not (only for organizations), the alert does not name the entry.</summary>
    public bool NameMatches { get; set; }

    public string PublicId { get; set; } = "";
    public string CaseNumber { get; set; } = "";
    public string Court { get; set; } = "";
    public DateTime At { get; set; }

    /// <summary>The change-feed event it came from; null for a match found when the subject was added.</summary>
    public long? EntryEventId { get; set; }
}
