using Ribat.Core.Tenancy;

namespace Ribat.Core.Cooperation;

/// <summary>
/// A request as the sender spells it. <c>Fields</c> holds the type's form (<see cref="RequestForms"/>); everything is
/// text so that a bad value is a message naming the field, not a binding failure.
/// </summary>
public sealed record RequestInput(
    string? Type,
    string? Subject,
    string? AddresseeKind = null,
    Guid? AddressedOrganisationId = null,
    Guid? ServiceProviderId = null,
    string? AddresseeName = null,
    string? RequestedCountry = null,
    IReadOnlyList<string>? Offences = null,
    IReadOnlyDictionary<string, string?>? Fields = null,
    Guid? LinkedRequestId = null,
    int? PreservationDays = null);

public sealed record RequestMoveInput(string? To, string? Reason = null);

public sealed record ExtensionInput(int? Days, string? Note = null);

public sealed record PartyDto(Guid? Id, string? Name, string? Country);

public sealed record ClockDto(string Kind, DateTimeOffset DueAt, string State, string Responsible, DateTimeOffset? DoneAt);

public sealed record RequestEventDto(Guid Id, DateTimeOffset At, Guid OrganisationId, string ActorName, string Kind, string? From, string? To, string? Note);

public sealed record AttachmentDto(Guid Id, string FileName, long Size, string Sha256, Guid OrganisationId, DateTimeOffset AddedAt);

/// <summary>The requested country's national provisions for one offence of the request; none means the mapping is missing.</summary>
public sealed record DualCriminalityHint(string Offence, int Article, string Country, IReadOnlyList<ProvisionDto> Provisions);

/// <summary>
/// A request as one side sees it. <c>Side</c> says which party the caller is; <c>AllowedTransitions</c> are the moves
/// the caller may make now. History, attachments and hints are filled for one request, empty in lists.
/// </summary>
public sealed record RequestDto(
    Guid Id,
    string Type,
    string Status,
    string Subject,
    string Side,
    PartyDto Requester,
    string AddresseeKind,
    PartyDto Addressee,
    Guid? ServiceProviderId,
    string RequestedCountry,
    IReadOnlyList<string> Offences,
    IReadOnlyDictionary<string, string> Fields,
    Guid? LinkedRequestId,
    int? PreservationDays,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? SentAt,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset? PreservedUntil,
    int Extensions,
    IReadOnlyList<ClockDto> Clocks,
    IReadOnlyList<string> AllowedTransitions,
    bool MayEdit,
    bool MayExtend,
    bool MayAttach,
    IReadOnlyList<RequestEventDto> History,
    IReadOnlyList<AttachmentDto> Attachments,
    IReadOnlyList<DualCriminalityHint> DualCriminality,
    DeliveryDto? Delivery = null);

/// <summary>
/// Where a request to or from an organisation on a partner node stands between the nodes. <c>State</c> is
/// <c>queued</c> until the addressee's node has it, then <c>delivered</c> (the sender's copy) or <c>received</c> (the
/// addressee's). The receipts are the addressee node's signed statements, checked again against its pinned key on
/// every read.
/// </summary>
public sealed record DeliveryDto(string State, Guid Node, DateTimeOffset? DeliveredAt, IReadOnlyList<ReceiptDto> Receipts);

/// <summary>One delivery receipt: the version received, its SHA-256, when, by which node, and whether its signature holds.</summary>
public sealed record ReceiptDto(string Version, string Sha256, DateTimeOffset ReceivedAt, Guid Node, string Signature, bool SignatureValid, string SignatureStatus, string? KeyId);

/// <summary>Who sends and answers requests: liaison officers, investigators, prosecutors and organisation administrators.</summary>
public static class CooperationRoles
{
    public static bool MayWrite(Actor actor) =>
        actor.Roles.Contains(Roles.OrgAdmin) || actor.Roles.Contains(Roles.Liaison) || actor.Roles.Contains(Roles.Investigator) || actor.Roles.Contains(Roles.Prosecutor);
}
