using System.Text.Json.Nodes;
using Ribat.Core.Data;
using Ribat.Core.Federation;
using Ribat.Core.Sharing;

namespace Ribat.Core.Cooperation;

/// <summary>
/// How a request to an organisation on a partner node travels (ADR 0013). On sending, the request with its whole form
/// becomes one custom STIX object, <c>x-ribat-cooperation-request</c>, owned by the requester with the addressee as its
/// one named recipient; it is never changed afterwards, as a sent request is never edited. Every later step of either
/// side (a move, an extension, an attachment with its bytes) is one <c>x-ribat-cooperation-event</c> with the event's
/// own id, owned by the organisation that acted and addressed to the other party. The receiving node answers the
/// request with a signed <c>x-ribat-cooperation-receipt</c>. Everything is written into <c>stix_objects</c> in the
/// caller's transaction, and the partner sync carries it, durably, to the node hosting the other party.
/// </summary>
internal static class CooperationExchange
{
    public const string RequestType = "x-ribat-cooperation-request";
    public const string EventType = "x-ribat-cooperation-event";
    public const string ReceiptType = "x-ribat-cooperation-receipt";

    public static string RequestId(Guid id) => $"{RequestType}--{id}";

    /// <summary>True when the other party of the request is hosted on another node, so its steps travel.</summary>
    public static bool Crosses(CooperationRequest row, Guid localNode) =>
        row.AddresseeKind == AddresseeKind.Authority
        && ((row.AddressedNode is { } addressed && addressed != localNode) || (row.OwnerNode is { } owner && owner != localNode));

    /// <summary>The party that is not <paramref name="acting"/>: the addressee for the requester, the requester for the addressee.</summary>
    public static OrganisationRef OtherParty(CooperationRequest row, Guid acting, Guid localNode) =>
        acting == row.OwnerOrganisationId
            ? new OrganisationRef(row.AddressedOrganisationId!.Value, row.AddressedNode ?? localNode)
            : new OrganisationRef(row.OwnerOrganisationId, row.OwnerNode ?? localNode);

    /// <summary>Writes the request as sent: its form, deadlines and the event that sent it.</summary>
    public static Task RequestAsync(RibatDbContext db, CooperationRequest row, RequestEvent sent, Guid localNode, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var fields = new JsonObject();
        foreach (var (name, value) in row.Fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            fields[name] = value;
        }

        var stix = new JsonObject
        {
            ["type"] = RequestType,
            ["spec_version"] = "2.1",
            ["id"] = RequestId(row.Id),
            ["created"] = DeliveryReceipts.Timestamp(row.CreatedAt),
            ["modified"] = StixMirror.NextModified(now, null),
            ["request_type"] = row.Type.Spell(),
            ["subject"] = row.Subject,
            ["addressed_organisation"] = row.AddressedOrganisationId!.Value.ToString(),
            ["addressee_name"] = row.AddresseeName,
            ["requested_country"] = row.RequestedCountry,
            ["offences"] = new JsonArray([.. row.Offences.Select(o => (JsonNode?)JsonValue.Create(o))]),
            ["fields"] = fields,
            ["sent_at"] = Instant(row.SentAt!.Value),
            ["acknowledge_by"] = Instant(row.AcknowledgeBy!.Value),
            ["answer_by"] = Instant(row.AnswerBy!.Value),
            ["sent_event"] = sent.Id.ToString(),
            ["sent_by"] = sent.ActorName,
        };
        if (row.LinkedRequestId is { } linked)
        {
            stix["linked_request"] = RequestId(linked);
        }

        if (row.PreservationDays is { } days)
        {
            stix["preservation_days"] = days;
        }

        var owner = new OrganisationRef(row.OwnerOrganisationId, localNode);
        return StixMirror.CustomAsync(db, stix, CooperationRules.Terms(owner, OtherParty(row, owner.Id, localNode)), sent.ActorUserId, localNode, clock, cancellationToken);
    }

    /// <summary>A file that travels with its event: its bytes, checked again on arrival against the size and SHA-256.</summary>
    public sealed record FileContent(RequestAttachment Attachment, byte[] Bytes);

    /// <summary>Writes one step of one side: a move, an extension or an attachment (with its bytes).</summary>
    public static Task EventAsync(RibatDbContext db, CooperationRequest row, RequestEvent step, FileContent? file, int? extensionDays, Guid localNode, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var stix = new JsonObject
        {
            ["type"] = EventType,
            ["spec_version"] = "2.1",
            ["id"] = $"{EventType}--{step.Id}",
            ["created"] = DeliveryReceipts.Timestamp(step.At),
            ["modified"] = StixMirror.NextModified(now, null),
            ["request_ref"] = RequestId(row.Id),
            ["event_kind"] = step.Kind.Spell(),
            ["occurred_at"] = Instant(step.At),
            ["actor_name"] = step.ActorName,
        };
        if (step.From is { } from)
        {
            stix["from_status"] = from.Spell();
        }

        if (step.To is { } to)
        {
            stix["to_status"] = to.Spell();
        }

        if (step.Note is { } note)
        {
            stix["note"] = note;
        }

        if (extensionDays is { } days)
        {
            stix["extension_days"] = days;
            stix["preserved_until"] = Instant(row.PreservedUntil!.Value);
        }

        if (file is not null)
        {
            stix["attachment"] = new JsonObject
            {
                ["id"] = file.Attachment.Id.ToString(),
                ["file_name"] = file.Attachment.FileName,
                ["size"] = file.Attachment.Size,
                ["sha256"] = file.Attachment.Sha256,
                ["content_base64"] = Convert.ToBase64String(file.Bytes),
            };
        }

        var acting = new OrganisationRef(step.OrganisationId, localNode);
        return StixMirror.CustomAsync(db, stix, CooperationRules.Terms(acting, OtherParty(row, acting.Id, localNode)), step.ActorUserId, localNode, clock, cancellationToken);
    }

    /// <summary>Writes the signed receipt of a request this node just stored, addressed back to the requester.</summary>
    public static Task ReceiptAsync(RibatDbContext db, CooperationRequest row, RequestReceipt receipt, TimeProvider clock, Guid localNode, CancellationToken cancellationToken)
    {
        var stix = new JsonObject
        {
            ["type"] = ReceiptType,
            ["spec_version"] = "2.1",
            ["id"] = $"{ReceiptType}--{receipt.Id}",
            ["created"] = DeliveryReceipts.Timestamp(receipt.StoredAt),
            ["modified"] = StixMirror.NextModified(clock.GetUtcNow(), null),
            ["request_ref"] = RequestId(row.Id),
            ["request_version"] = receipt.Version,
            ["request_sha256"] = receipt.Sha256,
            ["received_at"] = DeliveryReceipts.Timestamp(receipt.ReceivedAt),
            ["node"] = receipt.NodeId.ToString(),
            ["signature"] = receipt.Signature,
        };
        var addressee = new OrganisationRef(row.AddressedOrganisationId!.Value, localNode);
        return StixMirror.CustomAsync(db, stix, CooperationRules.Terms(addressee, OtherParty(row, addressee.Id, localNode)), null, localNode, clock, cancellationToken);
    }

    /// <summary>An instant as both nodes keep it: a STIX timestamp to the microsecond, which both databases hold exactly.</summary>
    public static string Instant(DateTimeOffset at) => Ribat.Stix.Model.StixTimestamp.FromDateTime(at.UtcDateTime, 6).ToString();
}
