using System.CommandLine;
using Portal.Web.DemoData;
using Portal.Web.Hosting;
using Portal.Web.Import;
using Portal.Web.Search;
using Spectre.Console;

namespace Portal.Web.Cli;

/// <summary>
/// The command-line verbs of the portal executable. Configuration comes from the same sources as the server
/// (environment, <c>--Portal:DataDirectory=...</c> style arguments), so a verb acts on the same data.
/// </summary>
public static class PortalCommands
{
    public static readonly string[] Verbs = ["seed", "import", "reindex"];

    public static bool IsVerb(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    public static async Task<int> RunAsync(string[] args)
    {
        // Arguments of the form --Section:Key=value are configuration, as for the server; the rest is the verb.
        var configArgs = args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains(':') && a.Contains('=')).ToArray();
        var verbArgs = args.Except(configArgs).ToArray();

        var root = new RootCommand("失信被执行人名单公示门户 — 命令行");

        var count = new Option<int>("--count") { Description = "生成的条目数", Required = true };
        var seed = new Option<int>("--seed") { Description = "随机种子（相同种子生成相同数据）", DefaultValueFactory = _ => 1 };
        var seedCommand = new Command("seed", "生成逼真的演示数据并写入数据库和索引") { count, seed };
        seedCommand.SetAction((parse, ct) => WithServices(configArgs, async sp =>
        {
            var n = parse.GetValue(count);
            if (n < 0) { Console.Error.WriteLine("--count 不能为负数"); return 2; }
            var generator = sp.GetRequiredService<DemoDataGenerator>();
            var report = await WithProgress("生成演示数据", n, progress =>
                sp.GetRequiredService<EntryImporter>().ImportAsync(generator.Generate(n, parse.GetValue(seed)), progress, ct));
            foreach (var e in report.Rejected.Take(20)) Console.Error.WriteLine(e);
            Console.WriteLine($"已生成 {report.Imported} 条");
            return report.Rejected.Count == 0 ? 0 : 1;
        }));

        var file = new Argument<FileInfo>("file") { Description = "JSONL 文件：每行一个条目，字段名见 domain.md" };
        var importCommand = new Command("import", "导入 JSONL 文件中的条目；逐行报告被拒绝的行及原因") { file };
        importCommand.SetAction((parse, ct) => WithServices(configArgs, async sp =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists) { Console.Error.WriteLine($"找不到文件：{path.FullName}"); return 1; }
            var lines = File.ReadLines(path.FullName).Count();
            using var reader = new StreamReader(path.FullName);
            var report = await WithProgress("导入", lines, progress =>
                sp.GetRequiredService<EntryImporter>().ImportAsync(EntryImporter.ReadJsonLines(reader), progress, ct));
            foreach (var e in report.Rejected) Console.Error.WriteLine(e);
            Console.WriteLine($"导入 {report.Imported} 条，拒绝 {report.Rejected.Count} 行");
            return report.ExitCode;
        }));

        var reindexCommand = new Command("reindex", "从数据库重建搜索索引");
        reindexCommand.SetAction((parse, ct) => WithServices(configArgs, async sp =>
        {
            long built = 0;
            await AnsiConsole.Progress().StartAsync(async ctx =>
            {
                var task = ctx.AddTask("重建索引");
                built = await sp.GetRequiredService<IndexSync>().RebuildAsync((done, total) =>
                {
                    task.MaxValue = Math.Max(total, 1);
                    task.Value = done;
                }, ct);
                task.Value = task.MaxValue;
            });
            Console.WriteLine($"索引已重建：{built} 条公开条目");
            return 0;
        }));

        root.Add(seedCommand);
        root.Add(importCommand);
        root.Add(reindexCommand);
        return await root.Parse(verbArgs).InvokeAsync();
    }

    private static async Task<int> WithServices(string[] configArgs, Func<IServiceProvider, Task<int>> action)
    {
        try
        {
            var builder = Host.CreateApplicationBuilder(configArgs);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddPortal(builder.Configuration);
            using var host = builder.Build();
            await host.Services.GetRequiredService<PortalInitializer>().UpgradeSchemaAsync();
            return await action(host.Services);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Console.Error.WriteLine($"失败：{ex.Message}");
            return 1;
        }
    }

    private static async Task<T> WithProgress<T>(string label, int max, Func<Action<int>, Task<T>> work)
    {
        T result = default!;
        await AnsiConsole.Progress().StartAsync(async ctx =>
        {
            var task = ctx.AddTask(label, maxValue: Math.Max(max, 1));
            result = await work(done => task.Value = done);
            task.Value = task.MaxValue;
        });
        return result;
    }
}
