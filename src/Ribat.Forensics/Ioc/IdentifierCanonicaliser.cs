using System.Text;

namespace Ribat.Forensics.Ioc;

/// <summary>
/// Identifiers with little structure: ASN (<c>AS64500</c>), file name, E.164 phone number, user account
/// (<c>platform:handle</c> or a bare handle).
/// </summary>
internal static class IdentifierCanonicaliser
{
    public static bool TryAsn(string text, out Canonical value, out string reason)
    {
        var digits = text.AsSpan();
        if (digits.StartsWith("ASN", StringComparison.OrdinalIgnoreCase))
        {
            digits = digits[3..];
        }
        else if (digits.StartsWith("AS", StringComparison.OrdinalIgnoreCase))
        {
            digits = digits[2..];
        }

        if (digits.IsEmpty || digits.Length > 10)
        {
            return Observables.Fail(out value, out reason, "not a valid ASN: expected 'AS' and a number from 0 to 4294967295.");
        }

        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return Observables.Fail(out value, out reason, $"not a valid ASN: unexpected character '{c}'.");
            }
        }

        if (!uint.TryParse(digits, out var number))
        {
            return Observables.Fail(out value, out reason, "not a valid ASN: greater than 4294967295.");
        }

        return Observables.Ok(out value, out reason, Canonical.Same(ObservableType.Asn, "AS" + number));
    }

    public static bool TryFileName(string text, out Canonical value, out string reason)
    {
        if (text.Length > 255)
        {
            return Observables.Fail(out value, out reason, "not a valid file name: longer than 255 characters.");
        }

        if (text is "." or "..")
        {
            return Observables.Fail(out value, out reason, "not a valid file name: '.' and '..' name directories.");
        }

        foreach (var c in text)
        {
            if (c is '/' or '\\')
            {
                return Observables.Fail(out value, out reason, "not a valid file name: it contains a path separator; share the name only.");
            }

            if (char.IsControl(c))
            {
                return Observables.Fail(out value, out reason, "not a valid file name: it contains a control character.");
            }
        }

        return Observables.Ok(out value, out reason, Canonical.Same(ObservableType.FileName, text));
    }

    /// <summary>E.164: '+', a country code that does not start with 0, 8 to 15 digits in all.</summary>
    public static bool TryPhone(string text, out Canonical value, out string reason)
    {
        if (text[0] != '+')
        {
            return Observables.Fail(out value, out reason, "not a valid phone number: E.164 numbers start with '+' and the country code.");
        }

        var digits = new StringBuilder(16).Append('+');
        foreach (var c in text.AsSpan(1))
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (c is not (' ' or '-' or '(' or ')' or '.'))
            {
                return Observables.Fail(out value, out reason, $"not a valid phone number: unexpected character '{c}'.");
            }
        }

        var count = digits.Length - 1;
        if (count is < 8 or > 15)
        {
            return Observables.Fail(out value, out reason, $"not a valid phone number: {count} digits where E.164 allows 8 to 15.");
        }

        if (digits[1] == '0')
        {
            return Observables.Fail(out value, out reason, "not a valid phone number: a country code never starts with 0.");
        }

        return Observables.Ok(out value, out reason, new Canonical(ObservableType.Phone, digits.ToString(), text));
    }

    /// <summary>
    /// The platform (before the first ':') is lower-cased; the handle keeps its case (some platforms are
    /// case-sensitive) but loses its leading '@', which is how people write handles, not part of them.
    /// </summary>
    public static bool TryUserAccount(string text, out Canonical value, out string reason)
    {
        if (text.Length > 256)
        {
            return Observables.Fail(out value, out reason, "not a valid user account: longer than 256 characters.");
        }

        var colon = text.IndexOf(':');
        var platform = colon < 0 ? string.Empty : text[..colon].Trim().ToLowerInvariant();
        var handle = (colon < 0 ? text : text[(colon + 1)..]).Trim();
        if (colon >= 0 && platform.Length == 0)
        {
            return Observables.Fail(out value, out reason, "not a valid user account: empty platform before ':'.");
        }

        handle = handle.TrimStart('@');

        if (handle.Length == 0)
        {
            return Observables.Fail(out value, out reason, "not a valid user account: empty handle.");
        }

        foreach (var c in platform + handle)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                return Observables.Fail(out value, out reason, "not a valid user account: it contains white space or a control character.");
            }
        }

        var canonical = colon < 0 ? handle : platform + ":" + handle;
        return Observables.Ok(out value, out reason, Canonical.Same(ObservableType.UserAccount, canonical));
    }
}
