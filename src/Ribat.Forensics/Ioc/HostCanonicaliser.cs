using System.Globalization;

namespace Ribat.Forensics.Ioc;

/// <summary>
/// Domains and host names: lower-case ASCII (IDN labels as punycode), no trailing dot, each label 1–63 characters of
/// letters, digits, hyphens (not first or last) and underscores (seen in real infrastructure), 253 characters in all,
/// and a top-level label that is not all digits. The Unicode spelling is kept for display.
/// A domain needs at least two labels; a host name may be a single label (an internal machine name).
/// </summary>
internal static class HostCanonicaliser
{
    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = false };

    public static bool TryDomain(string text, ObservableType type, out Canonical value, out string reason)
    {
        if (!TryNormalise(text, type == ObservableType.Domain, out var ascii, out reason))
        {
            value = default;
            return false;
        }

        return Observables.Ok(out value, out reason, new Canonical(type, ascii, ToDisplay(ascii)));
    }

    internal static bool TryNormalise(string text, bool requireTwoLabels, out string ascii, out string reason)
    {
        ascii = string.Empty;
        var name = text.EndsWith('.') ? text[..^1] : text;
        if (name.Length == 0)
        {
            reason = "not a valid domain: empty.";
            return false;
        }

        if (!System.Text.Ascii.IsValid(name))
        {
            try
            {
                name = Idn.GetAscii(name);
            }
            catch (ArgumentException)
            {
                reason = "not a valid domain: the international name cannot be converted to punycode (IDNA).";
                return false;
            }
        }

        name = name.ToLowerInvariant();
        if (!IsValidAsciiName(name, requireTwoLabels, out reason))
        {
            return false;
        }

        ascii = name;
        return true;
    }

    internal static bool IsValidAsciiName(ReadOnlySpan<char> name, bool requireTwoLabels, out string reason)
    {
        if (name.Length > 253)
        {
            reason = "not a valid domain: longer than 253 characters.";
            return false;
        }

        var labels = 0;
        var start = 0;
        var lastLabelAllDigits = true;
        for (var i = 0; i <= name.Length; i++)
        {
            if (i < name.Length && name[i] != '.')
            {
                continue;
            }

            var label = name[start..i];
            start = i + 1;
            labels++;
            if (label.IsEmpty)
            {
                reason = "not a valid domain: empty label (two dots in a row, or a leading dot).";
                return false;
            }

            if (label.Length > 63)
            {
                reason = "not a valid domain: a label is longer than 63 characters.";
                return false;
            }

            if (label[0] == '-' || label[^1] == '-')
            {
                reason = "not a valid domain: a label starts or ends with '-'.";
                return false;
            }

            lastLabelAllDigits = true;
            foreach (var c in label)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
                {
                    reason = $"not a valid domain: unexpected character '{c}'.";
                    return false;
                }

                lastLabelAllDigits &= char.IsAsciiDigit(c);
            }
        }

        if (requireTwoLabels && labels < 2)
        {
            reason = "not a valid domain: it needs at least two labels (name.tld).";
            return false;
        }

        if (lastLabelAllDigits)
        {
            reason = "not a valid domain: the top-level label is all digits.";
            return false;
        }

        reason = string.Empty;
        return true;
    }

    internal static string ToDisplay(string ascii)
    {
        if (!ascii.Contains("xn--", StringComparison.Ordinal))
        {
            return ascii;
        }

        try
        {
            return Idn.GetUnicode(ascii);
        }
        catch (ArgumentException)
        {
            // A syntactically valid but undecodable punycode label: show what we store.
            return ascii;
        }
    }
}
