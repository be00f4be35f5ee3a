using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Portal.Tests.Support;

/// <summary>The built portal executable, for tests whose claim is about real processes (several nodes, a start that fails).</summary>
public static class PortalProcess
{
    public static string Dll()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Portal.sln"))) root = root.Parent;
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var dll = Path.Combine(root!.FullName, "Portal.Web", "bin", configuration, "net10.0", "Portal.Web.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build Portal.sln first (./test.sh does)");
        return dll;
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>
    /// Starts a portal node with these arguments on a free loopback port and waits until its /health answers 200 (a minute
    /// at most); the caller kills the process. Fails at once when the node exits during its start.
    /// </summary>
    /// <param name="output">Receives every line the node writes (stdout and stderr), when given.</param>
    public static async Task<(Process Process, HttpClient Http)> StartNodeAsync(IEnumerable<string> args, System.Collections.Concurrent.ConcurrentQueue<string>? output = null)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])[Dll(), "--urls", url, .. args]) psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output?.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output?.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var http = new HttpClient { BaseAddress = new Uri(url) };
        for (var i = 0; ; i++)
        {
            try { if ((await http.GetAsync("/health")).StatusCode == HttpStatusCode.OK) break; }
            catch (HttpRequestException) { }
            if (process.HasExited || i >= 600)
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                Assert.Fail(process.HasExited ? "a node exited during its start" : "a node did not become ready in a minute");
            }
            await Task.Delay(100);
        }
        return (process, http);
    }
}
