using System.Text.Json.Serialization;

namespace Portal.Data.Clients;

public enum DeliveryStatus
{
    [JsonStringEnumMemberName("pending")] Pending,
    [JsonStringEnumMemberName("delivered")] Delivered,
    [JsonStringEnumMemberName("dead")] Dead,
}

/// <summary>Which feed a delivery's event is from: the public change feed, a unit's own measure feed, or a client's watch alerts.</summary>
public enum DeliveryFeed { Entries, Measures, Watch }

/// <summary>One change-feed event on its way to one client's webhook; kept in the database so it survives restarts.</summary>
public sealed class WebhookDelivery
{
    public long Id { get; set; }
    public long ClientId { get; set; }

    /// <summary>The event's id in its feed: an <c>entry_events</c> cursor, or a <c>measure_events</c> id.</summary>
    public long EventId { get; set; }
    public DeliveryFeed Feed { get; set; }
    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? DeliveredAt { get; set; }
    public string? LastError { get; set; }
}

/// <summary>
/// The record of a bank's verification call: enough to prove later that the check was made and what it found
/// (counts and digests, signed), never the names or ID numbers checked.
/// </summary>
public sealed class VerificationReceipt
{
    public string Id { get; set; } = "";
    public long ClientId { get; set; }
    public string ClientName { get; set; } = "";
    public DateTime At { get; set; }
    public int Subjects { get; set; }
    public int Listed { get; set; }
    public int NameMismatches { get; set; }
    public int Invalid { get; set; }
    public string RequestDigest { get; set; } = "";
    public string ResultDigest { get; set; } = "";
    public string Signature { get; set; } = "";
}
