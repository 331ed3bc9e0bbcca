namespace Ribat.Forensics.Logs;

/// <summary>
/// BSD syslog lines: "[&lt;PRI&gt;]Mmm dd hh:mm:ss host tag: message", or rsyslog's high-precision form with an RFC
/// 3339 timestamp in place of the BSD one. The host may be absent (a device logging to a remote collector).
/// </summary>
internal sealed class Syslog3164Parser(string sourceFile, LogReadOptions options) : ILineParser
{
    private readonly SyslogClock _clock = new(options.SyslogYear, options.Modified, options.LocalTimeZone);
    private readonly List<LogField> _fields = new(16);

    public bool TryParse(ReadOnlySpan<byte> line, long lineNumber, List<LogEvent> events, out string? skipReason)
    {
        if (!LineText.TryDecode(line, out var text, out skipReason))
        {
            return false;
        }

        var span = text.AsSpan();
        var at = SyslogFields.TryReadPriority(span, out var priority);
        if (!TryReadTimestamp(span, ref at, out var stamp, out var timestamp))
        {
            skipReason = SkipReasons.NotSyslog;
            return false;
        }

        _fields.Clear();
        _fields.Add(new LogField("timestamp", stamp));
        var rest = span[at..].TrimStart(' ');
        var first = NextToken(rest);
        if (!IsTag(first))
        {
            _fields.Add(new LogField("host", first.ToString()));
            rest = rest[first.Length..].TrimStart(' ');
        }

        var tag = NextToken(rest);
        string program = "";
        if (IsTag(tag))
        {
            SyslogFields.AddTag(_fields, tag[..^1]);
            program = _fields[^1].Name == "pid" ? _fields[^2].Value! : _fields[^1].Value!;
            rest = rest[tag.Length..].TrimStart(' ');
        }

        SyslogFields.AddPriority(_fields, priority);
        var message = rest.ToString();
        _fields.Add(new LogField("message", message));
        AuthMessages.Add(_fields, program, message);
        SysmonXml.AddIfSysmon(_fields, program, message);
        events.Add(new LogEvent(LogFormat.Syslog3164, sourceFile, lineNumber, timestamp, [.. _fields]));
        return true;
    }

    /// <summary>True when the first characters of <paramref name="line"/> are a 3164 header.</summary>
    public static bool Looks(ReadOnlySpan<char> line)
    {
        var at = SyslogFields.TryReadPriority(line, out _);
        return TryReadBsd(line, ref at, out _, out _, out _, out _, out _) || TryReadIso(line, ref at, out _);
    }

    private bool TryReadTimestamp(ReadOnlySpan<char> text, ref int at, out string stamp, out DateTimeOffset? timestamp)
    {
        var start = at;
        if (TryReadBsd(text, ref at, out var month, out var day, out var hour, out var minute, out var second))
        {
            stamp = text[start..at].ToString();
            timestamp = _clock.Resolve(month, day, hour, minute, second, 0);
            return true;
        }

        if (TryReadIso(text, ref at, out var iso))
        {
            stamp = text[start..at].ToString();
            timestamp = iso;
            return true;
        }

        stamp = "";
        timestamp = null;
        return false;
    }

    private static bool TryReadBsd(ReadOnlySpan<char> text, ref int at, out int month, out int day, out int hour, out int minute, out int second)
    {
        day = hour = minute = second = 0;
        var s = text[at..];
        month = s.Length >= 16 ? LogTimestamps.Month(s[..3]) : 0;
        if (month == 0 || s[3] != ' ' || s[6] != ' ' || s[9] != ':' || s[12] != ':' || s[15] != ' ')
        {
            return false;
        }

        day = s[4] == ' ' && char.IsAsciiDigit(s[5]) ? s[5] - '0' : LogTimestamps.Digits2(s, 4);
        hour = LogTimestamps.Digits2(s, 7);
        minute = LogTimestamps.Digits2(s, 10);
        second = LogTimestamps.Digits2(s, 13);
        if (day < 1 || hour < 0 || minute < 0 || second < 0)
        {
            return false;
        }

        at += 15;
        return true;
    }

    private static bool TryReadIso(ReadOnlySpan<char> text, ref int at, out DateTimeOffset? timestamp)
    {
        timestamp = null;
        var token = NextToken(text[at..]);
        if (token.Length < 19 || token[4] != '-' || token[10] != 'T' || !LogTimestamps.TryParseText(token, null, out var utc))
        {
            return false;
        }

        timestamp = utc;
        at += token.Length;
        return true;
    }

    private static ReadOnlySpan<char> NextToken(ReadOnlySpan<char> text)
    {
        var end = text.IndexOf(' ');
        return end < 0 ? text : text[..end];
    }

    /// <summary>"program:" or "program[pid]:" — a host name never ends with a colon.</summary>
    private static bool IsTag(ReadOnlySpan<char> token) => token.Length > 1 && token[^1] == ':';
}
