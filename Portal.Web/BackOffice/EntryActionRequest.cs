using Portal.Data.Entries;
using Portal.Data.Privacy;
using Portal.Web.Lifecycle;

namespace Portal.Web.BackOffice;

public enum EntryActionKind { RiskNotice, Publish, RemovalEvent, Shield, Revoke, Republish, NonPublic, EmployerNotified, Reconsideration }

/// <summary>What a person confirmed in an action dialog, turned into the lifecycle step every other path takes too.</summary>
public sealed record EntryActionRequest(EntryActionKind Action, RemovalGround? Ground = null, DateOnly? Date = null, string? Text = null,
    string? EmployerUnit = null, ServiceMethod? Method = null, bool Accepted = false)
{
    /// <summary>Who takes each action: the clerk (书记员) records, the reviewer (审核人) decides, the superior court decides reconsiderations.</summary>
    public static string RoleOf(EntryActionKind action) => action switch
    {
        EntryActionKind.RiskNotice or EntryActionKind.RemovalEvent or EntryActionKind.EmployerNotified => StaffRoles.Clerk,
        EntryActionKind.Reconsideration => StaffRoles.Superior,
        _ => StaffRoles.Reviewer,
    };

    public static string Title(EntryActionKind action) => action switch
    {
        EntryActionKind.RiskNotice => "登记风险提示",
        EntryActionKind.Publish => "发布",
        EntryActionKind.RemovalEvent => "登记屏蔽事由",
        EntryActionKind.Shield => "屏蔽",
        EntryActionKind.Revoke => "撤销",
        EntryActionKind.Republish => "重新发布",
        EntryActionKind.NonPublic => "标记为依法不宜公开",
        EntryActionKind.EmployerNotified => "登记已通知所在单位",
        _ => "复议决定",
    };

    /// <summary>The actions that apply to an entry in its state, and the missing prerequisite of each (null when none).</summary>
    public static IEnumerable<(EntryActionKind Action, string? Missing)> For(EntryRow row)
    {
        switch (row.Status)
        {
            case EntryStatus.Draft:
                if (!row.RiskNoticeRecorded) yield return (EntryActionKind.RiskNotice, null);
                yield return (EntryActionKind.Publish, row.RiskNoticeRecorded ? null : "须先由书记员登记已送达风险提示");
                break;
            case EntryStatus.Published:
                if (row.TriggerEventDate is null) yield return (EntryActionKind.RemovalEvent, null);
                yield return (EntryActionKind.Shield, null);
                yield return (EntryActionKind.Revoke, null);
                if (!row.NonPublic) yield return (EntryActionKind.NonPublic, null);
                yield return (EntryActionKind.Reconsideration, null);
                break;
            case EntryStatus.Shielded:
                yield return (EntryActionKind.Republish, null);
                yield return (EntryActionKind.Revoke, null);
                yield return (EntryActionKind.Reconsideration, null);
                break;
        }
        if (row.NonPublic && !row.EmployerNotified) yield return (EntryActionKind.EmployerNotified, null);
    }

    public EntryStep Step(IdNumberProtection protection) => Action switch
    {
        EntryActionKind.RiskNotice => EntryActions.RiskNotice(Date!.Value, Method!.Value),
        EntryActionKind.Publish => EntryActions.Publish(protection),
        EntryActionKind.RemovalEvent => EntryActions.RemovalEvent(Ground!.Value, Date!.Value),
        EntryActionKind.Shield => EntryActions.Shield(Ground!.Value, Date!.Value),
        EntryActionKind.Revoke => EntryActions.Revoke(Text ?? ""),
        EntryActionKind.Republish => EntryActions.Republish(Text ?? ""),
        EntryActionKind.NonPublic => EntryActions.MarkNonPublic(EmployerUnit ?? "", Text ?? ""),
        EntryActionKind.EmployerNotified => EntryActions.EmployerNotified(),
        _ => EntryActions.Reconsideration(Accepted, Text ?? ""),
    };

    public string Done => Action switch
    {
        EntryActionKind.RiskNotice => "已登记风险提示的送达",
        EntryActionKind.Publish => "已发布",
        EntryActionKind.RemovalEvent => "已登记屏蔽事由，须在3日内屏蔽",
        EntryActionKind.Republish => "已重新发布",
        EntryActionKind.NonPublic => "已标记为依法不宜公开，已从公开页面移除",
        EntryActionKind.EmployerNotified => "已登记通知所在单位",
        EntryActionKind.Reconsideration => Accepted ? "复议成立，已撤销并发布移除公告" : "已记录驳回复议的理由",
        _ => $"已{Title(Action)}，已从所有公开页面移除并发布移除公告",
    };
}
