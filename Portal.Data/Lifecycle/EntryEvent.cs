using System.Text.Json.Serialization;

namespace Portal.Data.Lifecycle;

/// <summary>What happened to an entry's public presence. Removal notices are the removal kinds.</summary>
public enum EntryAction
{
    [JsonStringEnumMemberName("published")] Published,
    [JsonStringEnumMemberName("updated")] Updated,
    [JsonStringEnumMemberName("shielded")] Shielded,
    [JsonStringEnumMemberName("revoked")] Revoked,
    [JsonStringEnumMemberName("expired")] Expired,
    [JsonStringEnumMemberName("withdrawn")] Withdrawn,
    [JsonStringEnumMemberName("republished")] Republished,
}

/// <summary>
/// One public change, in commit order (<see cref="Id"/> is the cursor). Carries no personal data, so removal
/// events double as the public removal notices.
/// </summary>
public sealed class EntryEvent
{
    public long Id { get; set; }
    public long EntryId { get; set; }
    public string PublicId { get; set; } = "";
    public string CaseNumber { get; set; } = "";
    public string Court { get; set; } = "";
    public EntryAction Action { get; set; }
    public DateTime At { get; set; }

    /// <summary>For revocations: the revocation time, published in the notice.</summary>
    public DateTime? RevokedAt { get; set; }

    public bool IsRemoval => Action is EntryAction.Shielded or EntryAction.Revoked or EntryAction.Expired or EntryAction.Withdrawn;

    public static readonly EntryAction[] RemovalActions =
        [EntryAction.Shielded, EntryAction.Revoked, EntryAction.Expired, EntryAction.Withdrawn];
}

public static class EntryActionLabels
{
    public static string Label(this EntryAction a) => a switch
    {
        EntryAction.Published => "发布",
        EntryAction.Updated => "更新",
        EntryAction.Shielded => "屏蔽",
        EntryAction.Revoked => "撤销",
        EntryAction.Expired => "期限届满",
        EntryAction.Withdrawn => "依法不宜公开",
        _ => "重新发布",
    };

    public static string Code(this EntryAction a) => a.ToString().ToLowerInvariant();
}
