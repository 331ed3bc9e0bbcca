namespace Ribat.Forensics.Logs;

/// <summary>
/// What reading one file gave: how many events, and how many lines or records were skipped for each reason. Filled
/// while the events are enumerated; complete once the enumeration ends.
/// </summary>
public sealed class LogReadReport(string sourceFile, LogFormat format, string? formatReason)
{
    private readonly Dictionary<string, long> _skipped = new(StringComparer.Ordinal);

    public string SourceFile { get; } = sourceFile;

    public LogFormat Format { get; } = format;

    /// <summary>Why the format is <see cref="LogFormat.Unknown"/> or is not read here (EVTX); null otherwise.</summary>
    public string? FormatReason { get; } = formatReason;

    public long EventsRead { get; internal set; }

    /// <summary>Lines or records skipped, by reason (e.g. "line longer than the limit": 3).</summary>
    public IReadOnlyDictionary<string, long> Skipped => _skipped;

    public long SkippedTotal { get; private set; }

    /// <summary>Why reading stopped before the end of the file (an I/O error, an archive past its cap); null when it did not.</summary>
    public string? StoppedBy { get; internal set; }

    internal void Skip(string reason, long count = 1)
    {
        _skipped[reason] = _skipped.GetValueOrDefault(reason) + count;
        SkippedTotal += count;
    }
}
