using System.Text;
using System.Text.Json;

namespace Ribat.Forensics.Exchange;

/// <summary>Raised inside the parser for input it cannot go on reading; turned into a one-line result by the reader.</summary>
internal sealed class MispInputException(int line, string message) : Exception(message)
{
    public int Line { get; } = line;
}

/// <summary>
/// Walks MISP JSON with <see cref="Utf8JsonReader"/> over the buffered input, so every issue can name its line and no
/// document tree is built. Unknown keys are skipped without being decoded (a malware sample's base64 <c>data</c> costs
/// nothing). A value of the wrong JSON type is an issue for that field; only broken JSON and exceeded limits stop
/// the read.
/// </summary>
internal sealed partial class MispJsonParser(ReadOnlyMemory<byte> input, MispReadOptions options, IssueList issues, IssueList skipped)
{
    private int _lineOffset;
    private int _line = 1;

    public List<ExchangeReport> Parse()
    {
        var reader = new Utf8JsonReader(input.Span, new JsonReaderOptions { MaxDepth = options.MaxDepth + 1 });
        try
        {
            if (!Next(ref reader))
            {
                throw new MispInputException(1, "the input is empty.");
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new MispInputException(LineOf(ref reader), $"expected a JSON object at the top, found {Describe(reader.TokenType)}.");
            }

            var events = new List<ExchangeReport>();
            ParseContainer(ref reader, string.Empty, allowResponse: true, events);
            while (Next(ref reader))
            {
                // The reader refuses any second top-level value; reading to the end lets it say so.
            }

            return events;
        }
        catch (JsonException e)
        {
            throw new MispInputException((int)Math.Min(int.MaxValue, (e.LineNumber ?? 0) + 1), DescribeJsonError(e, reader.BytesConsumed));
        }
    }

    private string DescribeJsonError(JsonException e, long consumed)
    {
        var position = $"line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}";
        if (LooksTruncated(consumed))
        {
            return $"the JSON ends before it is complete at {position} (an object, array or string is never closed): the input looks truncated.";
        }

        var message = e.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        }

        return $"not valid JSON at {position}: {IssueText.Excerpt((cut < 0 ? message : message[..cut]).Trim(), 200)}";
    }

    /// <summary>
    /// The reader stopped at the end of the input, or in front of an unterminated string, or in front of a few bytes
    /// that can only be the start of a literal or number cut short (<c>tr</c>, <c>12</c>).
    /// </summary>
    private bool LooksTruncated(long consumed)
    {
        var rest = input.Span[(int)consumed..].Trim(" \t\r\n,:"u8);
        if (rest.IsEmpty)
        {
            return true;
        }

        if (rest[0] == (byte)'"')
        {
            return CountUnescapedQuotes(rest[1..]) == 0;
        }

        return rest.Length < 32 && rest.IndexOfAny("{}[]\",:"u8) < 0;
    }

    private static int CountUnescapedQuotes(ReadOnlySpan<byte> text)
    {
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == (byte)'\\')
            {
                i++;
            }
            else if (text[i] == (byte)'"')
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Reads one token and enforces the nesting limit with a message of our own.</summary>
    private bool Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            return false;
        }

        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= options.MaxDepth)
        {
            throw new MispInputException(LineOf(ref reader), $"the JSON is nested deeper than {options.MaxDepth} levels, the limit.");
        }

        return true;
    }

    /// <summary>Skips the value the reader is on (and everything inside it).</summary>
    private void Skip(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return;
        }

        var depth = reader.CurrentDepth;
        while (Next(ref reader))
        {
            if (reader.CurrentDepth == depth && reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                return;
            }
        }
    }

    /// <summary>Moves from a property name to its value.</summary>
    private void Value(ref Utf8JsonReader reader) => Next(ref reader);

    /// <summary>Skips the value of the property the reader is on.</summary>
    private void SkipProperty(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        Skip(ref reader);
    }

    private bool Expect(ref Utf8JsonReader reader, JsonTokenType expected, JsonWhere where)
    {
        if (reader.TokenType == expected)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.Null)
        {
            var what = expected == JsonTokenType.StartArray ? "an array" : "an object";
            issues.Add(LineOf(ref reader), where.ToString(), $"expected {what}, found {Describe(reader.TokenType)}; ignored.");
        }

        Skip(ref reader);
        return false;
    }

    /// <summary>A string field; numbers and booleans are taken as written (MISP writes some values as numbers).</summary>
    private string? ReadString(ref Utf8JsonReader reader, JsonWhere where)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
                if (length > options.MaxStringBytes)
                {
                    issues.Add(LineOf(ref reader), where.ToString(), $"a string of {length} bytes, longer than the {options.MaxStringBytes} allowed; ignored.");
                    return null;
                }

                try
                {
                    return reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    issues.Add(LineOf(ref reader), where.ToString(), "the string is not valid UTF-8 (or escapes a lone surrogate); ignored.");
                    return null;
                }

            case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False:
                return Encoding.UTF8.GetString(reader.ValueSpan);
            case JsonTokenType.Null:
                return null;
            default:
                issues.Add(LineOf(ref reader), where.ToString(), $"expected a string, found {Describe(reader.TokenType)}; ignored.");
                Skip(ref reader);
                return null;
        }
    }

    private int? ReadInt(ref Utf8JsonReader reader, JsonWhere where, int min, int max)
    {
        var text = ReadString(ref reader, where);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        issues.Add(LineOf(ref reader), where.ToString(), $"'{Excerpt(text)}' is not a number from {min} to {max}; ignored.");
        return null;
    }

    private bool ReadBool(ref Utf8JsonReader reader, JsonWhere where)
    {
        var text = ReadString(ref reader, where);
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "0" or "false":
                return false;
            case "1" or "true":
                return true;
            default:
                issues.Add(LineOf(ref reader), where.ToString(), $"'{Excerpt(text)}' is not true or false; taken as false.");
                return false;
        }
    }

    private int LineOf(ref Utf8JsonReader reader)
    {
        var offset = (int)reader.TokenStartIndex;
        if (offset < _lineOffset)
        {
            _lineOffset = 0;
            _line = 1;
        }

        _line += input.Span[_lineOffset..offset].Count((byte)'\n');
        _lineOffset = offset;
        return _line;
    }

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => type.ToString(),
    };

    internal static string Excerpt(string text) => IssueText.Excerpt(text);
}
