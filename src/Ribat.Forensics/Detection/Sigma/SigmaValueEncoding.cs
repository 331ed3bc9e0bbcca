using System.Text;

namespace Ribat.Forensics.Detection;

/// <summary>
/// The value-transforming modifiers, applied left to right as the rule writes them. A value travels as Sigma pattern
/// text (wildcards and escapes intact); the encoders unescape it, encode the literal and escape the result again. After
/// a UTF-16 step the text holds one character per byte, which is what base64 then encodes.
/// </summary>
internal static class SigmaValueEncoding
{
    internal const int MaxVariants = 1024;
    private static readonly string[] Dashes = ["-", "/", "\u2013", "\u2014", "\u2015"];

    public static bool TryApply(string modifier, List<(string Text, bool Bytes)> values, IReadOnlyDictionary<string, IReadOnlyList<string>> placeholders,
        out string reason)
    {
        reason = "";
        var result = new List<(string Text, bool Bytes)>(values.Count);
        foreach (var (text, bytes) in values)
        {
            if (modifier is "windash" or "expand")
            {
                var variants = modifier == "windash" ? WindowsDashes(text) : Expand(text, placeholders, out reason);
                if (variants is null)
                {
                    reason = reason.Length > 0 ? reason : $"'windash' on '{YamlTree.Shorten(text)}' makes more than {MaxVariants} variants.";
                    return false;
                }

                result.AddRange(variants.Select(v => (v, bytes)));
            }
            else if (SigmaPattern.Unescape(text) is not { } literal)
            {
                reason = $"'{modifier}' cannot encode the wildcard in '{YamlTree.Shorten(text)}'; escape it or place contains/startswith/endswith after the encoding.";
                return false;
            }
            else
            {
                foreach (var encoded in Encode(modifier, literal, bytes))
                {
                    result.Add((SigmaPattern.Escape(encoded), modifier is "wide" or "utf16le" or "utf16be" or "utf16"));
                }
            }

            if (result.Count > MaxVariants)
            {
                reason = $"'{modifier}' makes more than {MaxVariants} values.";
                return false;
            }
        }

        values.Clear();
        values.AddRange(result);
        return true;
    }

    private static IEnumerable<string> Encode(string modifier, string literal, bool bytes)
    {
        switch (modifier)
        {
            case "wide" or "utf16le":
                return [ByteText(Encoding.Unicode.GetBytes(literal))];
            case "utf16be":
                return [ByteText(Encoding.BigEndianUnicode.GetBytes(literal))];
            case "utf16":
                return [ByteText([0xFF, 0xFE, .. Encoding.Unicode.GetBytes(literal)])];
            case "base64":
                return [Convert.ToBase64String(Bytes(literal, bytes))];
            default:
                return Base64Offsets(Bytes(literal, bytes));
        }
    }

    /// <summary>
    /// The three forms the value takes inside a longer base64 text, whatever its offset modulo 3: encode it behind 0, 1
    /// or 2 padding bytes and keep only the characters the padding and the unknown next bytes do not touch.
    /// </summary>
    private static IEnumerable<string> Base64Offsets(byte[] value)
    {
        int[] start = [0, 2, 3];
        for (var shift = 0; shift < 3; shift++)
        {
            var padded = new byte[shift + value.Length];
            padded.AsSpan(0, shift).Fill((byte)' ');
            value.CopyTo(padded, shift);
            var encoded = Convert.ToBase64String(padded);
            var cut = ((value.Length + shift) % 3) switch { 1 => 3, 2 => 2, _ => 0 };
            var end = encoded.Length - cut;
            if (end > start[shift])
            {
                yield return encoded[start[shift]..end];
            }
        }
    }

    private static byte[] Bytes(string literal, bool bytes) => bytes ? Encoding.Latin1.GetBytes(literal) : Encoding.UTF8.GetBytes(literal);

    private static string ByteText(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>Every '-' or '/' opening a word (after a non-word character or at the start) in each dash form Windows
    /// accepts for a switch: hyphen, slash, en dash, em dash, horizontal bar.</summary>
    private static List<string>? WindowsDashes(string text)
    {
        var positions = new List<int>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is '-' or '/' && (i == 0 || !IsWordChar(text[i - 1])) && i + 1 < text.Length && IsWordChar(text[i + 1]))
            {
                positions.Add(i);
            }
        }

        if (Math.Pow(Dashes.Length, positions.Count) > MaxVariants)
        {
            return null;
        }

        var variants = new List<string> { text };
        foreach (var position in positions)
        {
            var next = new List<string>(variants.Count * Dashes.Length);
            foreach (var variant in variants)
            {
                foreach (var dash in Dashes)
                {
                    next.Add(string.Concat(variant.AsSpan(0, position), dash, variant.AsSpan(position + 1)));
                }
            }

            variants = next;
        }

        return variants;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    /// <summary>Each <c>%name%</c> replaced by each value configured for it (a cross product for several).</summary>
    private static List<string>? Expand(string text, IReadOnlyDictionary<string, IReadOnlyList<string>> placeholders, out string reason)
    {
        reason = "";
        var variants = new List<string> { "" };
        var at = 0;
        while (at < text.Length)
        {
            var open = text.IndexOf('%', at);
            var close = open < 0 ? -1 : text.IndexOf('%', open + 1);
            if (close < 0)
            {
                variants = variants.Select(v => v + text[at..]).ToList();
                break;
            }

            var name = text[(open + 1)..close];
            if (!placeholders.TryGetValue(name, out var values) || values.Count == 0)
            {
                reason = $"placeholder '%{YamlTree.Shorten(name)}%' has no value: give it one in the placeholder map to load this rule.";
                return null;
            }

            var prefix = text[at..open];
            variants = variants.SelectMany(v => values.Select(value => v + prefix + value)).ToList();
            if (variants.Count > MaxVariants)
            {
                reason = $"placeholders expand to more than {MaxVariants} values.";
                return null;
            }

            at = close + 1;
        }

        return variants;
    }
}
