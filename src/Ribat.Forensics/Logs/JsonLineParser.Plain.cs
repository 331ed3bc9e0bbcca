using System.Text.Json;

namespace Ribat.Forensics.Logs;

/// <summary>
/// The common line read without <see cref="Utf8JsonReader"/>: one object of ASCII text with no escapes, no comments and
/// modest nesting. Anything else, including every malformed line, makes <see cref="TryReadPlain"/> give up before a
/// field is kept, and the line is read again by <see cref="Utf8JsonReader"/>, which decides what it holds or why it is
/// skipped. So the plain reader accepts only valid JSON, and it flattens it through the same steps as the full reader.
/// </summary>
internal sealed partial class JsonLineParser
{
    /// <summary>Nesting the plain reader handles; deeper lines go to <see cref="Utf8JsonReader"/>, which enforces <see cref="MaxDepth"/>.</summary>
    private const int MaxPlainDepth = 16;

    /// <summary>Where a container is: just opened, just after a member, or just after a comma.</summary>
    private enum Place
    {
        Opened,
        AfterMember,
        AfterComma,
    }

    /// <summary>False to read every line with <see cref="Utf8JsonReader"/> (tests compare both readers).</summary>
    internal bool UseFastPath { get; set; } = true;

    /// <summary>Reads a line that starts with '{' into <see cref="_fields"/>; false, with nothing to keep, when the line is not plain.</summary>
    private bool TryReadPlain(ReadOnlySpan<byte> line)
    {
        StartObject(0);
        var place = Place.Opened;
        var i = 1;
        while (true)
        {
            i = SkipSpace(line, i);
            if (i >= line.Length)
            {
                return false;
            }

            ref var frame = ref _frames[_depth];
            var b = line[i];
            if (b == (frame.IsArray ? (byte)']' : (byte)'}'))
            {
                if (place == Place.AfterComma)
                {
                    return false;
                }

                i++;
                if (_depth == 0)
                {
                    return SkipSpace(line, i) == line.Length;
                }

                _depth--;
                place = Place.AfterMember;
            }
            else if (place == Place.AfterMember)
            {
                if (b != (byte)',')
                {
                    return false;
                }

                i++;
                place = Place.AfterComma;
            }
            else if (!TryEnterMember(line, ref i, ref frame) || !TryValue(line, ref i, out place))
            {
                return false;
            }
        }
    }

    /// <summary>Makes the next array item or object key the current name and moves to its value.</summary>
    private bool TryEnterMember(ReadOnlySpan<byte> line, ref int i, ref Frame frame)
    {
        if (frame.IsArray)
        {
            EnterIndex(ref frame, frame.Index++);
            return true;
        }

        if (line[i] != (byte)'"' || !TryString(line, i, out var key))
        {
            return false;
        }

        Enter(ref frame, key);
        i = SkipSpace(line, i + key.Length + 2);
        if (i >= line.Length || line[i] != (byte)':')
        {
            return false;
        }

        i = SkipSpace(line, i + 1);
        return i < line.Length;
    }

    /// <summary>Opens the object or array at <paramref name="i"/>, or reads the scalar there, under the current name.</summary>
    private bool TryValue(ReadOnlySpan<byte> line, ref int i, out Place place)
    {
        var b = line[i];
        place = Place.AfterMember;
        if (b is not ((byte)'{' or (byte)'['))
        {
            return TryScalar(line, ref i);
        }

        if (_depth + 1 >= MaxPlainDepth)
        {
            return false;
        }

        _frames[++_depth] = new Frame { Node = _node, PathLength = _pathLength, IsArray = b == (byte)'[', LastChild = JsonFieldNames.None };
        place = Place.Opened;
        i++;
        return true;
    }

    /// <summary>Reads the string, number or literal at <paramref name="i"/> into the fields and moves past it.</summary>
    private bool TryScalar(ReadOnlySpan<byte> line, ref int i)
    {
        var b = line[i];
        if (b == (byte)'"')
        {
            if (!TryString(line, i, out var text))
            {
                return false;
            }

            AddScalar(JsonTokenType.String, text);
            i += text.Length + 2;
            return true;
        }

        var length = b switch
        {
            (byte)'t' => line[i..].StartsWith("true"u8) ? 4 : 0,
            (byte)'f' => line[i..].StartsWith("false"u8) ? 5 : 0,
            (byte)'n' => line[i..].StartsWith("null"u8) ? 4 : 0,
            _ => NumberLength(line[i..]),
        };
        if (length == 0 || (i + length < line.Length && line[i + length] is not ((byte)',' or (byte)'}' or (byte)']' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')))
        {
            return false;
        }

        AddScalar(b switch { (byte)'t' => JsonTokenType.True, (byte)'f' => JsonTokenType.False, (byte)'n' => JsonTokenType.Null, _ => JsonTokenType.Number }, line.Slice(i, length));
        i += length;
        return true;
    }

    /// <summary>The bytes between the quote at <paramref name="start"/> and the next one, when they are printable ASCII without a backslash.</summary>
    private static bool TryString(ReadOnlySpan<byte> line, int start, out ReadOnlySpan<byte> text)
    {
        // Most strings of a log line are short: one pass over the bytes beats a vectorised search started per string.
        var rest = line[(start + 1)..];
        var i = 0;
        while (i < rest.Length && rest[i] is >= 0x20 and <= 0x7E and not (byte)'"' and not (byte)'\\')
        {
            i++;
        }

        text = i < rest.Length && rest[i] == (byte)'"' ? rest[..i] : default;
        return i < rest.Length && rest[i] == (byte)'"';
    }

    /// <summary>The length of the JSON number at the start of <paramref name="text"/>, or 0 when it does not start with one.</summary>
    private static int NumberLength(ReadOnlySpan<byte> text)
    {
        var i = 0;
        if (i < text.Length && text[i] == (byte)'-')
        {
            i++;
        }

        if (i >= text.Length || !char.IsAsciiDigit((char)text[i]))
        {
            return 0;
        }

        if (text[i++] != (byte)'0')
        {
            i = Digits(text, i);
        }

        if (i < text.Length && text[i] == (byte)'.')
        {
            var fraction = Digits(text, ++i);
            if (fraction == i)
            {
                return 0;
            }

            i = fraction;
        }

        if (i < text.Length && text[i] is (byte)'e' or (byte)'E')
        {
            if (++i < text.Length && text[i] is (byte)'+' or (byte)'-')
            {
                i++;
            }

            var exponent = Digits(text, i);
            if (exponent == i)
            {
                return 0;
            }

            i = exponent;
        }

        return i;
    }

    private static int Digits(ReadOnlySpan<byte> text, int i)
    {
        while (i < text.Length && char.IsAsciiDigit((char)text[i]))
        {
            i++;
        }

        return i;
    }

    private static int SkipSpace(ReadOnlySpan<byte> line, int i)
    {
        while (i < line.Length && line[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        return i;
    }
}
