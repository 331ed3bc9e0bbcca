using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Hunting;

/// <summary>A file or archive member that gave no events at all, or stopped early, and why.</summary>
public sealed record HuntProblem(string Name, string Reason);

/// <summary>An EVTX file with damaged chunks or skipped records.</summary>
public sealed record HuntEvtxDamage(string Name, int Chunks, int DamagedChunks, long RecordsSkipped);

/// <summary>Live figures of a running hunt, for a progress line.</summary>
public readonly record struct HuntProgress(int FilesDone, int FilesTotal, long Events, long Detections);

/// <summary>
/// What a hunt read and found. Complete when <see cref="LogHunt.RunAsync"/> returns. Detections are counted whether or
/// not a minimum level kept them from the output.
/// </summary>
public sealed class HuntSummary
{
    /// <summary>Files named or found in folders (an archive counts once).</summary>
    public int Files { get; internal set; }

    /// <summary>Logs read: files and archive members whose format was recognised.</summary>
    public int Logs { get; internal set; }

    public long EventsRead { get; internal set; }

    public Dictionary<LogFormat, long> EventsByFormat { get; } = [];

    public Dictionary<LogFormat, int> LogsByFormat { get; } = [];

    /// <summary>Detections by kind (sigma, correlation, ioc, access).</summary>
    public Dictionary<HuntKind, long> DetectionsByKind { get; } = [];

    /// <summary>Sigma and correlation detections by level.</summary>
    public Dictionary<string, long> DetectionsByLevel { get; } = new(StringComparer.Ordinal);

    public long Detections { get; internal set; }

    /// <summary>Detections reported (not below the minimum level, not suppressed by a correlation).</summary>
    public long Reported { get; internal set; }

    /// <summary>Files and members that gave nothing: unknown format, not an EVTX file, not openable.</summary>
    public List<HuntProblem> Unreadable { get; } = [];

    /// <summary>Files read only in part: an I/O error, an archive past its cap.</summary>
    public List<HuntProblem> Stopped { get; } = [];

    /// <summary>Lines, CSV records and EVTX records skipped, by reason.</summary>
    public Dictionary<string, long> Skipped { get; } = new(StringComparer.Ordinal);

    public List<HuntEvtxDamage> EvtxDamage { get; } = [];

    public int DamagedChunks { get; internal set; }

    /// <summary>Logon attempts the access rules saw, and those earlier than one already seen.</summary>
    public long LogonAttempts { get; internal set; }

    /// <summary>Detections that feed a correlation but carry no time, so no window can hold them.</summary>
    public long CorrelationUntimed { get; internal set; }

    /// <summary>Sorted runs written to disk (timeline, logons, correlation inputs).</summary>
    public int SpilledRuns { get; internal set; }

    internal void Count(HuntHit hit)
    {
        Detections++;
        DetectionsByKind[hit.Kind] = DetectionsByKind.GetValueOrDefault(hit.Kind) + 1;
        if (hit.Kind is HuntKind.Sigma or HuntKind.Correlation)
        {
            var level = HuntLevels.All[HuntLevels.Rank(hit.Level)];
            DetectionsByLevel[level] = DetectionsByLevel.GetValueOrDefault(level) + 1;
        }
    }

    internal void Skip(string reason, long count)
    {
        Skipped[reason] = Skipped.GetValueOrDefault(reason) + count;
    }
}
