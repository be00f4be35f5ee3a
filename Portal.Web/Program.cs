using Portal.Web.Cli;
using Portal.Web.Hosting;

namespace Portal.Web;

public class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (PortalCommands.IsVerb(args)) return await PortalCommands.RunAsync(args);
        await PortalHost.Build(args).RunAsync();
        return 0;
    }
}
