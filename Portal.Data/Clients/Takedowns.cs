using System.Text.Json.Serialization;
using Portal.Data.Lifecycle;

namespace Portal.Data.Clients;

/// <summary>That a client received an entry's public fields (feed, webhook or export): the basis of its takedown duty.</summary>
public sealed class ClientReceipt
{
    public long ClientId { get; set; }
    public long EntryId { get; set; }
    public DateTime At { get; set; }
    public string Via { get; set; } = "";
}

[JsonConverter(typeof(JsonStringEnumConverter<TakedownStatus>))]
public enum TakedownStatus
{
    [JsonStringEnumMemberName("open")] Open,
    [JsonStringEnumMemberName("acknowledged")] Acknowledged,
    [JsonStringEnumMemberName("late")] Late,
    [JsonStringEnumMemberName("overdue")] Overdue,
}

/// <summary>
/// A reprinter's duty to delete a removed entry within 3 working days of its removal, and what became of it.
/// </summary>
public sealed class TakedownNotice
{
    public const int WorkingDays = 3;

    public long Id { get; set; }
    public long ClientId { get; set; }
    public long EntryId { get; set; }
    public long EventId { get; set; }
    public string PublicId { get; set; } = "";
    public string CaseNumber { get; set; } = "";
    public string Court { get; set; } = "";
    public EntryAction Action { get; set; }
    public DateTime RemovedAt { get; set; }

    /// <summary>The last day to delete (to its end, China time).</summary>
    public DateOnly DueOn { get; set; }

    /// <summary>The period runs into a year whose holiday calendar is not on file yet.</summary>
    public bool DueProvisional { get; set; }

    /// <summary>A display operator's deadline, to the minute (UTC); null for the working-day deadline of <see cref="DueOn"/>.</summary>
    public DateTime? DueAt { get; set; }

    public DateTime? AcknowledgedAt { get; set; }

    /// <summary>When the re-check fetched the reprinter's page, and whether the case number was still on it.</summary>
    public DateTime? CheckedAt { get; set; }
    public bool? StillShown { get; set; }
    public string? CheckNote { get; set; }

    /// <summary>
    /// Acknowledged on or before the due day (or, with <see cref="DueAt"/>, the due minute) counts as on time;
    /// unacknowledged after it is overdue.
    /// </summary>
    public TakedownStatus StatusAt(DateTime nowUtc) => DueAt is { } dueAt
        ? AcknowledgedAt is { } acked ? acked <= dueAt ? TakedownStatus.Acknowledged : TakedownStatus.Late
            : nowUtc > dueAt ? TakedownStatus.Overdue : TakedownStatus.Open
        : AcknowledgedAt is { } ack ? Entries.ChinaTime.DateOf(ack) <= DueOn ? TakedownStatus.Acknowledged : TakedownStatus.Late
        : Entries.ChinaTime.DateOf(nowUtc) > DueOn ? TakedownStatus.Overdue : TakedownStatus.Open;
}

public static class TakedownStatusLabels
{
    public static string Label(this TakedownStatus s) => s switch
    {
        TakedownStatus.Open => "待删除",
        TakedownStatus.Acknowledged => "按期确认",
        TakedownStatus.Late => "逾期确认",
        _ => "已逾期未确认",
    };
}
