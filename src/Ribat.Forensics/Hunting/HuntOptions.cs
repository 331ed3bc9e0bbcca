using Ribat.Forensics.Access;
using Ribat.Forensics.Detection;
using Ribat.Forensics.Enrichment;
using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Hunting;

/// <summary>What a <see cref="LogHunt"/> looks for and how it reads. Every engine is optional: a hunt with none of them still reads and counts (and, with <see cref="Timeline"/>, sorts) the events.</summary>
public sealed record HuntOptions
{
    public SigmaRuleSet? Rules { get; init; }

    /// <summary>Correlation rules over <see cref="Rules"/>; they see detections in time order across all files.</summary>
    public IReadOnlyList<SigmaCorrelationRule> Correlations { get; init; } = [];

    public IocSet? Indicators { get; init; }

    /// <summary>Run the unauthorized-access rules over the logon events of all files, in time order.</summary>
    public bool DetectAccess { get; init; } = true;

    public AccessDetectionOptions? Access { get; init; }

    /// <summary>Origins for the first-seen rule; owned by the caller.</summary>
    public AddressEnricher? Enricher { get; init; }

    /// <summary>Sigma and correlation detections below this level are counted but not reported; null reports all.</summary>
    public string? MinLevel { get; init; }

    /// <summary>Report every event, sorted by time across files, instead of the detections as they are found.</summary>
    public bool Timeline { get; init; }

    /// <summary>Threads that each read files and match their events; one left without a file matches batches the others hand over.</summary>
    public int Workers { get; init; } = 2;

    public LogReadOptions Read { get; init; } = new();

    public LogSourceOptions Sources { get; init; } = new();

    public Evtx.EvtxReadOptions Evtx { get; init; } = new() { Parallelism = 1 };

    /// <summary>Where the sorted runs are spilled (a subfolder is made and deleted).</summary>
    public string TempDirectory { get; init; } = Path.GetTempPath();

    /// <summary>Estimated bytes of events one matcher holds per spill before writing a sorted run.</summary>
    public long RunBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Events per sorted run at most, whatever their size (small in tests, so runs really spill).</summary>
    public int RunRecords { get; init; } = 1_000_000;

    /// <summary>Runs merged at once; more are merged in passes.</summary>
    public int MergeFanIn { get; init; } = 64;

    /// <summary>Returns one line naming the first unusable value, or null.</summary>
    public string? Validate() =>
        Workers is < 1 or > 64 ? "the number of workers must be between 1 and 64."
        : RunBytes < 4096 ? "the run size must be at least 4 KiB."
        : RunRecords < 1 ? "a run must hold at least one event."
        : MergeFanIn < 2 ? "at least two runs must be merged at once."
        : MinLevel is not null && !HuntLevels.IsKnown(MinLevel) ? $"'{MinLevel}' is not a level ({string.Join(", ", HuntLevels.All)})."
        : Read.Validate() ?? Sources.Validate() ?? (DetectAccess ? (Access ?? new AccessDetectionOptions()).Validate() : null);
}
