using Ribat.Core.Common;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;

namespace Ribat.Core.Cooperation;

/// <summary>
/// A formal request from one organisation (the owner, the requesting party) to another authority, a service
/// provider or a registrar. Its id, and the id of each of its events, are stable so that both parties keep their own
/// copy of the same request. It is a shared object: the owner sees it, and the addressed organisation becomes its one
/// named recipient when it is sent, so a draft stays the sender's alone.
/// </summary>
public sealed class CooperationRequest : ISharedObject
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

    public RequestType Type { get; set; }

    public RequestStatus Status { get; set; }

    public required string Subject { get; set; }

    public AddresseeKind AddresseeKind { get; set; }

    /// <summary>The addressed authority on this node (or, with federation, on a partner node).</summary>
    public Guid? AddressedOrganisationId { get; set; }

    public Guid? AddressedNode { get; set; }

    /// <summary>The addressed service provider or registrar from the knowledge base, when there is one.</summary>
    public Guid? ServiceProviderId { get; set; }

    /// <summary>The addressee as the sender names it: a provider or registrar outside Ribat, or the authority's name.</summary>
    public string? AddresseeName { get; set; }

    /// <summary>ISO 3166-1 alpha-2 of the requested country (the addressee's).</summary>
    public required string RequestedCountry { get; set; }

    /// <summary>Budapest Convention offence categories by their stable spelling.</summary>
    public List<string> Offences { get; set; } = [];

    /// <summary>The type's form fields by name (<see cref="RequestForms"/>); free text, each limited in length.</summary>
    public Dictionary<string, string> Fields { get; set; } = [];

    /// <summary>The request this one follows: the preservation a disclosure or mutual-assistance request builds on.</summary>
    public Guid? LinkedRequestId { get; set; }

    /// <summary>Days of preservation asked for (at least 60, Art. 29(7)).</summary>
    public int? PreservationDays { get; set; }

    public Guid CreatedBy { get; set; }

    /// <summary>The user of the addressed organisation answering for it, set when it acknowledges.</summary>
    public Guid? AssignedTo { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>
    /// For a request to an organisation on a partner node: when that node stored it, as its signed delivery receipt
    /// says (the sender's copy), or when it arrived (the addressee's copy). Null while it is queued for the partner.
    /// </summary>
    public DateTimeOffset? DeliveredAt { get; set; }

    public DateTimeOffset? AcknowledgedAt { get; set; }

    /// <summary>The first answer: answered, partially answered or refused.</summary>
    public DateTimeOffset? AnsweredAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public DateTimeOffset? AcknowledgeBy { get; set; }

    public DateTimeOffset? AnswerBy { get; set; }

    /// <summary>Until when the data stays preserved: from acknowledgement, moved on by each extension.</summary>
    public DateTimeOffset? PreservedUntil { get; set; }

    public int Extensions { get; set; }

    public List<RequestEvent> Events { get; set; } = [];
}

/// <summary>One step in a request's history: a status change, an extension, an attachment. Append-only.</summary>
public sealed class RequestEvent
{
    public Guid Id { get; set; }

    public Guid RequestId { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The organisation that acted (the requesting or the addressed one).</summary>
    public Guid OrganisationId { get; set; }

    public Guid? ActorUserId { get; set; }

    public required string ActorName { get; set; }

    public RequestEventKind Kind { get; set; }

    public RequestStatus? From { get; set; }

    public RequestStatus? To { get; set; }

    public string? Note { get; set; }
}

public enum RequestEventKind
{
    Drafted,
    Moved,
    PreservationExtended,
    AttachmentAdded,
}

public static class RequestEventKinds
{
    public static string Spell(this RequestEventKind kind) => kind switch
    {
        RequestEventKind.PreservationExtended => "preservation-extended",
        RequestEventKind.AttachmentAdded => "attachment-added",
        _ => kind.ToString().ToLowerInvariant(),
    };
}

/// <summary>A file sent with a request or its answer, kept in the content store by its SHA-256.</summary>
public sealed class RequestAttachment
{
    public Guid Id { get; set; }

    public Guid RequestId { get; set; }

    public Guid OrganisationId { get; set; }

    public required string FileName { get; set; }

    public long Size { get; set; }

    public required string Sha256 { get; set; }

    public Guid? AddedBy { get; set; }

    public DateTimeOffset AddedAt { get; set; }
}

/// <summary>
/// The addressee node's signed statement that it stored one version of a request sent to it from another node: the
/// request's id, the version, the SHA-256 of that version's canonical JSON and when it arrived. The signature is the
/// receiving node's key over the canonical JSON of those fields (<see cref="DeliveryReceipts"/>), kept as received so
/// it can be checked again against the partner's pinned key at any time.
/// </summary>
public sealed class RequestReceipt
{
    public Guid Id { get; set; }

    public Guid RequestId { get; set; }

    /// <summary>The node that received the request and signed the receipt.</summary>
    public Guid NodeId { get; set; }

    /// <summary>The request version received: its STIX <c>modified</c>.</summary>
    public required string Version { get; set; }

    public required string Sha256 { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The detached JWS (ES256) over the receipt's canonical JSON.</summary>
    public required string Signature { get; set; }

    /// <summary>When this node stored the receipt (the signer's own copy: when it wrote it).</summary>
    public DateTimeOffset StoredAt { get; set; }
}

public enum AddresseeKind
{
    Authority,
    ServiceProvider,
    Registrar,
}

public static class AddresseeKinds
{
    public static string Spell(this AddresseeKind kind) => kind switch
    {
        AddresseeKind.ServiceProvider => "service-provider",
        AddresseeKind.Registrar => "registrar",
        _ => "authority",
    };

    public static bool TryParse(string? text, out AddresseeKind kind) => Spellings.TryParse(text, Spell, out kind);
}
