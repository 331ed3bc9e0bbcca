using System.Text;
using System.Text.Json;

namespace Ribat.Forensics.Logs;

/// <summary>A format recognised from content, and why when it is <see cref="LogFormat.Unknown"/>.</summary>
public readonly record struct LogSniffResult(LogFormat Format, string? Reason);

/// <summary>
/// Recognises a log's format from its first bytes, never from its name. EVTX by its "ElfFile\0" magic; text forms by
/// their first lines (up to <see cref="MaxLines"/>): the form most of them match wins, and at least half must match.
/// CSV is the fallback for a header line of two or more names followed by a record of the same width.
/// </summary>
public static class LogSniffer
{
    /// <summary>Bytes worth looking at.</summary>
    public const int HeadBytes = 64 * 1024;

    public const int MaxLines = 8;

    public static LogSniffResult Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("ElfFile\0"u8))
        {
            return new(LogFormat.Evtx, "an EVTX event log: it is read by the EVTX parser.");
        }

        if (head.IsEmpty)
        {
            return new(LogFormat.Unknown, "the file is empty.");
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]) || head.StartsWith("PK\u0003\u0004"u8))
        {
            return new(LogFormat.Unknown, "a gzip or zip archive: open it through the log sources, which unpack it.");
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return new(LogFormat.Unknown, "UTF-16 text: only UTF-8 logs are read.");
        }

        if (head.StartsWith("\uFEFF"u8))
        {
            head = head[3..];
        }

        if (head[..Math.Min(head.Length, 4096)].IndexOf((byte)0) >= 0)
        {
            return new(LogFormat.Unknown, "binary content (NUL bytes) that is no known log form.");
        }

        var lines = FirstLines(head);
        if (lines.Count == 0)
        {
            return new(LogFormat.Unknown, "the first lines are blank.");
        }

        var format = Vote(lines);
        if (format != LogFormat.Unknown)
        {
            return new(format, null);
        }

        return LooksCsv(lines)
            ? new(LogFormat.Csv, null)
            : new(LogFormat.Unknown, $"the first {lines.Count} line(s) are not syslog (RFC 3164 or 5424), an access log, JSON lines or CSV with a header.");
    }

    private static LogFormat Vote(List<string> lines)
    {
        Span<int> votes = stackalloc int[4];
        foreach (var line in lines)
        {
            if (LooksJson(line))
            {
                votes[0]++;
            }
            else if (Syslog5424Parser.Looks(line))
            {
                votes[1]++;
            }
            else if (Syslog3164Parser.Looks(line))
            {
                votes[2]++;
            }
            else if (AccessLogParser.Looks(line))
            {
                votes[3]++;
            }
        }

        var best = 0;
        for (var i = 1; i < votes.Length; i++)
        {
            best = votes[i] > votes[best] ? i : best;
        }

        if (votes[best] == 0 || votes[best] * 2 < lines.Count)
        {
            return LogFormat.Unknown;
        }

        return best switch
        {
            0 => LogFormat.JsonLines,
            1 => LogFormat.Syslog5424,
            2 => LogFormat.Syslog3164,
            _ => LogFormat.AccessLog,
        };
    }

    /// <summary>Non-blank lines; a last line cut by the end of the head counts only when it is the only one.</summary>
    private static List<string> FirstLines(ReadOnlySpan<byte> head)
    {
        var lines = new List<string>(MaxLines);
        while (lines.Count < MaxLines && !head.IsEmpty)
        {
            var end = head.IndexOf((byte)'\n');
            if (end < 0 && lines.Count > 0 && head.Length >= HeadBytes / 2)
            {
                break;
            }

            var line = Encoding.UTF8.GetString(end < 0 ? head : head[..end]).TrimEnd('\r');
            if (!string.IsNullOrWhiteSpace(line))
            {
                lines.Add(line);
            }

            head = end < 0 ? [] : head[(end + 1)..];
        }

        return lines;
    }

    private static bool LooksJson(string line)
    {
        var trimmed = line.AsSpan().Trim();
        if (trimmed.Length < 2 || trimmed[0] != '{')
        {
            return false;
        }

        var bytes = Encoding.UTF8.GetBytes(trimmed.ToString());
        var reader = new Utf8JsonReader(bytes, isFinalBlock: false, default);
        try
        {
            // A line cut by the end of the head is still JSON if every token up to the cut is.
            while (reader.Read())
            {
            }

            return reader.BytesConsumed == bytes.Length || bytes.Length >= HeadBytes / 2;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool LooksCsv(List<string> lines)
    {
        foreach (var delimiter in ",;\t")
        {
            var width = Width(lines[0], delimiter);
            if (width < 2)
            {
                continue;
            }

            if (lines.Count == 1)
            {
                return true;
            }

            // A quoted value may hold a line break, so the second physical line may be the start of a longer record.
            var second = Width(lines[1], delimiter);
            if (second == width || (second > 0 && second < width && lines[1].Count(c => c == '"') % 2 == 1))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Values on the line split at <paramref name="delimiter"/> outside quotes.</summary>
    private static int Width(string line, char delimiter)
    {
        var width = 1;
        var quoted = false;
        foreach (var c in line)
        {
            quoted ^= c == '"';
            width += !quoted && c == delimiter ? 1 : 0;
        }

        return width;
    }
}
