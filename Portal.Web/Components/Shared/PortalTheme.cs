using MudBlazor;

namespace Portal.Web.Components.Shared;

/// <summary>The one look of the portal: the court red of the public site, the system's Noto Sans CJK (no web fonts).</summary>
public static class PortalTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#8b1a1a",
            Secondary = "#23395d",
            AppbarBackground = "#8b1a1a",
            Error = "#b3362f",
            Warning = "#b26a00",
            Success = "#2e7d4f",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "sans-serif"] },
        },
    };
}
