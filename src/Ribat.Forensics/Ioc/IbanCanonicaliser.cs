using System.Collections.Frozen;
using System.Text;

namespace Ribat.Forensics.Ioc;

/// <summary>
/// IBAN (ISO 13616): canonical is upper-case without spaces; display is grouped by four. The length table is the
/// SWIFT IBAN registry's; a country not in it is refused rather than guessed.
/// </summary>
internal static class IbanCanonicaliser
{
    private static readonly FrozenDictionary<string, int> Lengths = new Dictionary<string, int>
    {
        ["AD"] = 24, ["AE"] = 23, ["AL"] = 28, ["AT"] = 20, ["AZ"] = 28, ["BA"] = 20, ["BE"] = 16, ["BG"] = 22,
        ["BH"] = 22, ["BI"] = 27, ["BR"] = 29, ["BY"] = 28, ["CH"] = 21, ["CR"] = 22, ["CY"] = 28, ["CZ"] = 24,
        ["DE"] = 22, ["DJ"] = 27, ["DK"] = 18, ["DO"] = 28, ["EE"] = 20, ["EG"] = 29, ["ES"] = 24, ["FI"] = 18,
        ["FK"] = 18, ["FO"] = 18, ["FR"] = 27, ["GB"] = 22, ["GE"] = 22, ["GI"] = 23, ["GL"] = 18, ["GR"] = 27,
        ["GT"] = 28, ["HR"] = 21, ["HU"] = 28, ["IE"] = 22, ["IL"] = 23, ["IQ"] = 23, ["IS"] = 26, ["IT"] = 27,
        ["JO"] = 30, ["KW"] = 30, ["KZ"] = 20, ["LB"] = 28, ["LC"] = 32, ["LI"] = 21, ["LT"] = 20, ["LU"] = 20,
        ["LV"] = 21, ["LY"] = 25, ["MC"] = 27, ["MD"] = 24, ["ME"] = 22, ["MK"] = 19, ["MN"] = 20, ["MR"] = 27,
        ["MT"] = 31, ["MU"] = 30, ["NI"] = 28, ["NL"] = 18, ["NO"] = 15, ["OM"] = 23, ["PK"] = 24, ["PL"] = 28,
        ["PS"] = 29, ["PT"] = 25, ["QA"] = 29, ["RO"] = 24, ["RS"] = 22, ["RU"] = 33, ["SA"] = 24, ["SC"] = 31,
        ["SD"] = 18, ["SE"] = 24, ["SI"] = 19, ["SK"] = 24, ["SM"] = 27, ["SO"] = 23, ["ST"] = 25, ["SV"] = 28,
        ["TL"] = 23, ["TN"] = 24, ["TR"] = 26, ["UA"] = 29, ["VA"] = 22, ["VG"] = 24, ["XK"] = 20, ["YE"] = 30,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static bool TryIban(string text, out Canonical value, out string reason)
    {
        var iban = new StringBuilder(34);
        foreach (var c in text)
        {
            if (c == ' ')
            {
                continue;
            }

            if (!char.IsAsciiLetterOrDigit(c))
            {
                return Observables.Fail(out value, out reason, $"not a valid IBAN: unexpected character '{c}'.");
            }

            iban.Append(char.ToUpperInvariant(c));
        }

        var canonical = iban.ToString();
        if (canonical.Length < 4 || !char.IsAsciiLetter(canonical[0]) || !char.IsAsciiLetter(canonical[1])
            || !char.IsAsciiDigit(canonical[2]) || !char.IsAsciiDigit(canonical[3]))
        {
            return Observables.Fail(out value, out reason, "not a valid IBAN: it must start with a two-letter country code and two check digits.");
        }

        if (!Lengths.TryGetValue(canonical[..2], out var expected))
        {
            return Observables.Fail(out value, out reason, $"not a valid IBAN: country '{canonical[..2]}' does not use IBANs.");
        }

        if (canonical.Length != expected)
        {
            return Observables.Fail(out value, out reason,
                $"not a valid IBAN: {canonical[..2]} IBANs have {expected} characters, this one has {canonical.Length}.");
        }

        if (Mod97(canonical) != 1)
        {
            return Observables.Fail(out value, out reason, "not a valid IBAN: the check digits do not match (mod 97).");
        }

        return Observables.Ok(out value, out reason, new Canonical(ObservableType.Iban, canonical, GroupByFour(canonical)));
    }

    /// <summary>The IBAN length for a two-letter country code, or 0 when the country has no IBAN.</summary>
    internal static int ExpectedLength(ReadOnlySpan<char> country) =>
        Lengths.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(country, out var length) ? length : 0;

    /// <summary>ISO 7064 mod 97-10 over the rearranged IBAN, letters as 10..35, computed digit by digit.</summary>
    internal static int Mod97(string iban)
    {
        var remainder = 0;
        for (var i = 0; i < iban.Length; i++)
        {
            var c = iban[(i + 4) % iban.Length];
            remainder = char.IsAsciiDigit(c)
                ? ((remainder * 10) + (c - '0')) % 97
                : ((remainder * 100) + (c - 'A' + 10)) % 97;
        }

        return remainder;
    }

    private static string GroupByFour(string iban)
    {
        var grouped = new StringBuilder(iban.Length + (iban.Length / 4));
        for (var i = 0; i < iban.Length; i++)
        {
            if (i > 0 && i % 4 == 0)
            {
                grouped.Append(' ');
            }

            grouped.Append(iban[i]);
        }

        return grouped.ToString();
    }
}
