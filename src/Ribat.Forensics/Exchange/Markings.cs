namespace Ribat.Forensics.Exchange;

/// <summary>
/// TLP and PAP machine tags (MISP taxonomies <c>tlp</c> and <c>PAP</c>), matched case-insensitively. TLP 1.0
/// <c>white</c> is accepted beside 2.0 <c>clear</c>. <c>tlp:ex:chr</c> and <c>tlp:unclear</c> are not levels: they stay
/// ordinary tags.
/// </summary>
internal static class Markings
{
    private static readonly string[] TlpLevels = ["clear", "white", "green", "amber", "amber+strict", "red"];
    private static readonly int[] TlpRanks = [0, 0, 1, 2, 3, 4];
    private static readonly string[] PapLevels = ["clear", "white", "green", "amber", "red"];
    private static readonly int[] PapRanks = [0, 0, 1, 2, 3];

    /// <summary>The restrictiveness of a TLP tag (<c>tlp:red</c> highest), or -1 if the tag is not a TLP level.</summary>
    public static int TlpRank(string tag) => Rank(tag, "tlp:", TlpLevels, TlpRanks);

    public static int PapRank(string tag) => Rank(tag, "pap:", PapLevels, PapRanks);

    /// <summary>The MISP spelling (<c>tlp:amber+strict</c>) of a TLP written with or without its prefix, in any case.</summary>
    public static string? NormaliseTlp(string? value) => Normalise(value, "tlp:", TlpLevels, upper: false);

    /// <summary>The MISP spelling (<c>PAP:AMBER</c>) of a PAP written with or without its prefix, in any case.</summary>
    public static string? NormalisePap(string? value) => Normalise(value, "pap:", PapLevels, upper: true);

    private static int Rank(string tag, string prefix, string[] levels, int[] ranks)
    {
        var text = tag.AsSpan().Trim();
        if (!text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return -1;
        }

        var level = text[prefix.Length..];
        for (var i = 0; i < levels.Length; i++)
        {
            if (level.Equals(levels[i], StringComparison.OrdinalIgnoreCase))
            {
                return ranks[i];
            }
        }

        return -1;
    }

    private static string? Normalise(string? value, string prefix, string[] levels, bool upper)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim();
        var level = text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? text[prefix.Length..] : text;
        foreach (var known in levels)
        {
            if (level.Equals(known, StringComparison.OrdinalIgnoreCase))
            {
                return upper ? prefix.ToUpperInvariant() + known.ToUpperInvariant() : prefix + known;
            }
        }

        return null;
    }
}

/// <summary>
/// Picks one TLP and one PAP from a list of tags. When a list carries two levels the most restrictive wins (failing
/// closed) and the conflict is reported; the TLP and PAP tags are removed from the tags that remain.
/// </summary>
internal sealed class MarkingPicker
{
    private int _tlpRank = -1;
    private int _papRank = -1;

    public string? Tlp { get; private set; }

    public string? Pap { get; private set; }

    public string? Conflict { get; private set; }

    /// <summary><c>true</c> when <paramref name="tag"/> was a marking (and is therefore not an ordinary tag).</summary>
    public bool Offer(string tag)
    {
        var tlp = Markings.TlpRank(tag);
        if (tlp >= 0)
        {
            Pick(tag, tlp, ref _tlpRank, Tlp, value => Tlp = value);
            return true;
        }

        var pap = Markings.PapRank(tag);
        if (pap >= 0)
        {
            Pick(tag, pap, ref _papRank, Pap, value => Pap = value);
            return true;
        }

        return false;
    }

    private void Pick(string tag, int rank, ref int current, string? held, Action<string> set)
    {
        if (current >= 0 && !string.Equals(held, tag, StringComparison.OrdinalIgnoreCase))
        {
            var winner = rank > current ? tag : held!;
            Conflict = $"both '{held}' and '{tag}' are present; the more restrictive '{winner}' applies.";
        }

        if (rank > current)
        {
            current = rank;
            set(tag.Trim());
        }
    }
}
