using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;

namespace Portal.E2E;

/// <summary>
/// The real portal executable on a free loopback port with its own data directory (demo data from the `seed`
/// verb plus known entries from `import`), and Debian's Chromium driven by Playwright.
/// </summary>
public sealed class PortalServer : IAsyncLifetime
{
    public const string KnownFullId = "412702198403151512";

    /// <summary>An entry published on the day the tests run, whose subject applies for its correction.</summary>
    public const string CorrectionCase = "（2026）豫0311执900号";
    public const string CorrectionId = "410305198001012013";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("portal-e2e-").FullName;
    private Process? _server;
    private IPlaywright? _playwright;

    public string BaseUrl { get; private set; } = "";
    public IBrowser Browser { get; private set; } = default!;

    public static string RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Portal.sln"))) root = root.Parent;
        return root?.FullName ?? throw new InvalidOperationException("Portal.sln not found above " + AppContext.BaseDirectory);
    }

    internal static string PortalDll()
    {
        // e2e/bin/<Configuration>/net10.0 → Portal.Web/bin/<Configuration>/net10.0
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // Debug or Release
        var dll = Path.Combine(RepositoryRoot(), "Portal.Web", "bin", configuration, "net10.0", "Portal.Web.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing: build Portal.sln first (./test.sh does)");
        return dll;
    }

    private async Task<int> RunVerb(params string[] args)
    {
        using var p = Process.Start(Start(args))!;
        await p.WaitForExitAsync();
        return p.ExitCode;
    }

    /// <summary>Creates a staff account with the CLI, as an administrator does; returns the initial password.</summary>
    public async Task<string> CreateUserAsync(string name, string role)
    {
        using var p = Process.Start(Start(["create-user", "--role", role, "--name", name, .. role == "admin" ? Array.Empty<string>() : ["--court", "豫0311"]]))!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.Equal(0, p.ExitCode);
        return output.Trim().Split('\n')[^1].Trim();
    }

    /// <summary>
    /// A screenshot in the temporary folder (portal-NAME.png) for a person to look at; with PORTAL_DOCS_IMAGES set (to
    /// docs/images), also NAME.png there for the office's pictures (office-*): the court staff's guide shows them.
    /// </summary>
    public static async Task Screenshot(IPage page, string name, bool fullPage = false)
    {
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"portal-{name}.png"), FullPage = fullPage });
        if (Environment.GetEnvironmentVariable("PORTAL_DOCS_IMAGES") is { Length: > 0 } docs && name.StartsWith("office-", StringComparison.Ordinal))
            await page.ScreenshotAsync(new() { Path = Path.Combine(docs, name + ".png"), FullPage = fullPage });
    }

    /// <summary>Registers an API client with the CLI, as an administrator does; returns its key.</summary>
    public async Task<string> CreateClientKeyAsync(string kind, string name, string scopes)
    {
        using var p = Process.Start(Start(["client", "create", "--kind", kind, "--name", name, "--scopes", scopes]))!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.Equal(0, p.ExitCode);
        return output.Trim().Split('\n')[^1].Trim();
    }

    /// <summary>A new staff member's first sign-in in a fresh browser context, through the forced password change.</summary>
    /// <param name="bypassCsp">For a test that injects a tool (axe-core) as an inline script, which the portal's CSP forbids.</param>
    public async Task<IPage> StaffPageAsync(string name, string role, bool bypassCsp = false)
    {
        var password = await CreateUserAsync(name, role);
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 }, BypassCSP = bypassCsp });
        var page = await context.NewPageAsync();
        await page.GotoAsync(BaseUrl + "/office/login");
        await page.GetByLabel("用户名").FillAsync(name);
        await page.GetByLabel("密码").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await page.WaitForURLAsync("**/office/password");
        await page.GetByLabel("当前密码").FillAsync(password);
        await page.GetByLabel("新密码（至少12位，含大小写字母和数字）").FillAsync("Ein-Langes-Passwort-2026");
        await page.GetByLabel("再次输入新密码").FillAsync("Ein-Langes-Passwort-2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "修改密码" }).ClickAsync();
        await page.WaitForURLAsync("**/office");
        return page;
    }

    private ProcessStartInfo Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(PortalDll());
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add($"--Portal:DataDirectory={_dataDirectory}");
        return psi;
    }

    public async Task InitializeAsync()
    {
        var known = Path.Combine(_dataDirectory, "known.jsonl");
        await File.WriteAllTextAsync(known,
            """{"caseNumber":"（2019）豫0311执1234号","subjectType":"person","name":"欧阳明远","idNumber":"412702198403151512","court":"洛阳市洛龙区人民法院","basisDocumentNumber":"（2018）豫0311民初5678号","basisIssuer":"洛阳市洛龙区人民法院","obligation":"偿还借款本金50000元","performanceStatus":"unperformed","circumstances":["refuses"],"unperformedPart":50000,"filedAt":"2019-03-01","publishedAt":"2019-06-01"}""" + "\n");
        Assert.Equal(0, await RunVerb("seed", "--count", "500", "--seed", "5"));
        await File.AppendAllTextAsync(known,
            """{"caseNumber":"（2019）豫0311执1235号","subjectType":"person","name":"欧阳明","idNumber":"440304199001011233","court":"洛阳市洛龙区人民法院","basisDocumentNumber":"（2018）豫0311民初5679号","basisIssuer":"洛阳市洛龙区人民法院","obligation":"偿还借款本金8000元","performanceStatus":"unperformed","circumstances":["refuses"],"unperformedPart":8000,"filedAt":"2019-03-02","publishedAt":"2019-06-02"}""" + "\n");
        // Published today: its subject may still apply for correction (10 days from publication).
        var published = DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await File.AppendAllTextAsync(known,
            $$"""{"caseNumber":"{{CorrectionCase}}","subjectType":"person","name":"司马光明","idNumber":"{{CorrectionId}}","court":"洛阳市洛龙区人民法院","basisDocumentNumber":"（2026）豫0311民初901号","basisIssuer":"洛阳市洛龙区人民法院","obligation":"支付货款12000元","performanceStatus":"unperformed","circumstances":["refuses"],"unperformedPart":12000,"filedAt":"2026-01-05","publishedAt":"{{published}}"}""" + "\n");
        Assert.Equal(0, await RunVerb("import", known));
        // One removal, so that the notices page has a line: a reviewer shields the second entry from the command line.
        await CreateUserAsync("rev-fixture", "reviewer");
        var today = DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, await RunVerb("shield", "--case-number", "（2019）豫0311执1235号", "--reason", "performed", "--event-date", today, "--user", "rev-fixture"));

        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        _server = Process.Start(Start("--urls", BaseUrl, "--Portal:SeedDemoData=false"))!;
        _server.OutputDataReceived += (_, _) => { };
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        using var http = new HttpClient();
        for (var i = 0; ; i++)
        {
            try
            {
                if ((await http.GetAsync(BaseUrl + "/health")).StatusCode == HttpStatusCode.OK) break;
            }
            catch (HttpRequestException) { }
            if (i > 300 || _server.HasExited) throw new InvalidOperationException("the portal did not become healthy");
            await Task.Delay(100);
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    internal static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (_server is { HasExited: false }) { _server.Kill(entireProcessTree: true); await _server.WaitForExitAsync(); }
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }
}

