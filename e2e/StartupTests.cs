using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Portal.E2E;

[CollectionDefinition(nameof(StartupTests), DisableParallelization = true)]
public sealed class StartupCollection;

/// <summary>
/// The real portal process during its first start (seeding demo data, building the index), asked all the while. Runs
/// alone: its seeding would otherwise slow the other suites' browsers past their timeouts.
/// </summary>
[Collection(nameof(StartupTests))]
public sealed class StartupTests
{
    [Fact]
    public async Task While_the_data_is_being_prepared_search_answers_not_ready_never_a_partial_not_listed()
    {
        var data = Directory.CreateTempSubdirectory("portal-start-").FullName;
        var url = $"http://127.0.0.1:{PortalServer.FreePort()}";
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { PortalServer.PortalDll(), "--urls", url, $"--Portal:DataDirectory={data}", "--Portal:DemoDataCount=8000", "--RateLimits:PublicPerMinute=100000", "--RateLimits:ApiPerMinute=100000" }) psi.ArgumentList.Add(a);
        using var server = Process.Start(psi)!;
        var console = new System.Collections.Concurrent.ConcurrentQueue<string>();
        server.OutputDataReceived += (_, e) => { if (e.Data is not null) console.Enqueue(e.Data); };
        server.ErrorDataReceived += (_, e) => { if (e.Data is not null) console.Enqueue(e.Data); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var query = "/api/v1/entries?q=" + Uri.EscapeDataString("张");
            var totals = new List<long>();
            var notReady = 0;
            var stages = new List<string>();
            var started = Stopwatch.StartNew();
            while (true)
            {
                Assert.False(server.HasExited, "the portal exited during its start");
                Assert.True(started.Elapsed < TimeSpan.FromMinutes(3), "the portal did not become ready");
                try
                {
                    var health = await http.GetAsync(url + "/health");
                    var healthy = health.StatusCode == HttpStatusCode.OK;
                    if (!healthy) stages.Add(await health.Content.ReadAsStringAsync());
                    var api = await http.GetAsync(url + query);
                    var page = await http.GetAsync(url + "/?q=" + Uri.EscapeDataString("张"));
                    if (api.StatusCode == HttpStatusCode.ServiceUnavailable)
                    {
                        notReady++;
                        Assert.Equal("not_ready", JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
                        Assert.NotNull(api.Headers.RetryAfter);
                    }
                    else
                    {
                        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
                        totals.Add(JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement.GetProperty("total").GetInt64());
                    }
                    if (page.StatusCode == HttpStatusCode.ServiceUnavailable)
                        Assert.Contains("数据准备中，请稍后再查", await page.Content.ReadAsStringAsync());
                    else
                        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
                    if (healthy) break;
                }
                catch (HttpRequestException) { } // not listening yet
                await Task.Delay(100);
            }
            Assert.True(notReady > 0, "no request was made while the data was being prepared");
            // /health says what is being prepared; the console shows progress, no error, and the address once ready.
            Assert.Contains(stages, s => s.StartsWith("正在写入演示数据") || s.StartsWith("正在建立查询索引"));
            await Task.Delay(500);
            var lines = console.ToList();
            Assert.DoesNotContain(lines, l => l.StartsWith("fail:") || l.StartsWith("crit:"));
            Assert.Contains(lines, l => l.Contains("Demo data 50%"));
            Assert.Contains(lines, l => l.Contains("门户已就绪 Portal ready: " + url));
            var final = JsonDocument.Parse(await http.GetStringAsync(url + query)).RootElement.GetProperty("total").GetInt64();
            Assert.True(final > 0);
            Assert.All(totals, t => Assert.Equal(final, t)); // every answer given was the whole answer
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }
}
