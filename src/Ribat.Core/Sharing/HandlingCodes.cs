namespace Ribat.Core.Sharing;

/// <summary>
/// The law-enforcement handling codes used in EU police information exchange (Europol's SIENA practice).
/// They restrict what a recipient may do; they never widen anything.
/// </summary>
[Flags]
public enum HandlingCodes
{
    None = 0,

    /// <summary>Use only for the purpose it was provided for (preventing and combating crime). Not machine-checkable; shown.</summary>
    H0 = 1,

    /// <summary>Not to be used in judicial proceedings without the provider's permission.</summary>
    H1 = 2,

    /// <summary>Not to be passed on without the provider's permission.</summary>
    H2 = 4,

    /// <summary>Other conditions, stated as free text alongside.</summary>
    H3 = 8,
}

public static class HandlingCodeSpelling
{
    private static readonly HandlingCodes[] Each = [HandlingCodes.H0, HandlingCodes.H1, HandlingCodes.H2, HandlingCodes.H3];

    /// <summary>All 16 combinations, for exhaustive checks.</summary>
    public static IReadOnlyList<HandlingCodes> AllCombinations { get; } =
        Enumerable.Range(0, 16).Select(i => (HandlingCodes)i).ToArray();

    /// <summary>"H0,H2"; the empty set spells as the empty string.</summary>
    public static string Spell(this HandlingCodes codes) =>
        string.Join(',', Each.Where(c => codes.HasFlag(c)).Select(c => c.ToString()));

    /// <summary>Parses "H0,H2" (commas and/or spaces, any case, duplicates tolerated); the empty string is no codes.</summary>
    public static bool TryParse(string? text, out HandlingCodes codes)
    {
        codes = HandlingCodes.None;
        if (text is null)
        {
            return false;
        }

        foreach (var part in text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            var code = Array.Find(Each, c => string.Equals(c.ToString(), part, StringComparison.OrdinalIgnoreCase));
            if (code == HandlingCodes.None)
            {
                codes = HandlingCodes.None;
                return false;
            }

            codes |= code;
        }

        return true;
    }
}
