namespace Portal.Data.Audit;

/// <summary>The audit log's action codes, as court staff read them.</summary>
public static class AuditActions
{
    public static string Label(string action) => action switch
    {
        "create" => "录入",
        "edit" => "修改内容",
        "record-risk-notice" => "登记风险提示",
        "publish" => "发布",
        "record-removal-event" => "登记屏蔽事由",
        "shield" => "屏蔽",
        "revoke" => "撤销",
        "republish" => "重新发布",
        "expire" => "届满移除",
        "mark-non-public" => "标记为依法不宜公开",
        "employer-notified" => "登记已通知所在单位",
        "reconsideration-accepted" => "复议成立（撤销）",
        "reconsideration-refused" => "驳回复议",
        "identity-check-reopened" => "恢复在线身份核验",
        "court-added" => "新设法院",
        "court-renamed" => "法院更名",
        "court-changed" => "修改法院信息",
        "court-retired" => "撤销法院",
        _ => action,
    };
}
