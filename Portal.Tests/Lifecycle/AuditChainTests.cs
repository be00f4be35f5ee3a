using Portal.Data.Audit;

namespace Portal.Tests.Lifecycle;

public class AuditChainTests
{
    private static List<AuditRecord> Chain(int n)
    {
        var records = new List<AuditRecord>();
        var previous = AuditRecord.GenesisHash;
        for (var i = 1; i <= n; i++)
        {
            var r = new AuditRecord
            {
                Sequence = i, At = new DateTime(2026, 11, 22, 1, 0, i, DateTimeKind.Utc), Actor = "rev1", Action = "shield",
                EntryId = i, CaseNumber = $"（2019）豫0311执{i}号", Reason = "被执行人已履行全部义务", Changes = "{\"status\":[\"published\",\"shielded\"]}",
                PreviousHash = previous,
            };
            r.Hash = r.ComputeHash();
            previous = r.Hash;
            records.Add(r);
        }
        return records;
    }

    [Fact]
    public void An_intact_chain_verifies()
    {
        Assert.Null(AuditChain.Verify(Chain(10)));
    }

    [Fact]
    public void An_edited_record_is_named()
    {
        var chain = Chain(10);
        chain[6].Reason = "执行程序已终结";
        Assert.Equal(new AuditBreak(7, "记录内容与其哈希不符（已被修改）"), AuditChain.Verify(chain));
    }

    [Fact]
    public void An_edit_that_also_rewrites_its_own_hash_breaks_the_next_link()
    {
        var chain = Chain(10);
        chain[3].Actor = "someone";
        chain[3].Hash = chain[3].ComputeHash();
        Assert.Equal(new AuditBreak(5, "与前一条记录的哈希不衔接"), AuditChain.Verify(chain));
    }

    [Fact]
    public void A_deleted_record_is_named()
    {
        var chain = Chain(10);
        chain.RemoveAt(2);
        Assert.Equal(3, AuditChain.Verify(chain)!.Sequence);
    }
}

public class AuditCreationRecordTests
{
    [Fact]
    public void A_creation_names_the_entry_and_pins_its_whole_content_by_digest()
    {
        var snapshot = new Dictionary<string, string?> { ["caseNumber"] = "（2019）豫0311执1234号", ["name"] = "张三", ["obligation"] = "偿还借款50000元" };
        var changed = new Dictionary<string, string?>(snapshot) { ["obligation"] = "偿还借款60000元" };
        var a = System.Text.Json.JsonDocument.Parse(AuditRecord.CreationJson(snapshot, "caseNumber", "name")).RootElement;
        var b = System.Text.Json.JsonDocument.Parse(AuditRecord.CreationJson(changed, "caseNumber", "name")).RootElement;
        Assert.Equal("张三", a.GetProperty("name").GetString());
        Assert.False(a.TryGetProperty("obligation", out _));
        Assert.Equal(64, a.GetProperty("contentSha256").GetString()!.Length);
        Assert.NotEqual(a.GetProperty("contentSha256").GetString(), b.GetProperty("contentSha256").GetString());
        Assert.Contains("张三", AuditRecord.CreationJson(snapshot, "name")); // readable, not \u escapes
    }
}
