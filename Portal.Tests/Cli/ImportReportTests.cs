using Microsoft.EntityFrameworkCore;
using Portal.Data.Persistence;
using Portal.Tests.Support;
using Portal.Web.Import;

namespace Portal.Tests.Cli;

public class ImportReportTests(ImportReportTests.Fixture fixture) : IClassFixture<ImportReportTests.Fixture>
{
    public sealed class Fixture : IDisposable
    {
        public PortalFactory Portal { get; } = new();
        public void Dispose() => Portal.Dispose();
    }

    [Fact]
    public async Task Each_rejected_line_is_reported_with_its_number_and_reason_and_never_the_full_id()
    {
        var lines = string.Join('\n',
            TestEntries.Json(TestEntries.Person("周一", "11010519491231002X", "（2017）京0105执1号")),
            "[1,2,3]",
            TestEntries.Json(TestEntries.Person("周二", "412702198403151516", "（2017）京0105执2号")),
            "{\"caseNumber\": \"abc\"}");
        _ = fixture.Portal.Server;
        var importer = fixture.Portal.Services.GetRequiredService<EntryImporter>();
        var report = await importer.ImportAsync(EntryImporter.ReadJsonLines(new StringReader(lines)));
        Assert.Equal(1, report.Imported);
        Assert.Equal([2, 3, 4], report.Rejected.Select(r => r.Line));
        Assert.StartsWith("第2行：JSON格式错误", report.Rejected[0].ToString());
        Assert.Equal("第3行：idNumber：身份证号码校验位错误：第18位应为 2", report.Rejected[1].ToString());
        Assert.Contains("caseNumber：案号格式不正确", report.Rejected[2].ToString());
        Assert.DoesNotContain("412702198403151516", string.Join("\n", report.Rejected));
        Assert.Equal(2, report.ExitCode);
    }

    [Fact]
    public async Task An_import_stopped_half_way_leaves_only_whole_committed_batches()
    {
        _ = fixture.Portal.Server;
        var importer = fixture.Portal.Services.GetRequiredService<EntryImporter>();
        var generator = fixture.Portal.Services.GetRequiredService<Portal.Web.DemoData.DemoDataGenerator>();
        using var cts = new CancellationTokenSource();
        var lines = generator.Generate(2500, seed: 11).Select(line =>
        {
            if (line.Line == 1500) cts.Cancel(); // the process "dies" in the middle of the second batch
            line.Input!.CaseNumber = line.Input.CaseNumber!.Replace("执", "执保"); // distinct from other tests' cases
            return line;
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => importer.ImportAsync(lines, null, cts.Token));

        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var stored = await db.Entries.Where(e => e.CaseNumber.Contains("执保")).ToListAsync();
        Assert.Equal(EntryImporter.BatchSize, stored.Count);
        Assert.All(stored.Where(e => e.SubjectType == Portal.Data.Entries.SubjectType.Person),
            e => Assert.True(e.IdNumberCipher is not null && e.IdNumberHash is not null && e.IdNumberMasked is not null));
    }
}
