namespace Ribat.Core.Sharing.Storage;

/// <summary>
/// The sharing terms of a stored object, as columns. Every shared entity (indicator, report, sighting, and
/// the objects of later modules) implements this so that one predicate (<see cref="SharingVisibility"/>)
/// filters them all in SQL, and <see cref="SharedColumns.ToTerms"/> rebuilds the terms for
/// <see cref="SharingPolicy.Decide"/>.
/// </summary>
public interface ISharedObject
{
    Guid Id { get; }

    Guid OwnerOrganisationId { get; set; }

    /// <summary>The node hosting the owner; <c>null</c> means this node. Set for objects received from partners.</summary>
    Guid? OwnerNode { get; set; }

    Tlp Tlp { get; set; }

    Pap Pap { get; set; }

    DistributionKind Distribution { get; set; }

    Guid? SharingGroupId { get; set; }

    HandlingCodes Handling { get; set; }

    string? HandlingConditions { get; set; }

    /// <summary>The 4x4 evaluation as spelled ("B2"), or null.</summary>
    string? Evaluation { get; set; }
}

/// <summary>The kinds of grant an owner records for one organisation on one object.</summary>
public enum ShareGrantKind
{
    /// <summary>A named recipient: sees the object whatever its TLP or distribution.</summary>
    Recipient = 0,

    /// <summary>May use the object in judicial proceedings (lifts H1).</summary>
    CourtUse = 1,

    /// <summary>May pass the object on (lifts H2 and H3).</summary>
    OnwardSharing = 2,
}

/// <summary>One grant on one shared object; the object's id is unique across every shared table.</summary>
public sealed class ShareGrant
{
    public Guid ObjectId { get; set; }

    public ShareGrantKind Kind { get; set; }

    public Guid OrganisationId { get; set; }

    /// <summary>The node hosting the organisation; <c>null</c> means this node.</summary>
    public Guid? OrganisationNode { get; set; }

    public DateTimeOffset GrantedAt { get; set; }
}
