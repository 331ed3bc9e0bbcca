using System.Text;

namespace Ribat.Forensics.Logs;

/// <summary>
/// Apache and Nginx access logs, common and combined, with or without a leading virtual host ("host:port"):
/// <c>%h %l %u %t "%r" %&gt;s %b ["%{Referer}i" "%{User-agent}i"]</c>. Fields are named as Sigma's webserver
/// taxonomy; a "-" gives no field. Fields logged after the user agent are not named by any standard and are ignored.
/// </summary>
internal sealed class AccessLogParser(string sourceFile) : ILineParser
{
    private readonly List<LogField> _fields = new(16);
    private readonly StringBuilder _quoted = new();

    public bool TryParse(ReadOnlySpan<byte> line, long lineNumber, List<LogEvent> events, out string? skipReason)
    {
        if (!LineText.TryDecode(line, out var text, out skipReason))
        {
            return false;
        }

        _fields.Clear();
        if (!TryParse(text, _fields, _quoted, out var timestamp))
        {
            skipReason = SkipReasons.NotAccessLog;
            return false;
        }

        events.Add(new LogEvent(LogFormat.AccessLog, sourceFile, lineNumber, timestamp, [.. _fields]));
        return true;
    }

    public static bool Looks(string line) => TryParse(line, new List<LogField>(16), new StringBuilder(), out _);

    private static bool TryParse(string text, List<LogField> fields, StringBuilder quoted, out DateTimeOffset timestamp)
    {
        timestamp = default;
        var span = text.AsSpan();
        var open = span.IndexOf(" [");
        if (open <= 0 || !TryReadPrefix(span[..open], fields))
        {
            return false;
        }

        var at = open + 2;
        var close = span[at..].IndexOf(']');
        if (close < 0 || !TryParseTime(span.Slice(at, close), out timestamp))
        {
            return false;
        }

        at += close + 1;
        if (!Expect(span, ref at, " \"") || !TryReadQuoted(span, ref at, quoted))
        {
            return false;
        }

        var request = quoted.ToString();
        if (!TryReadStatusAndBytes(span, ref at, fields))
        {
            return false;
        }

        AddRequest(fields, request);
        if (Expect(span, ref at, " \"") && TryReadQuoted(span, ref at, quoted))
        {
            AddUnlessDash(fields, "cs-referer", quoted.ToString());
            if (Expect(span, ref at, " \"") && TryReadQuoted(span, ref at, quoted))
            {
                AddUnlessDash(fields, "c-useragent", quoted.ToString());
            }
        }

        return true;
    }

    /// <summary>"%h %l %u", or "%v:%p %h %l %u" with the virtual host first.</summary>
    private static bool TryReadPrefix(ReadOnlySpan<char> prefix, List<LogField> fields)
    {
        Span<Range> parts = stackalloc Range[5];
        var count = prefix.Split(parts, ' ', StringSplitOptions.RemoveEmptyEntries);
        if (count is not (3 or 4))
        {
            return false;
        }

        var first = 0;
        if (count == 4)
        {
            var host = prefix[parts[0]];
            var colon = host.LastIndexOf(':');
            var hasPort = colon > 0 && colon + 1 < host.Length && !host[(colon + 1)..].ContainsAnyExceptInRange('0', '9');
            fields.Add(new LogField("cs-host", (hasPort ? host[..colon] : host).ToString()));
            first = 1;
        }

        var client = prefix[parts[first]];
        if (client is "-" || client.Length > 255)
        {
            return false;
        }

        fields.Add(new LogField("c-ip", client.ToString()));
        AddUnlessDash(fields, "cs-username", prefix[parts[first + 2]].ToString());
        return true;
    }

    private static bool TryReadStatusAndBytes(ReadOnlySpan<char> span, ref int at, List<LogField> fields)
    {
        if (!Expect(span, ref at, " "))
        {
            return false;
        }

        var status = Token(span, ref at);
        if (status.Length != 3 || status.ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        fields.Add(new LogField("sc-status", status.ToString()));
        if (!Expect(span, ref at, " "))
        {
            return false;
        }

        var bytes = Token(span, ref at);
        if (bytes is not "-" && (bytes.Length == 0 || bytes.ContainsAnyExceptInRange('0', '9')))
        {
            return false;
        }

        AddUnlessDash(fields, "sc-bytes", bytes.ToString());
        return true;
    }

    /// <summary>"GET /a/b.php?x=1 HTTP/1.1" into method, target, path, query, extension and version.</summary>
    private static void AddRequest(List<LogField> fields, string request)
    {
        if (request is "-" || request.Length == 0)
        {
            return;
        }

        var parts = request.Split(' ');
        if (parts.Length is not (2 or 3) || parts[0].Length == 0 || parts[0].AsSpan().ContainsAnyExceptInRange('A', 'Z'))
        {
            fields.Add(new LogField("request", request));
            return;
        }

        fields.Add(new LogField("cs-method", parts[0]));
        var target = parts[1];
        fields.Add(new LogField("cs-uri", target));
        var question = target.IndexOf('?');
        var path = question < 0 ? target : target[..question];
        fields.Add(new LogField("c-uri", path));
        if (question >= 0)
        {
            fields.Add(new LogField("cs-uri-query", target[(question + 1)..]));
        }

        var name = path.AsSpan(path.LastIndexOf('/') + 1);
        var dot = name.LastIndexOf('.');
        if (dot >= 0 && dot + 1 < name.Length)
        {
            fields.Add(new LogField("c-uri-extension", name[(dot + 1)..].ToString()));
        }

        if (parts.Length == 3)
        {
            fields.Add(new LogField("cs-version", parts[2]));
        }
    }

    /// <summary>"10/Oct/2000:13:55:36 -0700"</summary>
    private static bool TryParseTime(ReadOnlySpan<char> s, out DateTimeOffset utc)
    {
        utc = default;
        if (s.Length != 26 || s[2] != '/' || s[6] != '/' || s[11] != ':' || s[14] != ':' || s[17] != ':' || s[20] != ' ' || s[21] is not ('+' or '-'))
        {
            return false;
        }

        var day = LogTimestamps.Digits2(s, 0);
        var month = LogTimestamps.Month(s[3..6]);
        var year = (LogTimestamps.Digits2(s, 7) * 100) + LogTimestamps.Digits2(s, 9);
        int hour = LogTimestamps.Digits2(s, 12), minute = LogTimestamps.Digits2(s, 15), second = LogTimestamps.Digits2(s, 18);
        int offsetHours = LogTimestamps.Digits2(s, 22), offsetMinutes = LogTimestamps.Digits2(s, 24);
        if (day < 1 || month == 0 || year < 1 || hour is < 0 or > 23 || minute is < 0 or > 59 || second is < 0 or > 59
            || offsetHours is < 0 or > 14 || offsetMinutes is < 0 or > 59 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        var offset = new TimeSpan(offsetHours, offsetMinutes, 0) * (s[21] == '-' ? -1 : 1);
        utc = new DateTimeOffset(year, month, day, hour, minute, second, offset).ToUniversalTime();
        return true;
    }

    /// <summary>A quoted string from the opening quote already passed; \" and \\ are unescaped.</summary>
    private static bool TryReadQuoted(ReadOnlySpan<char> span, ref int at, StringBuilder into)
    {
        into.Clear();
        for (; at < span.Length; at++)
        {
            var c = span[at];
            if (c == '\\' && at + 1 < span.Length && span[at + 1] is '"' or '\\')
            {
                into.Append(span[++at]);
            }
            else if (c == '"')
            {
                at++;
                return true;
            }
            else
            {
                into.Append(c);
            }
        }

        return false;
    }

    private static bool Expect(ReadOnlySpan<char> span, ref int at, string text)
    {
        if (!span[at..].StartsWith(text, StringComparison.Ordinal))
        {
            return false;
        }

        at += text.Length;
        return true;
    }

    private static ReadOnlySpan<char> Token(ReadOnlySpan<char> span, ref int at)
    {
        var rest = span[at..];
        var end = rest.IndexOf(' ');
        var token = end < 0 ? rest : rest[..end];
        at += token.Length;
        return token;
    }

    private static void AddUnlessDash(List<LogField> fields, string name, string value)
    {
        if (value is not "-" && value.Length > 0)
        {
            fields.Add(new LogField(name, value));
        }
    }
}
