using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;

namespace Ribat.Core.Findings;

public enum FindingKind
{
    Email = 0,
    File = 1,
}

/// <summary>
/// What the analysis of one evidence item found: for an e-mail file, one finding per message; for any other file,
/// one. It keeps the whole report as JSON, the intelligence report its indicators went into, and the evidence items
/// its attachments became. It has the audience of the item it was made from.
/// </summary>
public sealed class Finding : ISharedObject
{
    public Guid Id { get; set; }

    public Guid CaseId { get; set; }

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

    /// <summary>1-based position of the message in its file; 1 for a file.</summary>
    public int Position { get; set; }

    /// <summary>The message's subject, or the file's type.</summary>
    public required string Title { get; set; }

    /// <summary><c>clean</c>, <c>suspicious</c> or <c>malicious</c> for a message; null for a file, which gets no verdict.</summary>
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

    public Guid CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
