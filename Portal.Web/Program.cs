using Portal.Web.Cli;
using Portal.Web.Hosting;

namespace Portal.Web;

public class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (PortalCommands.IsVerb(args)) return await PortalCommands.RunAsync(args);
        try
        {
            await PortalHost.Build(args).RunAsync();
            return 0;
        }
        catch (StartupRefusedException refused)
        {
            Console.Error.WriteLine($"门户未启动：{refused.Message}");
            return 1;
        }
    }
}
