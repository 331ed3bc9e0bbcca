namespace Ribat.Core.Cooperation;

/// <summary>
/// A reminder or an escalation produced by the clock sweep, in the inbox of one organisation: a reminder to the
/// person responsible before a deadline, an escalation to the organisation's 24/7 contact once it is missed.
/// One per (request, clock, level, deadline): an extension moves the deadline and so re-arms both.
/// </summary>
public sealed class CooperationReminder
{
    public Guid Id { get; set; }

    public Guid RequestId { get; set; }

    public Guid OrganisationId { get; set; }

    /// <summary>The responsible person; null when the organisation has not named one yet.</summary>
    public Guid? UserId { get; set; }

    /// <summary>The 24/7 contact an escalation went to; null when the organisation lists none.</summary>
    public Guid? ContactPointId { get; set; }

    public ClockKind Clock { get; set; }

    public ReminderLevel Level { get; set; }

    public DateTimeOffset DueAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public enum ReminderLevel
{
    Reminder,
    Escalation,
}

/// <summary>One point of contact of an organisation in the 24/7 network (Budapest Convention Art. 35).</summary>
public sealed class ContactPoint
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    public required string Name { get; set; }

    public string? Role { get; set; }

    public string? Email { get; set; }

    public string? Phone { get; set; }

    /// <summary>Languages spoken, as BCP 47 primary tags (en, ar, fr).</summary>
    public List<string> Languages { get; set; } = [];

    /// <summary>An IANA time zone (Europe/Paris).</summary>
    public required string TimeZone { get; set; }

    /// <summary>A PGP or X.509 public key in text form, for encrypted mail outside Ribat.</summary>
    public string? PublicKey { get; set; }

    /// <summary>Reachable around the clock: escalations go to this contact.</summary>
    public bool Always { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// A 24/7 contact of an organisation hosted on a partner node, as that node described it (<see cref="PartnerDirectory"/>):
/// shown read-only with its node; only the partner changes or removes it, and only for its own organisations.
/// </summary>
public sealed class PartnerContactPoint
{
    public Guid Id { get; set; }

    public Guid NodeId { get; set; }

    public Guid PartnerId { get; set; }

    public Guid OrganisationId { get; set; }

    public required string Name { get; set; }

    public string? Role { get; set; }

    public string? Email { get; set; }

    public string? Phone { get; set; }

    public List<string> Languages { get; set; } = [];

    public required string TimeZone { get; set; }

    public string? PublicKey { get; set; }

    public bool Always { get; set; }

    /// <summary>The version held: its STIX <c>modified</c>; an older or equal one is ignored.</summary>
    public DateTimeOffset Modified { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
}

/// <summary>
/// A provider knowledge-base entry a partner node keeps, as it described it (<see cref="PartnerProviders"/>): listed
/// read-only with its node, replaced or removed only by a newer version from that node.
/// </summary>
public sealed class PartnerProvider
{
    public Guid Id { get; set; }

    public Guid NodeId { get; set; }

    public Guid PartnerId { get; set; }

    /// <summary>The organisation on the partner node that owns this version (its node operators').</summary>
    public Guid OrganisationId { get; set; }

    public required string Name { get; set; }

    public required string Country { get; set; }

    public AddresseeKind Kind { get; set; } = AddresseeKind.ServiceProvider;

    public string? LegalBasis { get; set; }

    public string? DataTypes { get; set; }

    public string? Retention { get; set; }

    public string? EmergencyContact { get; set; }

    public string? RequestChannel { get; set; }

    public string? Notes { get; set; }

    public DateTimeOffset Modified { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
}

/// <summary>A national provision mapped to one Convention offence category, for one country. Maintained by users.</summary>
public sealed class NationalProvision
{
    public Guid Id { get; set; }

    /// <summary>ISO 3166-1 alpha-2.</summary>
    public required string Country { get; set; }

    public required string Offence { get; set; }

    /// <summary>The provision as cited (e.g. the article and the code it belongs to).</summary>
    public required string Reference { get; set; }

    public string? Title { get; set; }

    public string? Notes { get; set; }

    public Guid UpdatedByOrganisationId { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>How to request data from one service provider or registrar: the knowledge users share about it.</summary>
public sealed class ProviderProfile
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    /// <summary>ISO 3166-1 alpha-2 of its seat.</summary>
    public required string Country { get; set; }

    public AddresseeKind Kind { get; set; } = AddresseeKind.ServiceProvider;

    public string? LegalBasis { get; set; }

    public string? DataTypes { get; set; }

    public string? Retention { get; set; }

    public string? EmergencyContact { get; set; }

    /// <summary>Where requests go: a portal, an address.</summary>
    public string? RequestChannel { get; set; }

    public string? Notes { get; set; }

    public Guid UpdatedByOrganisationId { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
