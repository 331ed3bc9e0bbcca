namespace Ribat.Core.Sharing;

/// <summary>
/// Permissible Actions Protocol: what a recipient may *do* with the information, ordered from least to
/// most restrictive. Only CLEAR and GREEN allow actions the target could notice (active lookups, probing).
/// </summary>
public enum Pap
{
    Clear = 0,
    Green = 1,
    Amber = 2,
    Red = 3,
}

public static class Paps
{
    public static IReadOnlyList<Pap> All { get; } = Enum.GetValues<Pap>();

    public static string Spell(this Pap pap) => "PAP:" + pap.ToString().ToUpperInvariant();

    /// <summary>May the information be used in a way the target could detect (scans, pings, interacting honeypots)?</summary>
    public static bool AllowsActiveEnrichment(this Pap pap) => pap <= Pap.Green;

    /// <summary>Accepts the label with or without the <c>PAP:</c> prefix, in any case; WHITE (PAP 1) reads as CLEAR.</summary>
    public static bool TryParse(string? text, out Pap pap)
    {
        pap = default;
        var name = text?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        if (name.StartsWith("PAP:", StringComparison.OrdinalIgnoreCase))
        {
            name = name[4..];
        }

        switch (name.ToUpperInvariant())
        {
            case "CLEAR" or "WHITE":
                pap = Pap.Clear;
                return true;
            case "GREEN":
                pap = Pap.Green;
                return true;
            case "AMBER":
                pap = Pap.Amber;
                return true;
            case "RED":
                pap = Pap.Red;
                return true;
            default:
                return false;
        }
    }
}
