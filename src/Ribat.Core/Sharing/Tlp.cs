using System.Collections.Frozen;

namespace Ribat.Core.Sharing;

/// <summary>
/// FIRST Traffic Light Protocol 2.0, ordered from least to most restrictive so that
/// <c>a &lt; b</c> means "a may travel at least as far as b".
/// </summary>
public enum Tlp
{
    Clear = 0,
    Green = 1,
    Amber = 2,
    AmberStrict = 3,
    Red = 4,
}

public static class Tlps
{
    private static readonly FrozenDictionary<Tlp, (string Label, string StixId)> Spellings = new Dictionary<Tlp, (string, string)>
    {
        // The marking-definition ids are fixed by the OASIS TLP 2.0 extension
        // (oasis-open/cti-stix-common-objects, extension-definition-specifications/tlp-2.0).
        [Tlp.Clear] = ("TLP:CLEAR", "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"),
        [Tlp.Green] = ("TLP:GREEN", "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"),
        [Tlp.Amber] = ("TLP:AMBER", "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"),
        [Tlp.AmberStrict] = ("TLP:AMBER+STRICT", "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"),
        [Tlp.Red] = ("TLP:RED", "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"),
    }.ToFrozenDictionary();

    public static IReadOnlyList<Tlp> All { get; } = Enum.GetValues<Tlp>();

    /// <summary>The label as FIRST writes it: <c>TLP:AMBER+STRICT</c>.</summary>
    public static string Spell(this Tlp tlp) => Spellings[tlp].Label;

    /// <summary>The STIX 2.1 <c>marking-definition</c> id for this TLP 2.0 level.</summary>
    public static string StixMarkingId(this Tlp tlp) => Spellings[tlp].StixId;

    /// <summary>True when <paramref name="tlp"/> never goes beyond the owner and its named recipients.</summary>
    public static bool IsRecipientsOnly(this Tlp tlp) => tlp >= Tlp.AmberStrict;

    /// <summary>
    /// Accepts the label with or without the <c>TLP:</c> prefix, in any case, and the TLP 1.0 name WHITE as
    /// CLEAR (TLP 2.0 renamed it; feeds and MISP still send it). Formatting always writes the 2.0 name.
    /// </summary>
    public static bool TryParse(string? text, out Tlp tlp)
    {
        tlp = default;
        var name = text?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        if (name.StartsWith("TLP:", StringComparison.OrdinalIgnoreCase))
        {
            name = name[4..];
        }

        name = name.ToUpperInvariant();
        if (name == "WHITE")
        {
            tlp = Tlp.Clear;
            return true;
        }

        foreach (var (level, spelling) in Spellings)
        {
            if (spelling.Label.AsSpan(4).SequenceEqual(name))
            {
                tlp = level;
                return true;
            }
        }

        return false;
    }

    public static bool TryParseStixMarkingId(string? id, out Tlp tlp)
    {
        foreach (var (level, spelling) in Spellings)
        {
            if (string.Equals(spelling.StixId, id, StringComparison.Ordinal))
            {
                tlp = level;
                return true;
            }
        }

        tlp = default;
        return false;
    }
}
