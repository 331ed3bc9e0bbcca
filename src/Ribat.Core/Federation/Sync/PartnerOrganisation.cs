namespace Ribat.Core.Federation.Sync;

/// <summary>
/// An organisation hosted on a partner node, as that node described it: its id there, its name, country and kind. It is
/// what a user here picks to make the organisation a sharing-group member, and the name shown wherever its id appears.
/// Only the partner hosting it changes it (<see cref="OrganisationExchange"/>).
/// </summary>
public sealed class PartnerOrganisation
{
    /// <summary>The organisation's id on its node.</summary>
    public Guid Id { get; set; }

    /// <summary>The node hosting it: the partner's node id.</summary>
    public Guid NodeId { get; set; }

    /// <summary>The partner record it came through.</summary>
    public Guid PartnerId { get; set; }

    public required string Name { get; set; }

    /// <summary>ISO 3166 alpha-2, upper case.</summary>
    public required string Country { get; set; }

    /// <summary>The kind as its node spells it (cert, police …); null when it sent one this node does not know.</summary>
    public string? Kind { get; set; }

    /// <summary>When its node last described it differently; the newest description is kept.</summary>
    public DateTimeOffset Modified { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
}
