using System.Collections.Frozen;

namespace Ribat.Forensics.Detection;

internal sealed partial class YaraParser
{
    private static readonly FrozenSet<string> TextModifiers =
        new[] { "nocase", "wide", "ascii", "xor", "base64", "base64wide", "fullword", "private" }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> RegexModifiers =
        new[] { "nocase", "wide", "ascii", "fullword", "private" }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> HexModifiers = new[] { "private" }.ToFrozenSet(StringComparer.Ordinal);

    private void ParseStrings()
    {
        _position++;
        ExpectSymbol(":");
        if (Current.Kind != YaraTokenKind.StringId)
        {
            throw Syntax(Current, $"the strings section needs at least one $name = value, found {Describe(Current)}.");
        }

        while (Current.Kind == YaraTokenKind.StringId)
        {
            var token = Current;
            var name = token.Text(_text).ToString();
            if (name.EndsWith('*'))
            {
                throw Syntax(token, $"'{name}' is a pattern; a string definition needs a plain name.");
            }

            _position++;
            ExpectSymbol("=");
            var value = Current;
            var allowed = value.Kind switch
            {
                YaraTokenKind.Text => TextModifiers,
                YaraTokenKind.HexString => HexModifiers,
                YaraTokenKind.Regex => RegexModifiers,
                _ => throw Syntax(value, $"expected a text string, a hex string {{ ... }} or a regular expression /.../ after '=', found {Describe(value)}."),
            };
            if (value.Kind == YaraTokenKind.Text && value.Length == 2)
            {
                Error(value, $"{name} is an empty text string, which YARA refuses.");
            }

            _position++;
            ParseStringModifiers(name, value.Kind, allowed);
            if (Current.Kind == YaraTokenKind.Identifier && !IsWord("condition"))
            {
                throw Syntax(Current, $"unknown string modifier '{Shorten(Current.Text(_text))}' on {name} (or a missing 'condition:' section).");
            }

            var definition = new StringDefinition(name, token);
            if (name == "$")
            {
                definition.Used = false; // anonymous strings are only reachable through 'them' or a '$*' set
            }
            else if (!_strings.TryAdd(name, definition))
            {
                Error(token, $"duplicate string identifier {name} in this rule.");
                continue;
            }

            _ruleStrings.Add(definition);
        }
    }

    private void ParseStringModifiers(string name, YaraTokenKind kind, FrozenSet<string> allowed)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (Current.Kind == YaraTokenKind.Identifier && TextModifiers.Contains(Current.Text(_text).ToString()))
        {
            var token = Current;
            var modifier = token.Text(_text).ToString();
            _position++;
            if (!allowed.Contains(modifier))
            {
                var what = kind == YaraTokenKind.HexString ? "hex strings" : "regular expressions";
                Error(token, $"modifier '{modifier}' cannot be used with {what} ({name}).");
            }

            if (!seen.Add(modifier))
            {
                Error(token, $"duplicate modifier '{modifier}' on {name}.");
            }

            if (modifier == "xor" && IsSymbol("("))
            {
                ParseXorRange(name);
            }
            else if (modifier is "base64" or "base64wide" && IsSymbol("("))
            {
                ParseBase64Alphabet(name);
            }
        }

        CheckModifierConflicts(name, seen);
    }

    private void ParseXorRange(string name)
    {
        _position++;
        var low = ParseByteValue(name);
        var high = low;
        if (IsSymbol("-"))
        {
            _position++;
            high = ParseByteValue(name);
        }

        if (low > high)
        {
            Error(Current, $"xor range on {name} has its low bound above its high bound.");
        }

        ExpectSymbol(")");
    }

    private long ParseByteValue(string name)
    {
        var token = Expect(YaraTokenKind.Number, "a number from 0 to 255 in xor(...)");
        if (!TryNumber(token.Text(_text), out var value) || value is < 0 or > 255)
        {
            Error(token, $"xor key on {name} must be from 0 to 255.");
        }

        return value;
    }

    private void ParseBase64Alphabet(string name)
    {
        _position++;
        var alphabet = Expect(YaraTokenKind.Text, "a quoted 64-character alphabet in base64(...)");
        var body = alphabet.Text(_text)[1..^1];
        if (!body.Contains('\\') && body.Length != 64)
        {
            Error(alphabet, $"the base64 alphabet on {name} has {body.Length} characters; it must have 64.");
        }

        ExpectSymbol(")");
    }

    private void CheckModifierConflicts(string name, HashSet<string> seen)
    {
        var base64 = seen.Contains("base64") || seen.Contains("base64wide");
        if (seen.Contains("xor") && seen.Contains("nocase"))
        {
            Error(Current, $"modifiers 'xor' and 'nocase' cannot be combined ({name}).");
        }

        if (base64 && (seen.Contains("nocase") || seen.Contains("xor") || seen.Contains("fullword")))
        {
            Error(Current, $"'base64' cannot be combined with 'nocase', 'xor' or 'fullword' ({name}).");
        }
    }

    /// <summary>YARA integers: decimal, 0x hex, 0o octal, with an optional KB or MB multiplier.</summary>
    internal static bool TryNumber(ReadOnlySpan<char> text, out long value)
    {
        long multiplier = 1;
        if (text.EndsWith("KB"))
        {
            multiplier = 1024;
            text = text[..^2];
        }
        else if (text.EndsWith("MB"))
        {
            multiplier = 1024 * 1024;
            text = text[..^2];
        }

        var ok = text.StartsWith("0x") || text.StartsWith("0X")
            ? long.TryParse(text[2..], System.Globalization.NumberStyles.AllowHexSpecifier, null, out value)
            : text.StartsWith("0o") || text.StartsWith("0O")
                ? TryOctal(text[2..], out value)
                : long.TryParse(text, System.Globalization.NumberStyles.None, null, out value);
        if (!ok || value > long.MaxValue / multiplier)
        {
            value = 0;
            return false;
        }

        value *= multiplier;
        return true;
    }

    private static bool TryOctal(ReadOnlySpan<char> digits, out long value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (value > long.MaxValue / 8)
            {
                return false;
            }

            value = (value * 8) + (c - '0');
        }

        return !digits.IsEmpty;
    }
}
