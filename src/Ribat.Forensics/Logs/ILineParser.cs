namespace Ribat.Forensics.Logs;

/// <summary>Turns one line of a text log into events (usually one), or says why the line is skipped.</summary>
internal interface ILineParser
{
    /// <summary>Adds the events of <paramref name="line"/> to <paramref name="events"/>, or returns false with <paramref name="skipReason"/>.</summary>
    bool TryParse(ReadOnlySpan<byte> line, long lineNumber, List<LogEvent> events, out string? skipReason);
}

/// <summary>What the text-line parsers share before they look at a line's shape.</summary>
internal static class LineText
{
    /// <summary>The line as text, or false with <see cref="SkipReasons.Empty"/> when it holds only white space.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> line, out string text, out string? skipReason)
    {
        text = System.Text.Encoding.UTF8.GetString(line);
        skipReason = string.IsNullOrWhiteSpace(text) ? SkipReasons.Empty : null;
        return skipReason is null;
    }
}

/// <summary>The reasons a line is skipped, as they appear in <see cref="LogReadReport.Skipped"/>.</summary>
internal static class SkipReasons
{
    public const string Empty = "empty line";
    public const string TooLong = "line longer than the limit";
    public const string NotSyslog = "not a syslog line";
    public const string BadStructuredData = "malformed RFC 5424 structured data";
    public const string NotAccessLog = "not an access log line";
    public const string InvalidJson = "invalid JSON";
    public const string NotJsonObject = "not a JSON object";
    public const string CsvRecord = "malformed CSV record";
}
