namespace Ribat.Forensics.Logs;

/// <summary>Names of syslog's facility and severity codes (RFC 5424 §6.2.1).</summary>
internal static class SyslogFields
{
    private static readonly string[] Facilities =
    [
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp", "ntp",
        "security", "console", "solaris-cron", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
    ];

    private static readonly string[] Severities = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"];

    /// <summary>Reads "&lt;PRI&gt;" at the start; returns the characters used (0 when there is none) and the value.</summary>
    public static int TryReadPriority(ReadOnlySpan<char> text, out int priority)
    {
        priority = -1;
        if (text.Length < 3 || text[0] != '<')
        {
            return 0;
        }

        var value = 0;
        var i = 1;
        for (; i < text.Length && i <= 4 && char.IsAsciiDigit(text[i]); i++)
        {
            value = (value * 10) + text[i] - '0';
        }

        if (i == 1 || i > 4 || i >= text.Length || text[i] != '>' || value > 191)
        {
            return 0;
        }

        priority = value;
        return i + 1;
    }

    public static void AddPriority(List<LogField> fields, int priority)
    {
        if (priority >= 0)
        {
            fields.Add(new LogField("facility", Facilities[priority >> 3]));
            fields.Add(new LogField("severity", Severities[priority & 7]));
        }
    }

    /// <summary>Splits "program[pid]" into its parts; a bare name has no pid.</summary>
    public static void AddTag(List<LogField> fields, ReadOnlySpan<char> tag)
    {
        var open = tag.IndexOf('[');
        if (open > 0 && tag[^1] == ']')
        {
            fields.Add(new LogField("program", tag[..open].ToString()));
            fields.Add(new LogField("pid", tag[(open + 1)..^1].ToString()));
        }
        else if (tag.Length > 0)
        {
            fields.Add(new LogField("program", tag.ToString()));
        }
    }
}
