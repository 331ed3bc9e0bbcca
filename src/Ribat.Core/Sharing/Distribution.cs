namespace Ribat.Core.Sharing;

public enum DistributionKind
{
    /// <summary>The owning organisation (and its named recipients) only.</summary>
    OrganisationOnly,

    /// <summary>Every organisation on the owner's node.</summary>
    Community,

    /// <summary>The owner's node and the nodes it federates with directly: one hop, never onward.</summary>
    ConnectedCommunities,

    /// <summary>The members of one sharing group, wherever they are hosted.</summary>
    SharingGroup,
}

/// <summary>
/// Who, beyond the owner and its named recipients, an object is meant for. The first three kinds widen in
/// that order; a sharing group stands apart and reaches its members only.
/// </summary>
public readonly record struct Distribution
{
    private Distribution(DistributionKind kind, Guid? sharingGroupId)
    {
        Kind = kind;
        SharingGroupId = sharingGroupId;
    }

    public DistributionKind Kind { get; }

    /// <summary>Set exactly when <see cref="Kind"/> is <see cref="DistributionKind.SharingGroup"/>.</summary>
    public Guid? SharingGroupId { get; }

    public static Distribution OrganisationOnly { get; } = new(DistributionKind.OrganisationOnly, null);

    public static Distribution Community { get; } = new(DistributionKind.Community, null);

    public static Distribution ConnectedCommunities { get; } = new(DistributionKind.ConnectedCommunities, null);

    public static Distribution ToSharingGroup(Guid sharingGroupId) => new(DistributionKind.SharingGroup, sharingGroupId);

    public string Spell() => Kind switch
    {
        DistributionKind.OrganisationOnly => "organisation-only",
        DistributionKind.Community => "community",
        DistributionKind.ConnectedCommunities => "connected-communities",
        _ => $"sharing-group:{SharingGroupId}",
    };

    public override string ToString() => Spell();
}
