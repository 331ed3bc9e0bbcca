using MudBlazor;

namespace Ribat.Web.Components.Layout;

/// <summary>One theme for the interactive pages and the static account pages, so both look the same.</summary>
public static class RibatTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f4e5f",
            Secondary = "#b5832a",
            AppbarBackground = "#1f4e5f",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "Segoe UI", "Noto Sans", "Noto Sans Arabic", "Tahoma", "sans-serif"] },
        },
    };
}
