namespace Ribat.Forensics.Logs;

/// <summary>
/// One event read from a log, whatever its format: what the Sigma engine, IOC matching, access detection and
/// the timeline work on. Fields keep the order the log gave them; a name may repeat (the first one wins in
/// <see cref="TryGet"/>, matchers that need all of them walk <see cref="Fields"/>).
/// </summary>
public sealed class LogEvent
{
    /// <summary>Look-ups answered by walking the fields before an index is built: most events are asked a few names at most.</summary>
    private const int LookupsBeforeIndex = 4;

    private Dictionary<string, int>? _index;
    private int _lookups;

    public LogEvent(LogFormat format, string sourceFile, long recordId, DateTimeOffset? timestamp, LogField[] fields)
    {
        Format = format;
        SourceFile = sourceFile;
        RecordId = recordId;
        Timestamp = timestamp;
        Fields = fields;
    }

    public LogFormat Format { get; }

    /// <summary>The file the event came from, as the user named it (an archive member as <c>archive.zip!member</c>).</summary>
    public string SourceFile { get; }

    /// <summary>The EVTX record number, or the 1-based line number for text logs.</summary>
    public long RecordId { get; }

    /// <summary>When the event happened, in UTC; null when the log does not say.</summary>
    public DateTimeOffset? Timestamp { get; }

    public LogField[] Fields { get; }

    /// <summary>
    /// The first field of that name, ignoring case (Sigma rules and logs disagree on case: <c>commandline</c>
    /// against <c>CommandLine</c>). A field present with a null value returns true.
    /// </summary>
    public bool TryGet(string name, out string? value)
    {
        var fields = Fields;
        if (fields.Length <= 8 || (_index is null && ++_lookups <= LookupsBeforeIndex))
        {
            foreach (var field in fields)
            {
                if (string.Equals(field.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = field.Value;
                    return true;
                }
            }

            value = null;
            return false;
        }

        _index ??= BuildIndex(fields);
        if (_index.TryGetValue(name, out var at))
        {
            value = fields[at].Value;
            return true;
        }

        value = null;
        return false;
    }

    private static Dictionary<string, int> BuildIndex(LogField[] fields)
    {
        var index = new Dictionary<string, int>(fields.Length, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < fields.Length; i++)
        {
            index.TryAdd(fields[i].Name, i);
        }

        return index;
    }
}
