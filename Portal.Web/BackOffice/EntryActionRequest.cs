using Portal.Data.Entries;
using Portal.Data.Privacy;
using Portal.Web.Lifecycle;

namespace Portal.Web.BackOffice;

public enum EntryActionKind { Publish, Shield, Revoke, Republish, NonPublic }

/// <summary>What a reviewer confirmed in an action dialog, turned into the lifecycle step every other path takes too.</summary>
public sealed record EntryActionRequest(EntryActionKind Action, RemovalGround? Ground, DateOnly? EventDate, string? Text, string? EmployerUnit)
{
    /// <summary>Every dialog action is the reviewer's (审核人) to take.</summary>
    public const string Role = StaffRoles.Reviewer;

    public static string Title(EntryActionKind action) => action switch
    {
        EntryActionKind.Publish => "发布",
        EntryActionKind.Shield => "屏蔽",
        EntryActionKind.Revoke => "撤销",
        EntryActionKind.Republish => "重新发布",
        _ => "标记为依法不宜公开",
    };

    /// <summary>The actions that apply to an entry in its state, and the missing prerequisite of each (null when none).</summary>
    public static IEnumerable<(EntryActionKind Action, string? Missing)> For(EntryRow row) => row.Status switch
    {
        EntryStatus.Draft => [(EntryActionKind.Publish, row.RiskNoticeRecorded ? null : "须先由书记员登记已送达风险提示")],
        EntryStatus.Published when !row.NonPublic => [(EntryActionKind.Shield, null), (EntryActionKind.Revoke, null), (EntryActionKind.NonPublic, null)],
        EntryStatus.Shielded => [(EntryActionKind.Republish, null)],
        _ => [],
    };

    public EntryStep Step(IdNumberProtection protection) => Action switch
    {
        EntryActionKind.Publish => EntryActions.Publish(protection),
        EntryActionKind.Shield => EntryActions.Shield(Ground!.Value, EventDate!.Value),
        EntryActionKind.Revoke => EntryActions.Revoke(Text ?? ""),
        EntryActionKind.Republish => EntryActions.Republish(Text ?? ""),
        _ => EntryActions.MarkNonPublic(EmployerUnit ?? "", Text ?? ""),
    };

    public string Done => Action switch
    {
        EntryActionKind.Publish => "已发布",
        EntryActionKind.Republish => "已重新发布",
        EntryActionKind.NonPublic => "已标记为依法不宜公开，已从公开页面移除",
        _ => $"已{Title(Action)}，已从所有公开页面移除并发布移除公告",
    };
}
