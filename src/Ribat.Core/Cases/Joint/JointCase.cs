using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;

namespace Ribat.Core.Cases.Joint;

/// <summary>
/// A case led on a partner node that an organisation of this node is a joint investigation partner of, as its lead
/// last sent it (<c>x-ribat-case</c>): the header, the members and the list of evidence items, never their bytes.
/// Owned by the lead organisation on its node; its named recipients (the partners here) see it through the sharing
/// policy. Only the lead's node changes it.
/// </summary>
public sealed class JointCase : ISharedObject
{
    /// <summary>The case's id on the lead's node.</summary>
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

    public Guid PartnerId { get; set; }

    public required string Title { get; set; }

    public List<string> Offences { get; set; } = [];

    public List<string> NationalCategories { get; set; } = [];

    /// <summary>The case's status as the lead spells it (open, active, suspended, closed).</summary>
    public required string Status { get; set; }

    public string? LeadInvestigator { get; set; }

    /// <summary>The members (lead organisation and partners) as sent: JSON array of {organisation, node, name}.</summary>
    public string MembersJson { get; set; } = "[]";

    /// <summary>The case's evidence items as sent: JSON array of {id, name, size, md5, sha1, sha256, acquired, custody}.</summary>
    public string EvidenceJson { get; set; } = "[]";

    /// <summary>The STIX <c>modified</c> of the version held; an older or equal one is ignored.</summary>
    public required string Modified { get; set; }

    public DateTimeOffset ModifiedAt { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>When the lead removed this node's organisations from the team; what was received stays, nothing more comes.</summary>
    public DateTimeOffset? WithdrawnAt { get; set; }
}

/// <summary>
/// One entry of a joint investigation — a timeline event, a note or a task — written by one member organisation for
/// the whole team (<c>x-ribat-case-entry</c>). On the lead's node it hangs on the case, on a partner's node on the
/// <see cref="JointCase"/>. Owned by the organisation that wrote it; only that organisation changes it, and the
/// other members are its named recipients.
/// </summary>
public sealed class JointEntry : ISharedObject
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

    /// <summary>The case's id on the lead's node.</summary>
    public Guid CaseId { get; set; }

    /// <summary>The partner it came from; null when written on this node.</summary>
    public Guid? PartnerId { get; set; }

    public JointEntryKind Kind { get; set; }

    /// <summary>When the event happened (timeline) or the task is due; null for a note.</summary>
    public DateTimeOffset? OccurredAt { get; set; }

    public required string Text { get; set; }

    public string? AuthorName { get; set; }

    public required string Modified { get; set; }

    public DateTimeOffset ModifiedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public enum JointEntryKind
{
    Timeline = 0,
    Note = 1,
    Task = 2,
}
