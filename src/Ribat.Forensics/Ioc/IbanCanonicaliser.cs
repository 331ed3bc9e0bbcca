using System.Collections.Frozen;
using System.Text;

namespace Ribat.Forensics.Ioc;

/// <summary>
/// IBAN (ISO 13616): canonical is upper-case without spaces; display is grouped by four. The length table is the
/// SWIFT IBAN registry's; a country not in it is refused rather than guessed.
/// </summary>
internal static class IbanCanonicaliser
{
    /// <summary>Country code and IBAN length, one <c>CCnn</c> word each: the registry as data.</summary>
    private const string Registry =
        "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 " +
        "CH21 CR22 CY28 CZ24 DE22 DJ27 DK18 DO28 EE20 EG29 ES24 FI18 " +
        "FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 " +
        "IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 " +
        "LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31 MU30 NI28 NL18 " +
        "NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 " +
        "SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 " +
        "VA22 VG24 XK20 YE30";

    private static readonly FrozenDictionary<string, int> Lengths = Registry
        .Split(' ', StringSplitOptions.RemoveEmptyEntries)
        .ToFrozenDictionary(word => word[..2], word => int.Parse(word.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);

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
