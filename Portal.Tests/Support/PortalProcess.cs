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
}
