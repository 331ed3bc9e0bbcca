using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;

namespace Ribat.Core.Playbooks;

/// <summary>
/// A response playbook written by one organisation: ordered steps, each with the role that does it. It is a
/// shared object, so partners see it under its sharing terms like intelligence.
/// </summary>
public sealed class Playbook : ISharedObject
{
    public Guid Id { get; set; }

    public required string StixId { get; set; }

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

    /// <summary>The incident category it is written for (ENISA taxonomy), if any.</summary>
    public string? Category { get; set; }

    public List<PlaybookStep> Steps { get; set; } = [];

    public Guid? CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One step of a playbook, in order, with the role that does it and how long after applying it is due.</summary>
public sealed class PlaybookStep
{
    public Guid PlaybookId { get; set; }

    public int Order { get; set; }

    public required string Title { get; set; }

    public string? Description { get; set; }

    /// <summary>A Ribat role (analyst, investigator, liaison, …) or <c>lead</c> for the incident's lead organisation.</summary>
    public required string Role { get; set; }

    public TimeSpan? DueAfter { get; set; }
}
