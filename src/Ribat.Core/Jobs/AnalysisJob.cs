using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;

namespace Ribat.Core.Jobs;

public enum JobKind
{
    /// <summary>Sigma rules, the intelligence store's indicators and the access rules over log evidence.</summary>
    Hunt = 0,

    /// <summary>The traffic summary of packet captures: vectors, reflectors, top talkers, series, chart.</summary>
    Capture = 1,
}

public enum JobStatus
{
    Queued = 0,
    Running = 1,
    Succeeded = 2,
    Failed = 3,
    Cancelled = 4,
}

/// <summary>
/// An analysis of some of a case's evidence items that runs in the background, one at a time per node. It has the
/// audience of its case when it was started; its results are findings of the case, written all at once when it ends.
/// </summary>
public sealed class AnalysisJob : ISharedObject
{
    public Guid Id { get; set; }

    /// <summary>The case whose items the job reads; exactly one of this and <see cref="IncidentId"/> is set.</summary>
    public Guid? CaseId { get; set; }

    /// <summary>The incident whose items the job reads.</summary>
    public Guid? IncidentId { get; set; }

    public Guid OwnerOrganisationId { get; set; }

    public Guid? OwnerNode { get; set; }

    public Tlp Tlp { get; set; }

    public Pap Pap { get; set; }

    public DistributionKind Distribution { get; set; }

    public Guid? SharingGroupId { get; set; }

    public HandlingCodes Handling { get; set; }

    public string? HandlingConditions { get; set; }

    public string? Evaluation { get; set; }

    public JobKind Kind { get; set; }

    public JobStatus Status { get; set; }

    /// <summary>The evidence items analysed, in the order given.</summary>
    public List<Guid> EvidenceIds { get; set; } = [];

    /// <summary>A hunt's minimum Sigma level (informational … critical); null reports every level.</summary>
    public string? MinLevel { get; set; }

    public Guid StartedBy { get; set; }

    public required string StartedByName { get; set; }

    /// <summary>The roles the starter had when the job was queued; the job runs with them, never with more.</summary>
    public required string StartedByRoles { get; set; }

    public DateTimeOffset QueuedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>When the worker last wrote progress; a running job whose beat stopped was cut off by a restart.</summary>
    public DateTimeOffset? HeartbeatAt { get; set; }

    /// <summary>What the running job does now: <c>verifying</c>, <c>reading</c>, <c>saving</c>.</summary>
    public string? Phase { get; set; }

    /// <summary>What <see cref="ProgressDone"/> and <see cref="ProgressTotal"/> count: <c>bytes</c> or <c>files</c>.</summary>
    public required string ProgressUnit { get; set; }

    public long ProgressDone { get; set; }

    public long ProgressTotal { get; set; }

    /// <summary>Events or packets read so far.</summary>
    public long Records { get; set; }

    /// <summary>Detections so far (a hunt).</summary>
    public long Detections { get; set; }

    public bool CancelRequested { get; set; }

    public Guid? CancelledBy { get; set; }

    public string? Error { get; set; }

    /// <summary>What the job read and found, as JSON, once it succeeded.</summary>
    public string? SummaryJson { get; set; }
}
