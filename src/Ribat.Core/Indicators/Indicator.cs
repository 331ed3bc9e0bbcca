using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;

namespace Ribat.Core.Indicators;

/// <summary>
/// One typed value an organisation holds, with its own sharing terms: an observable (an address, a digest,
/// a wallet…) or a detection rule (Sigma, YARA, Suricata, Snort). Standalone or part of one report.
/// </summary>
public sealed class Indicator : ISharedObject
{
    public Guid Id { get; set; }

    public Guid OwnerOrganisationId { get; set; }

    public Guid? OwnerNode { get; set; }

    public Tlp Tlp { get; set; }

    public Pap Pap { get; set; }

    public DistributionKind Distribution { get; set; }

    public Guid? SharingGroupId { get; set; }

    public HandlingCodes Handling { get; set; }

    public string? HandlingConditions { get; set; }

    public string? Evaluation { get; set; }

    /// <summary>An observable type's stable spelling (<c>ipv4</c>, <c>sha256</c>…) or a rule kind (<c>sigma</c>, <c>yara</c>…).</summary>
    public required string Type { get; set; }

    /// <summary>The canonical value; for a rule, the SHA-256 of its text, so equal rules correlate.</summary>
    public required string Value { get; set; }

    /// <summary>What a person reads: the Unicode domain, the grouped IBAN, a rule's title.</summary>
    public required string Display { get; set; }

    /// <summary>The correlation key: a 64-bit hash of the value within its correlation family.</summary>
    public long ValueKey { get; set; }

    /// <summary>
    /// For addresses and networks: the (first) address as 32 lower-case hex digits, IPv4 mapped into IPv6, so
    /// "which stored addresses lie in this network" is one index range scan in either database.
    /// </summary>
    public string? Address { get; set; }

    /// <summary>For domains, host names, URLs and e-mail addresses: the registered domain (public suffix + 1).</summary>
    public string? RegisteredDomain { get; set; }

    /// <summary>A detection rule's text.</summary>
    public string? Pattern { get; set; }

    public Guid? ReportId { get; set; }

    /// <summary>
    /// Which indicator a new row would repeat: a 64-bit key from the owner, the report, the type and the value key
    /// (<see cref="CorrelationKeys.DuplicateKey"/>), set once when the row is recorded (none of them changes afterwards).
    /// Recording a batch finds the owner's rows it repeats through one narrow integer index instead of an index led by
    /// two identifiers, which cost more to maintain than the correlation index itself; the rows it finds are then
    /// compared column by column.
    /// </summary>
    public long DuplicateKey { get; set; }

    /// <summary>
    /// When this node added the indicator's current STIX version (ADR 0017): its <c>indicator</c> version is served from
    /// this row with this date added, and its observable's version one microsecond later. A change keeps the versions
    /// it supersedes in <c>stix_objects</c> and dates the row again. Null for a row recorded before versions were served
    /// from rows, whose versions are all in <c>stix_objects</c> until its next change.
    /// </summary>
    public DateTimeOffset? StixDateAdded { get; set; }

    /// <summary>
    /// The STIX id of the observable the value is (<see cref="ObservableIds"/>); null for a rule or a type STIX has no
    /// observable for. Not indexed: it is found through <see cref="ValueKey"/>, its first 64 bits, and lets a reader
    /// compare observables exactly in SQL (the versions of one observable served by several rows).
    /// </summary>
    public string? ObservableId { get; set; }

    public string? Comment { get; set; }

    public List<string> Tags { get; set; } = [];

    /// <summary>0–100: how sure the owner is that the value is malicious.</summary>
    public int Confidence { get; set; }

    public DateTimeOffset? ValidFrom { get; set; }

    public DateTimeOffset? ValidUntil { get; set; }

    public DateTimeOffset? FirstSeen { get; set; }

    public DateTimeOffset? LastSeen { get; set; }

    /// <summary>Fit for automatic detection and blocking (MISP's <c>to_ids</c>).</summary>
    public bool ForDetection { get; set; } = true;

    /// <summary>The warning list the value matched when it was recorded, if any.</summary>
    public string? WarningList { get; set; }

    /// <summary>The owner looked at the warning-list match and keeps the value anyway.</summary>
    public bool WarningSuppressed { get; set; }

    /// <summary>The owner confirmed the value is a false positive: it scores zero and leaves block lists.</summary>
    public bool FalsePositive { get; set; }

    /// <summary>The id the value had where it came from (a MISP attribute uuid), for de-duplication on re-import.</summary>
    public string? SourceId { get; set; }

    public Guid? CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>An intelligence report: what a set of indicators is about.</summary>
public sealed class IntelligenceReport : ISharedObject
{
    public Guid Id { get; set; }

    public Guid OwnerOrganisationId { get; set; }

    public Guid? OwnerNode { get; set; }

    public Tlp Tlp { get; set; }

    public Pap Pap { get; set; }

    public DistributionKind Distribution { get; set; }

    public Guid? SharingGroupId { get; set; }

    public HandlingCodes Handling { get; set; }

    public string? HandlingConditions { get; set; }

    public string? Evaluation { get; set; }

    public required string Title { get; set; }

    public string? Description { get; set; }

    public string? ThreatActor { get; set; }

    public string? MalwareFamily { get; set; }

    /// <summary>MITRE ATT&amp;CK technique ids (<c>T1566</c>, <c>T1566.001</c>).</summary>
    public List<string> AttackTechniques { get; set; } = [];

    public List<string> Tags { get; set; } = [];

    public DateTimeOffset? FirstSeen { get; set; }

    public DateTimeOffset? LastSeen { get; set; }

    /// <summary>The id the report had where it came from (a MISP event uuid).</summary>
    public string? SourceId { get; set; }

    public Guid? CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public enum SightingKind
{
    /// <summary>The value was seen (in traffic, logs, a mailbox…).</summary>
    Seen = 0,

    /// <summary>The value was seen and judged harmless: feedback for the owner.</summary>
    FalsePositive = 1,
}

/// <summary>
/// An organisation saw an indicator's value. The sighting is its own shared object, owned by the
/// organisation that saw it, and names the indicator's owner as a recipient so the owner hears back.
/// </summary>
public sealed class Sighting : ISharedObject
{
    public Guid Id { get; set; }

    public Guid OwnerOrganisationId { get; set; }

    public Guid? OwnerNode { get; set; }

    public Tlp Tlp { get; set; }

    public Pap Pap { get; set; }

    public DistributionKind Distribution { get; set; }

    public Guid? SharingGroupId { get; set; }

    public HandlingCodes Handling { get; set; }

    public string? HandlingConditions { get; set; }

    public string? Evaluation { get; set; }

    public Guid IndicatorId { get; set; }

    public required string Type { get; set; }

    public required string Value { get; set; }

    public long ValueKey { get; set; }

    public SightingKind Kind { get; set; }

    public int Count { get; set; } = 1;

    public DateTimeOffset FirstSeenAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>Where it was seen: a sensor, a network, a mailbox, a country.</summary>
    public string? Source { get; set; }

    public string? Comment { get; set; }

    public Guid? CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
