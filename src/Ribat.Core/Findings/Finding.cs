using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;

namespace Ribat.Core.Findings;

public enum FindingKind
{
    Email = 0,
    File = 1,

    /// <summary>What a hunt found in a log event: a Sigma rule, an indicator, a correlation or an access rule.</summary>
    Detection = 2,

    /// <summary>The traffic summary of packet captures.</summary>
    Traffic = 3,
}

/// <summary>
/// What the analysis of one evidence item found: for an e-mail file, one finding per message; for any other file,
/// one. It keeps the whole report as JSON, the intelligence report its indicators went into, and the evidence items
/// its attachments became. It has the audience of the item it was made from.
/// </summary>
public sealed class Finding : ISharedObject
{
    public Guid Id { get; set; }

    /// <summary>The case of the item analysed; exactly one of this and <see cref="IncidentId"/> is set.</summary>
    public Guid? CaseId { get; set; }

    /// <summary>The incident of the item analysed, when the item belongs to an incident.</summary>
    public Guid? IncidentId { get; set; }

    /// <summary>The evidence item analysed.</summary>
    public Guid EvidenceId { get; set; }

    public Guid OwnerOrganisationId { get; set; }

    public Guid? OwnerNode { get; set; }

    public Tlp Tlp { get; set; }

    public Pap Pap { get; set; }

    public DistributionKind Distribution { get; set; }

    public Guid? SharingGroupId { get; set; }

    public HandlingCodes Handling { get; set; }

    public string? HandlingConditions { get; set; }

    public string? Evaluation { get; set; }

    public FindingKind Kind { get; set; }

    /// <summary>1-based position of the message in its file, or of the detection in its job; 1 for a file.</summary>
    public int Position { get; set; }

    /// <summary>The message's subject, the file's type, the rule or indicator that fired, or a capture's vectors.</summary>
    public required string Title { get; set; }

    /// <summary>
    /// <c>clean</c>, <c>suspicious</c> or <c>malicious</c> for a message or a capture; a detection's level; null for a
    /// file, which gets no verdict.
    /// </summary>
    public string? Verdict { get; set; }

    /// <summary>The analysis as <c>ribat analyze</c> writes it in JSON.</summary>
    public required string ReportJson { get; set; }

    /// <summary>
    /// What the node's YARA rules matched in the file, or in each of the message's attachments, as JSON; null when the
    /// node has no rules.
    /// </summary>
    public string? YaraJson { get; set; }

    /// <summary>The intelligence report holding the indicators found, when any were.</summary>
    public Guid? IndicatorReportId { get; set; }

    public int IndicatorCount { get; set; }

    /// <summary>The evidence items the message's attachments were acquired as.</summary>
    public List<Guid> AttachmentEvidenceIds { get; set; } = [];

    /// <summary>When what was found happened (a detection's event, a capture's first packet), for the case timeline.</summary>
    public DateTimeOffset? EventAt { get; set; }

    /// <summary>The analysis job that made the finding; null for one made at once.</summary>
    public Guid? JobId { get; set; }

    /// <summary>A traffic finding's chart (PNG): packets and bits per second over the capture.</summary>
    public byte[]? ChartPng { get; set; }

    public Guid CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
