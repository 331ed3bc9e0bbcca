using Ribat.Core.Sharing;

namespace Ribat.Core.Federation.Partners;

/// <summary>
/// A partner node this node federates with: where to reach it, how to prove ourselves to it, the key its
/// payloads must be signed with, what may flow to it, and the credential it presents when it calls us.
/// Node-wide configuration: only node-wide contexts (node administrators, the sync worker) see these rows.
/// </summary>
public sealed class Partner
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    /// <summary>The partner's node id: the node part of the organisation references its objects carry.</summary>
    public Guid NodeId { get; set; }

    /// <summary>The partner's TAXII 2.1 API root, always ending in a slash.</summary>
    public required string ApiRoot { get; set; }

    /// <summary>With a user name we call with HTTP Basic (user, credential); without one, with a Bearer token.</summary>
    public string? OutboundUser { get; set; }

    /// <summary>The credential we present, encrypted with ASP.NET Core Data Protection; never returned, never logged.</summary>
    public required string OutboundCredential { get; set; }

    public required string PublicKeyPem { get; set; }

    /// <summary>SHA-256 of the partner's SubjectPublicKeyInfo in hex: the key id its signatures must name.</summary>
    public required string PublicKeyFingerprint { get; set; }

    /// <summary>Distributions whose objects may go to this partner: <c>connected-communities</c>, <c>sharing-group</c>.</summary>
    public List<string> AllowedDistributions { get; set; } = [];

    /// <summary>With <c>sharing-group</c> allowed, the groups whose objects may go; the policy still asks whether the partner hosts a member.</summary>
    public List<Guid> AllowedSharingGroups { get; set; } = [];

    /// <summary>The most restrictive TLP that may leave for this partner at all.</summary>
    public Tlp TlpCeiling { get; set; }

    public bool Enabled { get; set; }

    /// <summary>The first characters of the inbound secret, so an administrator can tell which one a partner holds.</summary>
    public required string InboundPrefix { get; set; }

    /// <summary>SHA-256 of the inbound secret the partner presents to us; the secret itself is shown once.</summary>
    public required string InboundSecretHash { get; set; }

    public Guid? CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? DisabledAt { get; set; }

    public DateTimeOffset? LastInboundAt { get; set; }
}

public sealed record SharingGroupName(Guid Id, string Name);

/// <summary>A partner on the wire: never the credential, never the inbound secret or its hash.</summary>
public sealed record PartnerDto(
    Guid Id,
    string Name,
    Guid NodeId,
    string ApiRoot,
    string Authentication,
    string? UserName,
    string PublicKeyPem,
    string PublicKeyFingerprint,
    IReadOnlyList<string> AllowedDistributions,
    IReadOnlyList<SharingGroupName> AllowedSharingGroups,
    string TlpCeiling,
    bool Enabled,
    string InboundPrefix,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DisabledAt,
    DateTimeOffset? LastInboundAt)
{
    internal static PartnerDto From(Partner p, IReadOnlyDictionary<Guid, string> groupNames) => new(
        p.Id,
        p.Name,
        p.NodeId,
        p.ApiRoot,
        p.OutboundUser is null ? "bearer" : "basic",
        p.OutboundUser,
        p.PublicKeyPem,
        p.PublicKeyFingerprint,
        p.AllowedDistributions,
        p.AllowedSharingGroups.Select(g => new SharingGroupName(g, groupNames.GetValueOrDefault(g, g.ToString()))).ToList(),
        p.TlpCeiling.Spell(),
        p.Enabled,
        p.InboundPrefix,
        p.CreatedAt,
        p.UpdatedAt,
        p.DisabledAt,
        p.LastInboundAt);
}

/// <summary>
/// What an administrator records or changes. On change, absent (null) fields stay as they are; an empty
/// <see cref="UserName"/> switches to Bearer. <see cref="Credential"/> is write-only.
/// </summary>
public sealed record PartnerInput(
    string? Name = null,
    Guid? NodeId = null,
    string? ApiRoot = null,
    string? UserName = null,
    string? Credential = null,
    string? PublicKey = null,
    IReadOnlyList<string>? Distributions = null,
    IReadOnlyList<Guid>? SharingGroups = null,
    string? TlpCeiling = null);

/// <summary>A partner just recorded, or given a new inbound secret: the secret is in this answer only.</summary>
public sealed record PartnerWithSecret(PartnerDto Partner, string InboundSecret);

/// <summary>This node as partners must record it: its id, its public key and the key's fingerprint.</summary>
public sealed record NodeIdentityDto(Guid NodeId, string PublicKeyPem, string PublicKeyFingerprint);
