using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;

namespace Ribat.Core.Evidence;

/// <summary>
/// One acquired file of a case or of an incident (<see cref="EvidenceParent"/>), held in the content store under its SHA-256. The acquisition record is fixed once
/// written: the first custody entry carries a digest of it (<see cref="CustodyChain.AcquisitionDigest"/>), so a later
/// edit of any of these fields is detected. Who holds the item now follows from the custody log.
/// </summary>
public sealed class EvidenceItem : ISharedObject
{
    public Guid Id { get; set; }

    /// <summary>The case the item belongs to; exactly one of this and <see cref="IncidentId"/> is set.</summary>
    public Guid? CaseId { get; set; }

    /// <summary>The incident the item belongs to, when it was acquired into an incident rather than a case.</summary>
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

    public required string FileName { get; set; }

    public string? Description { get; set; }

    public long Size { get; set; }

    public required string Md5 { get; set; }

    public required string Sha1 { get; set; }

    public required string Sha256 { get; set; }

    public Guid AcquiredBy { get; set; }

    public required string AcquiredByName { get; set; }

    /// <summary>When the evidence was acquired in the field; may precede <see cref="RecordedAt"/>.</summary>
    public DateTimeOffset AcquiredAt { get; set; }

    public string? AcquiredWhere { get; set; }

    public string? Method { get; set; }

    public string? Tool { get; set; }

    public string? ToolVersion { get; set; }

    public string? SourceDevice { get; set; }

    public string? SealNumber { get; set; }

    public string? Notes { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>The user who holds the item now (the acquirer, then each acknowledged receiver).</summary>
    public Guid HolderId { get; set; }

    /// <summary>The receiver of a transfer not yet acknowledged.</summary>
    public Guid? PendingTransferTo { get; set; }

    /// <summary>The seal on the item now; the custody log holds every seal it had.</summary>
    public string? CurrentSeal { get; set; }

    public EvidenceState State { get; set; }

    /// <summary>How many custody entries the item has; the next one is numbered one more. Guards concurrent appends.</summary>
    public int CustodyCount { get; set; }
}

public enum EvidenceState
{
    Held,
    InTransfer,
    Returned,
    Disposed,
}
