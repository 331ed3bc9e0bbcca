using System.Text;

namespace Ribat.Forensics.Logs;

/// <summary>
/// RFC 5424 lines: "&lt;PRI&gt;1 TIMESTAMP HOST APP PROCID MSGID [SD...] MSG". A nil value ("-") gives no field;
/// each SD-PARAM becomes <c>sd.&lt;SD-ID&gt;.&lt;name&gt;</c>.
/// </summary>
internal sealed class Syslog5424Parser(string sourceFile, LogReadOptions options) : ILineParser
{
    private readonly List<LogField> _fields = new(16);
    private readonly StringBuilder _value = new();

    public bool TryParse(ReadOnlySpan<byte> line, long lineNumber, List<LogEvent> events, out string? skipReason)
    {
        if (!LineText.TryDecode(line, out var text, out skipReason))
        {
            return false;
        }

        var span = text.AsSpan();
        if (!TryReadHeader(span, out var priority, out var at))
        {
            skipReason = SkipReasons.NotSyslog;
            return false;
        }

        _fields.Clear();
        var stamp = Token(span, ref at);
        DateTimeOffset? timestamp = null;
        if (stamp is not "-")
        {
            _fields.Add(new LogField("timestamp", stamp.ToString()));
            timestamp = LogTimestamps.TryParseText(stamp, options.LocalTimeZone, out var utc) ? utc : null;
        }

        AddUnlessNil("host", Token(span, ref at));
        var program = Token(span, ref at);
        AddUnlessNil("program", program);
        AddUnlessNil("pid", Token(span, ref at));
        AddUnlessNil("msgid", Token(span, ref at));
        SyslogFields.AddPriority(_fields, priority);
        if (!TryReadStructuredData(span, ref at))
        {
            skipReason = SkipReasons.BadStructuredData;
            return false;
        }

        var message = at < span.Length ? span[at..].TrimStart(' ').TrimStart('\uFEFF').ToString() : "";
        _fields.Add(new LogField("message", message));
        var programName = program is "-" ? "" : program.ToString();
        AuthMessages.Add(_fields, programName, message);
        SysmonXml.AddIfSysmon(_fields, programName, message);
        events.Add(new LogEvent(LogFormat.Syslog5424, sourceFile, lineNumber, timestamp, [.. _fields]));
        return true;
    }

    public static bool Looks(ReadOnlySpan<char> line) => TryReadHeader(line, out _, out _);

    private static bool TryReadHeader(ReadOnlySpan<char> text, out int priority, out int at)
    {
        at = SyslogFields.TryReadPriority(text, out priority);
        if (at == 0 || at + 2 > text.Length || text[at] is < '1' or > '9')
        {
            return false;
        }

        while (at < text.Length && char.IsAsciiDigit(text[at]))
        {
            at++;
        }

        if (at >= text.Length || text[at] != ' ')
        {
            return false;
        }

        at++;
        return true;
    }

    private void AddUnlessNil(string name, ReadOnlySpan<char> value)
    {
        if (value is not "-" && value.Length > 0)
        {
            _fields.Add(new LogField(name, value.ToString()));
        }
    }

    private static ReadOnlySpan<char> Token(ReadOnlySpan<char> text, ref int at)
    {
        if (at >= text.Length)
        {
            return "";
        }

        var rest = text[at..];
        var end = rest.IndexOf(' ');
        var token = end < 0 ? rest : rest[..end];
        at += token.Length + (end < 0 ? 0 : 1);
        return token;
    }

    /// <summary>"-" or one or more "[id name="value" ...]"; values escape '"', '\' and ']' with a backslash.</summary>
    private bool TryReadStructuredData(ReadOnlySpan<char> text, ref int at)
    {
        if (at >= text.Length)
        {
            return true;
        }

        if (text[at] == '-')
        {
            at++;
            return at == text.Length || text[at] == ' ';
        }

        if (text[at] != '[')
        {
            return false;
        }

        while (at < text.Length && text[at] == '[')
        {
            at++;
            var idEnd = text[at..].IndexOfAny(' ', ']');
            if (idEnd <= 0)
            {
                return false;
            }

            var id = text.Slice(at, idEnd).ToString();
            at += idEnd;
            while (at < text.Length && text[at] == ' ')
            {
                if (!TryReadParameter(text, ref at, id))
                {
                    return false;
                }
            }

            if (at >= text.Length || text[at] != ']')
            {
                return false;
            }

            at++;
        }

        return true;
    }

    private bool TryReadParameter(ReadOnlySpan<char> text, ref int at, string id)
    {
        at++;
        var equals = text[at..].IndexOf("=\"");
        if (equals <= 0 || text.Slice(at, equals).IndexOfAny(' ', ']') >= 0)
        {
            return false;
        }

        var name = text.Slice(at, equals);
        at += equals + 2;
        _value.Clear();
        for (; at < text.Length; at++)
        {
            var c = text[at];
            if (c == '\\' && at + 1 < text.Length && text[at + 1] is '"' or '\\' or ']')
            {
                _value.Append(text[++at]);
            }
            else if (c == '"')
            {
                at++;
                _fields.Add(new LogField($"sd.{id}.{name}", _value.ToString()));
                return true;
            }
            else
            {
                _value.Append(c);
            }
        }

        return false;
    }
}
