using System.CommandLine;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Audit;
using Portal.Data.Clients;
using Portal.Data.Entries;
using Portal.Data.Persistence;
using Portal.Web.BackOffice;
using Portal.Web.DemoData;
using Portal.Web.Lifecycle;
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
    public static readonly string[] Verbs = ["seed", "import", "create-user", "publish", "shield", "revoke", "audit", "deadline", "client", "bench", "backup", "restore", "reindex", "courts"];

    /// <summary>True when the first argument that is not a --Section:Key=value setting names a verb.</summary>
    public static bool IsVerb(string[] args) => args.FirstOrDefault(a => !IsSetting(a)) is { } first && Verbs.Contains(first);

    private static bool IsSetting(string a) => a.StartsWith("--", StringComparison.Ordinal) && a.Contains(':') && a.Contains('=');

    public static async Task<int> RunAsync(string[] args)
    {
        // Arguments of the form --Section:Key=value are configuration, as for the server; the rest is the verb.
        var configArgs = args.Where(IsSetting).ToArray();
        var verbArgs = args.Except(configArgs).ToArray();

        var root = new RootCommand("失信被执行人名单公示门户 — 命令行");

        var count = new Option<int>("--count") { Description = "生成的条目数", Required = true };
        var seed = new Option<int>("--seed") { Description = "随机种子（相同种子生成相同数据）", DefaultValueFactory = _ => 1 };
        var seedCommand = new Command("seed", "生成逼真的演示数据并写入数据库（运行中的门户随即把它们加入索引）") { count, seed };
        seedCommand.SetAction((parse, ct) => WithServices(configArgs, async sp =>
        {
            var n = parse.GetValue(count);
            if (n < 0) { Console.Error.WriteLine("--count 不能为负数"); return 2; }
            if (await sp.GetRequiredService<DemoMark>().MarkAsync(ct) is { } refused) { Console.Error.WriteLine(refused); return 2; }
            var generator = sp.GetRequiredService<DemoDataGenerator>();
            var report = await WithProgress("生成演示数据", n, progress =>
                sp.GetRequiredService<EntryImporter>().ImportAsync(generator.Generate(n, parse.GetValue(seed)), progress, ct, history: true));
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

        var role = new Option<string>("--role") { Description = "clerk | reviewer | superior | admin", Required = true };
        var userName = new Option<string>("--name") { Description = "用户名", Required = true };
        var court = new Option<string>("--court") { Description = "所在法院：法院名录中任一法院的名称或案号代字（如 漯河市召陵区人民法院、豫1104；上级法院人员如 漯河市中级人民法院、豫11、河南省高级人民法院）；管理员不填。可用 courts find 查找" };
        var createUser = new Command("create-user", "创建后台用户；最后一行单独输出生成的初始密码（首次登录须修改）") { role, userName, court };
        createUser.SetAction((parse, ct) => WithServices(configArgs, async sp =>
        {
            await using var scope = sp.CreateAsyncScope();
            var (password, errors) = await scope.ServiceProvider.GetRequiredService<StaffAccounts>()
                .CreateAsync(parse.GetValue(userName)!, parse.GetValue(role)!.Trim().ToLowerInvariant(), parse.GetValue(court));
            if (password is null)
            {
                foreach (var e in errors) Console.Error.WriteLine(e);
                return 2;
            }
            Console.WriteLine($"已创建用户“{parse.GetValue(userName)}”（{parse.GetValue(role)}）。初始密码如下，首次登录须修改：");
            Console.WriteLine(password);
            return 0;
        }));

        root.Add(LifecycleCommand("publish", "发布草稿（须已登记风险提示）", configArgs, (parse, sp) => (EntryActions.Publish(sp.GetRequiredService<Portal.Data.Privacy.IdNumberProtection>()), null)));
        var ground = new Option<string>("--reason") { Description = "performed | settled | terminated", Required = true };
        var eventDate = new Option<string>("--event-date") { Description = "事由发生日期 YYYY-MM-DD", Required = true };
        root.Add(LifecycleCommand("shield", "屏蔽条目", configArgs, (parse, _) =>
        {
            if (!DomainLabels.TryParseShieldGround(parse.GetValue(ground), out var g))
                return (null, "--reason 应为 performed（已履行全部义务）、settled（和解协议已履行）或 terminated（执行程序终结）");
            if (!DateOnly.TryParseExact(parse.GetValue(eventDate), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                return (null, "--event-date 应为 YYYY-MM-DD");
            return (EntryActions.Shield(g, d), null);
        }, ground, eventDate));
        var revokeReason = new Option<string>("--reason") { Description = "撤销理由", Required = true };
        root.Add(LifecycleCommand("revoke", "撤销条目（纳入有误）", configArgs, (parse, _) =>
            string.IsNullOrWhiteSpace(parse.GetValue(revokeReason)) ? (null, "撤销须写明理由") : (EntryActions.Revoke(parse.GetValue(revokeReason)!), null), revokeReason));

        var verify = new Command("verify", "校验审计日志的哈希链，指出第一处断裂");
        verify.SetAction((parse, ct) => WithServices(configArgs, async sp =>
        {
            await using var scope = sp.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var broken = await AuditLog.VerifyAsync(db, ct);
            if (broken is null)
            {
                Console.WriteLine($"审计日志完整：{await db.AuditRecords.LongCountAsync(ct)} 条记录");
                return 0;
            }
            Console.Error.WriteLine($"审计日志在第 {broken.Sequence} 条记录处断裂：{broken.Problem}");
            return 2;
        }));
        root.Add(new Command("audit", "审计日志") { verify });

        var from = new Option<string>("--from") { Description = "事件日期 YYYY-MM-DD（期间自次日起算）", Required = true };
        var workingDays = new Option<int>("--working-days") { Description = "工作日数", Required = true };
        var deadline = new Command("deadline", "按国家法定节假日安排（含调休）计算期限的最后一日，输出 YYYY-MM-DD") { from, workingDays };
        deadline.SetAction(parse =>
        {
            if (!DateOnly.TryParseExact(parse.GetValue(from), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start))
            {
                Console.Error.WriteLine("--from 应为 YYYY-MM-DD");
                return 2;
            }
            if (parse.GetValue(workingDays) is < 1 or > 3650) { Console.Error.WriteLine("--working-days 应在1到3650之间"); return 2; }
            try
            {
                var config = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(configArgs).Build();
                var options = config.GetSection(PortalOptions.Section).Get<PortalOptions>() ?? new PortalOptions();
                var calendar = Portal.Data.Calendar.WorkingDayCalendar.Load(Path.Combine(options.FullDataDirectory, "calendar"));
                var due = calendar.AddWorkingDays(start, parse.GetValue(workingDays));
                Console.WriteLine(due.Due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                if (due.Provisional)
                    Console.Error.WriteLine($"暂定：期间跨入尚无官方安排的年份（已有：{string.Join("、", calendar.YearsOnFile.Order())}），只按周末计算");
                return 0;
            }
            catch (InvalidOperationException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 1;
            }
        });
        root.Add(deadline);
        root.Add(ClientCommand(configArgs));
        root.Add(BenchCommand(configArgs));
        root.Add(createUser);
        root.Add(seedCommand);
        root.Add(importCommand);
        root.Add(BackupCommand(configArgs));
        root.Add(RestoreCommand(configArgs));
        root.Add(ReindexCommand(configArgs));
        root.Add(CourtsCommand(configArgs));
        return await root.Parse(verbArgs).InvokeAsync();
    }

    /// <summary>courts find TEXT: the directory's courts whose name or code holds the text, a line each.</summary>
    private static Command CourtsCommand(string[] configArgs)
    {
        var text = new Argument<string>("text") { Description = "法院名称的一部分、案号代字（或其开头）、拼音首字母" };
        var find = new Command("find", "查找法院：每行输出 代字、名称、层级、上级法院代字、上级法院名称（以制表符分隔；已撤销的注明）") { text };
        find.SetAction((parse, ct) => WithServices(configArgs, sp =>
        {
            var registry = sp.GetRequiredService<Portal.Web.Courts.CourtRegistry>();
            var found = registry.Search(parse.GetValue(text), limit: int.MaxValue, withRetired: true);
            foreach (var c in found)
                Console.WriteLine(string.Join('\t', c.Code, c.Name, Portal.Data.Courts.Court.LevelLabel(c.Level), c.SuperiorCode ?? "",
                    c.SuperiorCode is { } up ? registry.Current.NameOf(up) : "") + (c.IsRetired ? $"\t（已于{c.RetiredOn:yyyy-MM-dd}撤销）" : ""));
            if (found.Count == 0) { Console.Error.WriteLine($"法院名录中没有与“{parse.GetValue(text)}”相符的法院"); return Task.FromResult(1); }
            return Task.FromResult(0);
        }));
        return new Command("courts", "法院名录") { find };
    }

    private static Command BackupCommand(string[] configArgs)
    {
        var target = new Argument<DirectoryInfo>("target") { Description = "新的或空的目录：数据库的一致副本、身份证号码散列密钥、数据保护密钥、日历" };
        var backup = new Command("backup", "在门户运行时备份内置数据库及其密钥（索引可重建，不备份）") { target };
        backup.SetAction((parse, ct) => WithServices(configArgs, async sp =>
        {
            if (sp.GetRequiredService<DatabaseSettings>().Provider != Portal.Data.Persistence.DatabaseProviderKind.Sqlite)
            {
                Console.Error.WriteLine("本命令备份内置 SQLite 数据库。PostgreSQL 部署请用 pg_dump 备份数据库，并另行备份各节点共享的数据保护密钥目录和 Portal:IdHashKey。");
                return 2;
            }
            var options = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<PortalOptions>>().Value;
            var summary = await DataBackup.BackupAsync(options.FullDataDirectory, parse.GetValue(target)!.FullName, TimeProvider.System, ct);
            Console.WriteLine($"已备份到 {parse.GetValue(target)!.FullName}：{summary.Entries} 条条目（数据库版本 {summary.SchemaVersion}）及密钥，共 {summary.Files.Length} 个文件：");
            foreach (var file in summary.Files) Console.WriteLine("  " + file);
            Console.WriteLine(DataBackup.Withheld(options, options.FullDataDirectory));
            return 0;
        }));
        return backup;
    }

    private static Command ReindexCommand(string[] configArgs)
    {
        var reindex = new Command("reindex", "从数据库重建本节点数据目录中的查询索引（门户须先停止；启动时发现索引缺失或损坏也会自动重建）");
        reindex.SetAction((parse, ct) => WithServices(configArgs, async sp =>
        {
            var index = sp.GetRequiredService<Portal.Search.Index.SearchIndex>();
            var sync = sp.GetRequiredService<IndexSync>();
            try { index.Open(); }
            catch (Lucene.Net.Store.LockObtainFailedException)
            {
                Console.Error.WriteLine($"索引目录 {index.Folder} 正被运行中的门户使用：请先停止本节点的门户再重建（门户启动时会自行追上变更，通常无需重建）");
                return 2;
            }
            Console.WriteLine($"正在从数据库重建查询索引（{index.Folder}）");
            var watch = System.Diagnostics.Stopwatch.StartNew();
            long n = 0;
            await AnsiConsole.Progress().StartAsync(async ctx =>
            {
                var task = ctx.AddTask("重建查询索引", maxValue: 1);
                n = await sync.RebuildAsync((done, total) => { task.MaxValue = Math.Max(1, total); task.Value = done; }, ct);
                task.Value = task.MaxValue;
            });
            Console.WriteLine($"已重建查询索引：{n} 条公开条目，用时 {watch.Elapsed.TotalSeconds:0.0} 秒（{index.Folder}）");
            return 0;
        }));
        return reindex;
    }

    private static Command RestoreCommand(string[] configArgs)
    {
        var source = new Argument<DirectoryInfo>("backup") { Description = "backup 命令写出的目录" };
        var password = new Option<FileInfo?>("--certificate-password")
        {
            Description = $"另行保管的密钥加密证书口令文件（{DataSafety.KeyCertificatePasswordFile}，backup 不复制它）；配置了 Portal:KeyEncryptionCertificatePassword 时不需要",
        };
        var restore = new Command("restore", "把备份恢复到空的数据目录（之后启动门户即重建索引）") { source, password };
        restore.SetAction(async (parse, ct) =>
        {
            // Into an empty data directory, before anything opens it: opening would create a new database and keys.
            var options = Host.CreateApplicationBuilder(configArgs).Configuration.GetSection(PortalOptions.Section).Get<PortalOptions>() ?? new PortalOptions();
            if (parse.GetValue(password) is { } file && !file.Exists) { Console.Error.WriteLine($"口令文件 {file.FullName} 不存在"); return 2; }
            try { DataBackup.Restore(parse.GetValue(source)!.FullName, options.FullDataDirectory, parse.GetValue(password)?.FullName); }
            catch (StartupRefusedException ex) { Console.Error.WriteLine(ex.Message); return 2; }
            return await WithServices(configArgs, async sp =>
            {
                await using var db = await sp.GetRequiredService<IDbContextFactory<Portal.Data.Persistence.PortalDbContext>>().CreateDbContextAsync(ct);
                Console.WriteLine($"已恢复到 {options.FullDataDirectory}：{await db.Entries.LongCountAsync(ct)} 条条目；启动门户即重建查询索引");
                return 0;
            });
        });
        return restore;
    }

    /// <summary>
    /// publish / shield / revoke: by --case-number or --file (one per line), as --user, checked and audited like the
    /// web actions. Exit 0 when every case ended in the target state, 2 when any was refused or not found.
    /// </summary>
    private static Command LifecycleCommand(string verb, string description, string[] configArgs,
        Func<System.CommandLine.ParseResult, IServiceProvider, (EntryStep? Step, string? Error)> stepOf, params Option[] extra)
    {
        var caseNumber = new Option<string>("--case-number") { Description = "案号（任意括号形式）" };
        var file = new Option<FileInfo>("--file") { Description = "每行一个案号的文件" };
        var user = new Option<string>("--user") { Description = "操作人（须有审核人角色）", Required = true };
        var name = new Option<string>("--name") { Description = "同一案号下有多个被执行人时，指定姓名或名称" };
        var command = new Command(verb, description) { caseNumber, file, user, name };
        foreach (var o in extra) command.Add(o);
        command.SetAction((parse, ct) => WithServices(configArgs, async sp =>
        {
            var (step, error) = stepOf(parse, sp);
            if (step is null) { Console.Error.WriteLine(error); return 2; }
            var targets = new List<string>();
            if (parse.GetValue(caseNumber) is { Length: > 0 } one) targets.Add(one);
            if (parse.GetValue(file) is { } f)
            {
                if (!f.Exists) { Console.Error.WriteLine($"找不到文件：{f.FullName}"); return 1; }
                targets.AddRange(File.ReadLines(f.FullName).Select(l => l.Trim()).Where(l => l.Length > 0));
            }
            if (targets.Count == 0) { Console.Error.WriteLine("请用 --case-number 或 --file 指定案号"); return 2; }
            await using var scope = sp.CreateAsyncScope();
            var actor = parse.GetValue(user)!;
            var accounts = scope.ServiceProvider.GetRequiredService<StaffAccounts>();
            if (await accounts.CheckRoleAsync(actor, StaffRoles.Reviewer) is { } denied)
            {
                Console.Error.WriteLine($"拒绝：{denied}");
                return 2;
            }
            // Checked exactly like the web: a reviewer acts on their own court's entries only.
            var results = await sp.GetRequiredService<EntryActions>().ApplyByCaseNumbersAsync(targets, parse.GetValue(name), step, actor, ct,
                await accounts.ScopeOfAsync(actor));
            foreach (var r in results)
            {
                var line = r.Outcome switch
                {
                    ItemOutcome.Applied => $"{r.Target}：完成",
                    ItemOutcome.AlreadyDone => $"{r.Target}：无需操作，{r.Message}",
                    ItemOutcome.NotFound => $"{r.Target}：拒绝，{r.Message}",
                    _ => $"{r.Target}：拒绝，{r.Message}",
                };
                if (r.Outcome is ItemOutcome.Applied or ItemOutcome.AlreadyDone) Console.WriteLine(line);
                else Console.Error.WriteLine(line);
            }
            return results.All(r => r.Outcome is ItemOutcome.Applied or ItemOutcome.AlreadyDone) ? 0 : 2;
        }));
        return command;
    }

    /// <summary>bench: a corpus in a fresh temporary data directory (deleted afterwards unless --keep), then the measurements.</summary>
    private static Command BenchCommand(string[] configArgs)
    {
        var entries = new Option<int>("--entries") { Description = "语料条目数", DefaultValueFactory = _ => 1_000_000 };
        var verify = new Option<int>("--verify") { Description = "批量核查对象数", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<int>("--seed") { Description = "随机种子", DefaultValueFactory = _ => 7 };
        var keep = new Option<bool>("--keep") { Description = "保留临时数据目录" };
        var command = new Command("bench", "基准测试：在临时数据目录中生成语料，测量索引建立速度、索引大小、批量核查耗时和内存峰值；输出表格和一行 JSON") { entries, verify, seed, keep };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(entries) < 1 || parse.GetValue(verify) is < 1 or > Clients.Verification.MaxSubjects)
            {
                Console.Error.WriteLine($"--entries 至少为1，--verify 应在1到{Clients.Verification.MaxSubjects}之间");
                return 2;
            }
            var directory = Path.Combine(Path.GetTempPath(), "portal-bench-" + Guid.NewGuid().ToString("N")[..8]);
            Console.WriteLine($"临时数据目录：{directory}");
            try
            {
                return await WithServices([.. configArgs.Where(a => !a.StartsWith("--Portal:DataDirectory=")), $"--Portal:DataDirectory={directory}"], async sp =>
                {
                    var bench = new Bench(sp, sp.GetRequiredService<TimeProvider>());
                    await bench.RunAsync(parse.GetValue(entries), parse.GetValue(verify), parse.GetValue(seed), ct);
                    bench.Print();
                    return 0;
                });
            }
            finally
            {
                if (!parse.GetValue(keep)) Directory.Delete(directory, recursive: true);
            }
        });
        command.Subcommands.Add(CompareCommand());
        command.Subcommands.Add(EngineCommand());
        return command;
    }

    /// <summary>bench compare: the search engine side by side with Lucene Java and Lucene.Net (bench/compare.sh runs it).</summary>
    private static Command CompareCommand()
    {
        var entries = new Option<int>("--entries") { Description = "语料条目数", DefaultValueFactory = _ => 1_000_000 };
        var rounds = new Option<int>("--rounds") { Description = "交替进行的轮数", DefaultValueFactory = _ => 3 };
        var seed = new Option<int>("--seed") { Description = "随机种子", DefaultValueFactory = _ => 24 };
        var source = new Option<string>("--java-source") { Description = "对照程序的源文件", DefaultValueFactory = _ => "bench/compare/LuceneBench.java" };
        var classPath = new Option<string>("--java-classpath") { Description = "Lucene 8.7 的 jar（Debian liblucene8-java）", Required = true };
        var command = new Command("compare", "查询引擎与 Lucene（Java 与 Lucene.Net，CJK 二元切分）对照：同一语料、同一查询，各自在新进程中建立和查询，多轮交替；输出表格和一行 JSON")
            { entries, rounds, seed, source, classPath };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(entries) < 10_000 || parse.GetValue(rounds) < 1)
            {
                Console.Error.WriteLine("--entries 至少为10000，--rounds 至少为1");
                return 2;
            }
            return await SearchComparison.RunAsync(parse.GetValue(entries), parse.GetValue(rounds), parse.GetValue(seed),
                parse.GetValue(source)!, parse.GetValue(classPath)!, ct);
        });
        return command;
    }

    /// <summary>bench engine: one phase of one engine in a process of its own (started by bench compare).</summary>
    private static Command EngineCommand()
    {
        var engine = new Option<string>("--engine") { Required = true };
        engine.AcceptOnlyFromAmong("lucenenet", "portal");
        var phase = new Option<string>("--phase") { Required = true };
        phase.AcceptOnlyFromAmong("build", "query");
        var paths = new Argument<string[]>("paths") { Arity = new ArgumentArity(2, 3) };
        var command = new Command("engine", "（由 bench compare 调用）build <语料> <索引目录> | query <索引目录> <查询> <耗时文件>") { engine, phase, paths };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            var p = parse.GetValue(paths)!;
            if (parse.GetValue(phase) == "build") SearchComparison.Build(parse.GetValue(engine)!, p[0], p[1]);
            else SearchComparison.Query(parse.GetValue(engine)!, p[0], p[1], p[2]);
            return 0;
        });
        return command;
    }

    /// <summary>client create | list | rotate | revoke: API clients for scripts; a key is printed once, alone on the last line.</summary>
    private static Command ClientCommand(string[] configArgs)
    {
        var kind = new Option<string>("--kind") { Description = "bank | unit | reprinter | media | display", Required = true };
        var name = new Option<string>("--name") { Description = "单位名称", Required = true };
        var scopes = new Option<string>("--scopes") { Description = "feed,takedown,verify,measures 中的一项或多项（默认按类型：银行 verify，转载网站 feed,takedown，联合惩戒单位 feed,measures，其他 feed）" };
        var category = new Option<string>("--category") { Description = "联合惩戒单位的类别：" + string.Join("、", Portal.Data.Measures.UnitCategories.Labels.Keys) };
        var contact = new Option<string>("--contact") { Description = "联系人及联系方式" };
        var webhook = new Option<string>("--webhook") { Description = "接收变更推送的网址" };
        var pagePattern = new Option<string>("--page-pattern") { Description = "转载页面网址，含 {publicId} 或 {caseNumber}" };
        var rate = new Option<int?>("--rate") { Description = "每分钟请求上限（默认按配置）" };
        var actor = new Option<string>("--user") { Description = "记入审计日志的操作人", DefaultValueFactory = _ => "cli" };
        var create = new Command("create", "登记客户端并发放密钥；最后一行单独输出密钥（只显示这一次）") { kind, name, scopes, category, contact, webhook, pagePattern, rate, actor };
        create.SetAction((parse, ct) => WithServices(configArgs, async sp =>
        {
            var kindText = parse.GetValue(kind);
            var (issued, errors) = await sp.GetRequiredService<Clients.ApiClients>().CreateAsync(new Clients.ClientRegistration
            {
                Name = parse.GetValue(name), Kind = kindText, Contact = parse.GetValue(contact), WebhookUrl = parse.GetValue(webhook),
                PageUrlPattern = parse.GetValue(pagePattern), RatePerMinute = parse.GetValue(rate), Category = parse.GetValue(category),
                Scopes = parse.GetValue(scopes) ?? kindText?.Trim().ToLowerInvariant() switch { "bank" => "verify", "reprinter" => "feed,takedown", "unit" => "feed,measures", _ => "feed" },
            }, parse.GetValue(actor)!, ct);
            if (issued is null)
            {
                foreach (var e in errors) Console.Error.WriteLine(e);
                return 2;
            }
            var c = issued.Client;
            Console.WriteLine($"已登记客户端 {c.Id}“{c.Name}”（{c.Kind.Label()}），权限：{c.Scopes}");
            if (issued.WebhookSecret is not null) Console.WriteLine($"推送签名密钥（只显示这一次）：{issued.WebhookSecret}");
            Console.WriteLine("API 密钥如下，只显示这一次，请放在请求头 X-Api-Key 中：");
            Console.WriteLine(issued.Key);
            return 0;
        }));

        var list = new Command("list", "列出客户端（不含密钥）");
        list.SetAction((parse, ct) => WithServices(configArgs, async sp =>
        {
            var table = new Table().AddColumns("编号", "单位", "类型", "权限", "推送地址", "状态");
            foreach (var c in await sp.GetRequiredService<Clients.ApiClients>().ListAsync(ct))
                table.AddRow(c.Id.ToString(), Markup.Escape(c.Name), c.Kind.Code(), c.Scopes, Markup.Escape(c.WebhookUrl ?? "—"), c.IsActive ? "有效" : "已吊销");
            AnsiConsole.Write(table);
            return 0;
        }));

        var id = new Option<long>("--id") { Description = "客户端编号", Required = true };
        var rotate = new Command("rotate", "更换密钥（旧密钥立即失效）；最后一行单独输出新密钥") { id, actor };
        rotate.SetAction((parse, ct) => WithServices(configArgs, async sp =>
        {
            var (issued, error) = await sp.GetRequiredService<Clients.ApiClients>().RotateAsync(parse.GetValue(id), parse.GetValue(actor)!, ct);
            if (issued is null) { Console.Error.WriteLine(error); return 2; }
            Console.WriteLine($"客户端 {issued.Client.Id}“{issued.Client.Name}”的新密钥如下，旧密钥已失效：");
            Console.WriteLine(issued.Key);
            return 0;
        }));
        var revoke = new Command("revoke", "吊销客户端（密钥立即失效）") { id, actor };
        revoke.SetAction((parse, ct) => WithServices(configArgs, async sp =>
        {
            if (await sp.GetRequiredService<Clients.ApiClients>().RevokeAsync(parse.GetValue(id), parse.GetValue(actor)!, ct) is { } error)
            {
                Console.Error.WriteLine(error);
                return 2;
            }
            Console.WriteLine($"客户端 {parse.GetValue(id)} 已吊销");
            return 0;
        }));
        return new Command("client", "API 客户端：银行、联合惩戒单位、转载网站、媒体") { create, list, rotate, revoke };
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
            if (Environment.GetEnvironmentVariable("PORTAL_TRACE") == "1") Console.Error.WriteLine(ex);
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
