namespace Ribat.Web.Components.Pages.Cases;

/// <summary>One colour per kind of node, shared by the graph's canvas and its legend so the two always agree.</summary>
internal static class SubjectColours
{
    public static readonly IReadOnlyDictionary<string, string> ByKind = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["person"] = "#1565c0",
        ["organisation"] = "#6a1b9a",
        ["online-account"] = "#00897b",
        ["device"] = "#546e7a",
        ["phone"] = "#8d6e63",
        ["email"] = "#ef6c00",
        ["ip"] = "#c62828",
        ["domain"] = "#2e7d32",
        ["crypto-wallet"] = "#f9a825",
        ["bank-account"] = "#00acc1",
        ["indicator"] = "#ad1457",
    };
}
