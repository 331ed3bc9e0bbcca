using System.Text;

namespace Ribat.Forensics.Ioc;

/// <summary>
/// Defanging makes an indicator unclickable in reports and mail; refanging undoes the common spellings so the
/// extractor sees real values. Refang is a single left-to-right pass with no regular expressions.
/// </summary>
public static class Defang
{
    // Longest first where one token is a prefix of another ("[://]" before "[:]"). Matching is case-insensitive.
    private static readonly (string From, string To)[] Tokens =
    [
        ("[://]", "://"), ("[dot]", "."), ("(dot)", "."), ("{dot}", "."), ("[at]", "@"), ("(at)", "@"),
        ("[.]", "."), ("(.)", "."), ("{.}", "."), ("[@]", "@"), ("[:]", ":"), ("hxxps", "https"), ("hxxp", "http"),
        ("fxp", "ftp"),
    ];

    /// <summary>Undoes defanging. Text without any defanging marker is returned as the same instance.</summary>
    public static string Refang(string text) => Refang(text, null);

    /// <summary>
    /// Refangs <paramref name="text"/>; when <paramref name="origins"/> is given it receives, for every output
    /// character, the index of the input character it came from, plus one final entry equal to the input length,
    /// so a value found in the output can be traced back to the original text.
    /// </summary>
    internal static string Refang(string text, List<int>? origins)
    {
        if (!MayBeDefanged(text))
        {
            return text;
        }

        var output = new StringBuilder(text.Length);
        var span = text.AsSpan();
        var i = 0;
        while (i < span.Length)
        {
            if (TryMatchToken(span, i, out var from, out var to))
            {
                for (var k = 0; k < to.Length; k++)
                {
                    output.Append(to[k]);
                    origins?.Add(i);
                }

                i += from;
                continue;
            }

            output.Append(span[i]);
            origins?.Add(i);
            i++;
        }

        origins?.Add(span.Length);
        return output.ToString();
    }

    /// <summary>Writes a value so it cannot be clicked or resolved by accident: <c>hxxps://evil[.]example[.]com/</c>.</summary>
    public static string DefangValue(string value, ObservableType type) => type switch
    {
        ObservableType.Domain or ObservableType.Hostname or ObservableType.IPv4 => value.Replace(".", "[.]", StringComparison.Ordinal),
        ObservableType.Cidr => value.Contains(':') ? value.Replace(":", "[:]", StringComparison.Ordinal) : value.Replace(".", "[.]", StringComparison.Ordinal),
        ObservableType.IPv6 => value.Replace(":", "[:]", StringComparison.Ordinal),
        ObservableType.Email => DefangEmail(value),
        ObservableType.Url => DefangUrl(value),
        _ => value,
    };

    private static string DefangEmail(string value)
    {
        var at = value.LastIndexOf('@');
        return at < 0
            ? value
            : value[..at] + "[@]" + value[(at + 1)..].Replace(".", "[.]", StringComparison.Ordinal);
    }

    private static string DefangUrl(string value)
    {
        var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return value;
        }

        var scheme = value[..schemeEnd];
        var defangedScheme = scheme.ToLowerInvariant() switch
        {
            "http" => "hxxp",
            "https" => "hxxps",
            "ftp" => "fxp",
            _ => scheme,
        };
        var rest = value[(schemeEnd + 3)..];
        var hostEnd = rest.IndexOfAny(['/', '?', '#']);
        var authority = hostEnd < 0 ? rest : rest[..hostEnd];
        var tail = hostEnd < 0 ? string.Empty : rest[hostEnd..];

        // Only the authority is defanged: dots in a path are not what makes a link live, and leaving them keeps
        // the round trip exact.
        return defangedScheme + "://" + authority.Replace(".", "[.]", StringComparison.Ordinal) + tail;
    }

    private static bool MayBeDefanged(string text)
    {
        var span = text.AsSpan();
        return span.IndexOfAny("[({") >= 0
            || span.Contains("hxxp", StringComparison.OrdinalIgnoreCase)
            || span.Contains("fxp", StringComparison.OrdinalIgnoreCase)
            || span.Contains(" dot ", StringComparison.OrdinalIgnoreCase);
    }

    private static bool TryMatchToken(ReadOnlySpan<char> span, int i, out int consumed, out string replacement)
    {
        var rest = span[i..];
        foreach (var (from, to) in Tokens)
        {
            if (!rest.StartsWith(from, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // Words: "hxxp"/"fxp" only as a scheme (followed by "://", "[:" or "s"), and not inside a longer word.
            if (char.IsAsciiLetter(from[0]) && !IsSchemeToken(span, i, from.Length))
            {
                continue;
            }

            consumed = from.Length;
            replacement = to;
            return true;
        }

        // " dot " between two name characters: "evil dot com".
        if (rest.Length >= 6 && rest.StartsWith(" dot ", StringComparison.OrdinalIgnoreCase) && i > 0
            && IsNameChar(span[i - 1]) && IsNameChar(rest[5]))
        {
            consumed = 5;
            replacement = ".";
            return true;
        }

        consumed = 0;
        replacement = string.Empty;
        return false;
    }

    private static bool IsSchemeToken(ReadOnlySpan<char> span, int start, int length)
    {
        if (start > 0 && char.IsAsciiLetterOrDigit(span[start - 1]))
        {
            return false;
        }

        var after = span[(start + length)..];
        return after.StartsWith("://") || after.StartsWith("[:") || after.StartsWith("[://]");
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '-';
}
