namespace Ribat.Core.Cases.Subjects;

/// <summary>
/// A person, organisation or thing an investigation is about. Identifier kinds (accounts, phones, e-mail addresses,
/// IPs, domains, wallets, bank accounts) hold one value in the intelligence store's canonical form, so the same
/// value is one subject per case and correlates with indicators; persons and organisations hold names and facts.
/// A subject has exactly the audience of its case: it is visible when the case is.
/// </summary>
public sealed class CaseSubject
{
    public Guid Id { get; set; }

    public Guid CaseId { get; set; }

    public Guid OwnerOrganisationId { get; set; }

    public SubjectKind Kind { get; set; }

    /// <summary>The name of a person, organisation or device; an optional label of an identifier.</summary>
    public string? Name { get; set; }

    /// <summary>The indicator type of an identifier's value (e.g. <c>btc-address</c>); null for persons, organisations, devices.</summary>
    public string? ValueType { get; set; }

    /// <summary>The identifier's canonical value, as the intelligence store keeps it.</summary>
    public string? Value { get; set; }

    /// <summary>The value as shown (e.g. an EIP-55 address); equal to <see cref="Value"/> for most types.</summary>
    public string? Display { get; set; }

    /// <summary>The value's correlation key: one subject per value and case, and the probe into the intelligence store.</summary>
    public long? ValueKey { get; set; }

    public List<string> Aliases { get; set; } = [];

    public DateOnly? DateOfBirth { get; set; }

    public DateOnly? IncorporatedOn { get; set; }

    /// <summary>ISO 3166 codes: a person's nationalities, an organisation's country of registration.</summary>
    public List<string> Nationalities { get; set; } = [];

    /// <summary>Free attributes (IMEI, serial number, address, role …) as a JSON object of strings.</summary>
    public string AttributesJson { get; set; } = "{}";

    public string? Notes { get; set; }

    public SourceKind SourceKind { get; set; }

    public Guid? SourceId { get; set; }

    public string? SourceText { get; set; }

    public Guid CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A typed, sourced link between two subjects of one case, optionally over a span of time.</summary>
public sealed class CaseRelationship
{
    public Guid Id { get; set; }

    public Guid CaseId { get; set; }

    public Guid OwnerOrganisationId { get; set; }

    public Guid FromId { get; set; }

    public Guid ToId { get; set; }

    /// <summary>One of <see cref="RelationshipKinds.All"/>, by its stable spelling.</summary>
    public required string Kind { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public string? Notes { get; set; }

    public SourceKind SourceKind { get; set; }

    public Guid? SourceId { get; set; }

    public string? SourceText { get; set; }

    public Guid CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The version an edit names (<see cref="RelationshipEdit.BaseUpdatedAt"/>); the creation time until the first edit.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Where a subject or a relationship is known from.</summary>
public enum SourceKind
{
    Text = 0,
    Evidence = 1,
    Finding = 2,
    Report = 3,
}
