namespace Ribat.Core.Sharing.Storage;

/// <summary>A sharing group as stored: owned by one organisation, with members on this node or on partners.</summary>
public sealed class SharingGroupRecord
{
    public Guid Id { get; set; }

    public Guid OwnerOrganisationId { get; set; }

    /// <summary><c>null</c> for a group created on this node.</summary>
    public Guid? OwnerNode { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    /// <summary>Members do not learn of each other; only the owner sees the whole list.</summary>
    public bool Confidential { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<SharingGroupMembership> Members { get; set; } = [];

    public SharingGroup ToPolicyGroup(Guid localNode) => new(
        Id,
        Name,
        new OrganisationRef(OwnerOrganisationId, OwnerNode ?? localNode),
        Members.Select(m => new OrganisationRef(m.OrganisationId, m.OrganisationNode ?? localNode)).ToHashSet(),
        Confidential);
}

public sealed class SharingGroupMembership
{
    public Guid SharingGroupId { get; set; }

    public Guid OrganisationId { get; set; }

    /// <summary><c>null</c> for an organisation on this node.</summary>
    public Guid? OrganisationNode { get; set; }

    public DateTimeOffset AddedAt { get; set; }
}
