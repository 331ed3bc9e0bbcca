using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ribat.Core.Audit;
using Ribat.Core.Cases;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Evidence;
using Ribat.Core.Federation;
using Ribat.Core.Federation.Sync;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;
using Ribat.Stix.Identifiers;
using Ribat.Stix.Model;

namespace Ribat.Core.Cooperation;

/// <summary>
/// Receives what a partner node sends of a request between its organisation and one of this node's (see
/// <see cref="CooperationExchange"/>), in the ingress transaction. Nothing a partner says is taken on trust: the
/// request must be addressed to an organisation of this node; a step must come from the party it belongs to (the
/// status machine decides, as for a step taken here); a file must match its size and SHA-256; a receipt must be signed
/// by the partner's pinned key over the version this node sent. Anything else is refused with the reason, and then
/// nothing of it is written.
/// </summary>
internal sealed class PartnerRequests(AuditTrail audit, ContentStore store, INodeSignature signature, IOptions<CooperationOptions> options) : IPartnerObjects
{
    public const int MaxActorName = 256;
    public const int MaxNote = 4000;

    public IReadOnlyCollection<string> StixTypes { get; } = [CooperationExchange.RequestType, CooperationExchange.EventType, CooperationExchange.ReceiptType];

    public Task<string?> ReceiveAsync(RibatDbContext db, PartnerObject received, CancellationToken cancellationToken) =>
        StixIntake.Text(received.Stix, "type") switch
        {
            CooperationExchange.RequestType => RequestAsync(db, received, cancellationToken),
            CooperationExchange.EventType => EventAsync(db, received, cancellationToken),
            CooperationExchange.ReceiptType => ReceiptAsync(db, received, cancellationToken),
            var other => Task.FromResult<string?>($"type {other} is not kept by cooperation"),
        };

    private static Actor Sender(PartnerObject received) => new(null, $"partner node {received.Partner.Name}", null, new HashSet<string>());

    /// <summary>A request sent to one of this node's organisations: stored as sent, with the same clocks, and answered with a signed receipt.</summary>
    private async Task<string?> RequestAsync(RibatDbContext db, PartnerObject received, CancellationToken cancellationToken)
    {
        var stix = received.Stix;
        if (!StixIdentifier.TrySplit(StixIntake.Text(stix, "id"), out _, out var id))
        {
            return $"id must be {CooperationExchange.RequestType}--<uuid>";
        }

        var owner = received.Terms.Owner;
        if (!Guid.TryParse(StixIntake.Text(stix, "addressed_organisation"), out var addressed))
        {
            return "addressed_organisation must be the id of the addressed organisation";
        }

        var addressee = new OrganisationRef(addressed, received.LocalNode);
        if (received.Terms.Recipients.Count != 1 || !received.Terms.Recipients.Contains(addressee))
        {
            return "a request names its addressed organisation, hosted on this node, as its one recipient";
        }

        var local = await db.Organisations.IgnoreQueryFilters().AsNoTracking().Where(o => o.Id == addressed).Select(o => new { o.Name }).FirstOrDefaultAsync(cancellationToken);
        if (local is null)
        {
            return $"organisation {addressed} is not hosted on this node";
        }

        var held = await FindAsync(db, id, cancellationToken);
        if (held is not null)
        {
            // A sent request never changes: a copy already held is kept as it is, unless another party claims its id.
            return held.OwnerOrganisationId == owner.Id && held.OwnerNode == received.Partner.NodeId ? null : $"request {id} is held here for another requester";
        }

        if (Read(stix, out var form) is { } invalid)
        {
            return invalid;
        }

        if (!signature.IsReady)
        {
            return "this node's key is not loaded, so it cannot sign the delivery receipt; send the request again later";
        }

        if (await db.RequestEvents.IgnoreQueryFilters().AnyAsync(e => e.Id == form.SentEvent, cancellationToken))
        {
            return $"event {form.SentEvent} is already held for another request";
        }

        var now = received.Now;
        var row = new CooperationRequest
        {
            Id = id,
            Subject = form.Subject,
            RequestedCountry = form.Country,
            Status = RequestStatus.Sent,
            Type = form.Type,
            AddresseeKind = AddresseeKind.Authority,
            AddressedOrganisationId = addressed,
            AddresseeName = local.Name,
            Offences = form.Offences,
            Fields = form.Fields,
            LinkedRequestId = await LinkAsync(db, form.Linked, owner.Id, cancellationToken),
            PreservationDays = form.PreservationDays,
            CreatedBy = Guid.Empty,
            CreatedAt = form.Created,
            UpdatedAt = now,
            SentAt = form.SentAt,
            AcknowledgeBy = form.AcknowledgeBy,
            AnswerBy = form.AnswerBy,
            DeliveredAt = now,
        };
        var terms = CooperationRules.Terms(owner, addressee);
        SharedColumns.Apply(row, terms, received.LocalNode);
        row.Events.Add(new RequestEvent
        {
            Id = form.SentEvent,
            RequestId = id,
            At = form.SentAt,
            OrganisationId = owner.Id,
            ActorName = form.SentBy,
            Kind = RequestEventKind.Moved,
            From = RequestStatus.Draft,
            To = RequestStatus.Sent,
        });
        db.CooperationRequests.Add(row);
        db.ShareGrants.AddRange(SharedColumns.Grants(id, terms, received.LocalNode, now));
        audit.Add(db, Sender(received), AuditEvents.RequestReceived, addressed, CooperationRules.TargetType, id.ToString(),
            new { partner = received.Partner.Id, node = received.Partner.NodeId, requester = owner.Id, type = form.Type.Spell() });

        // The receipt says which version arrived, its digest and when, signed with this node's key.
        var receivedAt = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds());
        var statement = new DeliveryReceipts.Statement(id, StixIntake.Text(stix, "modified")!, DeliveryReceipts.Digest(stix), receivedAt, received.LocalNode);
        var receipt = new RequestReceipt
        {
            Id = Guid.CreateVersion7(),
            RequestId = id,
            NodeId = received.LocalNode,
            Version = statement.Version,
            Sha256 = statement.Sha256,
            ReceivedAt = receivedAt,
            Signature = signature.Sign(DeliveryReceipts.Body(statement)),
            StoredAt = now,
        };
        db.RequestReceipts.Add(receipt);
        await CooperationExchange.ReceiptAsync(db, row, receipt, new FixedClock(now), received.LocalNode, cancellationToken);
        return null;
    }

    private sealed record RequestForm(
        RequestType Type, string Subject, string Country, List<string> Offences, Dictionary<string, string> Fields, int? PreservationDays,
        DateTimeOffset Created, DateTimeOffset SentAt, DateTimeOffset AcknowledgeBy, DateTimeOffset AnswerBy, Guid SentEvent, string SentBy, Guid? Linked);

    /// <summary>Checks every property of a request object the way the form is checked here; the first problem, named, else null.</summary>
    private static string? Read(JsonElement stix, out RequestForm form)
    {
        form = null!;
        if (!RequestForms.TryParse(StixIntake.Text(stix, "request_type"), out var type))
        {
            return $"request_type '{StixIntake.Text(stix, "request_type")}' is not a request type ({RequestForms.Choices})";
        }

        if (!RequestForms.Addressees(type).Contains(AddresseeKind.Authority))
        {
            return $"a {type.Spell()} request does not go to an authority";
        }

        var subject = StixIntake.Text(stix, "subject")?.Trim();
        if (string.IsNullOrEmpty(subject) || subject.Length > 300 || subject.Any(char.IsControl))
        {
            return "subject must be 1 to 300 printable characters";
        }

        if (!Countries.TryNormalise(StixIntake.Text(stix, "requested_country"), out var country))
        {
            return "requested_country must be an ISO 3166-1 alpha-2 code";
        }

        var offences = new List<string>();
        if (stix.TryGetProperty("offences", out var listed))
        {
            if (listed.ValueKind != JsonValueKind.Array || listed.GetArrayLength() > 20)
            {
                return "offences must be a list of at most 20 offence categories";
            }

            foreach (var offence in listed.EnumerateArray())
            {
                if (offence.ValueKind != JsonValueKind.String || !OffenceCategories.TryParse(offence.GetString(), out var name))
                {
                    return $"offences holds '{(offence.ValueKind == JsonValueKind.String ? offence.GetString() : offence.ValueKind.ToString())}', not a Budapest Convention offence category";
                }

                offences.Add(name);
            }
        }

        if (offences.Count == 0 && RequestForms.NeedsOffence(type))
        {
            return $"a {type.Spell()} request names at least one offence category";
        }

        if (!stix.TryGetProperty("fields", out var given) || given.ValueKind != JsonValueKind.Object)
        {
            return "fields must be an object of the form's fields";
        }

        var texts = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var field in given.EnumerateObject())
        {
            if (field.Value.ValueKind != JsonValueKind.String)
            {
                return $"fields.{Shorten(field.Name)} must be text";
            }

            texts[field.Name] = field.Value.GetString();
        }

        var v = new Validation();
        var fields = CooperationRules.CheckFields(type, texts, v);
        if (!v.IsValid)
        {
            var error = v.ToError();
            return string.Join("; ", error.Fields!.Select(f => $"{Shorten(f.Key)}: {f.Value[0]}"));
        }

        int? days = null;
        if (stix.TryGetProperty("preservation_days", out var daysElement))
        {
            if (type != RequestType.Preservation || daysElement.ValueKind != JsonValueKind.Number || !daysElement.TryGetInt32(out var d)
                || d is < CooperationClocks.MinimumPreservationDays or > CooperationClocks.MaximumPreservationDays)
            {
                return $"preservation_days is only for a preservation, {CooperationClocks.MinimumPreservationDays} to {CooperationClocks.MaximumPreservationDays}";
            }

            days = d;
        }
        else if (type == RequestType.Preservation)
        {
            return "a preservation request names its preservation_days";
        }

        if (Instant(stix, "created") is not { } created || Instant(stix, "sent_at") is not { } sentAt
            || Instant(stix, "acknowledge_by") is not { } ackBy || Instant(stix, "answer_by") is not { } answerBy)
        {
            return "created, sent_at, acknowledge_by and answer_by must be STIX timestamps";
        }

        if (ackBy < sentAt || answerBy < sentAt)
        {
            return "acknowledge_by and answer_by must not be before sent_at";
        }

        if (!Guid.TryParse(StixIntake.Text(stix, "sent_event"), out var sentEvent))
        {
            return "sent_event must be the id of the event that sent the request";
        }

        if (ActorName(stix, out var sentBy, "sent_by") is { } badName)
        {
            return badName;
        }

        Guid? linked = null;
        if (StixIntake.Text(stix, "linked_request") is { } link)
        {
            if (!StixIdentifier.TrySplit(link, out var linkType, out var linkId) || linkType != CooperationExchange.RequestType)
            {
                return $"linked_request must be {CooperationExchange.RequestType}--<uuid>";
            }

            linked = linkId;
        }

        form = new RequestForm(type, subject, country, offences, fields, days, created, sentAt, ackBy, answerBy, sentEvent, sentBy, linked);
        return null;
    }

    /// <summary>The link is kept when this node holds that request from the same requester; otherwise the request stands alone here.</summary>
    private static async Task<Guid?> LinkAsync(RibatDbContext db, Guid? linked, Guid owner, CancellationToken cancellationToken) =>
        linked is { } id && await db.CooperationRequests.IgnoreQueryFilters().AnyAsync(r => r.Id == id && r.OwnerOrganisationId == owner, cancellationToken) ? id : null;

    /// <summary>One step of the other party: applied here with the same status machine, clocks and instants as there.</summary>
    private async Task<string?> EventAsync(RibatDbContext db, PartnerObject received, CancellationToken cancellationToken)
    {
        var stix = received.Stix;
        if (!StixIdentifier.TrySplit(StixIntake.Text(stix, "id"), out _, out var id))
        {
            return $"id must be {CooperationExchange.EventType}--<uuid>";
        }

        if (!StixIdentifier.TrySplit(StixIntake.Text(stix, "request_ref"), out var refType, out var requestId) || refType != CooperationExchange.RequestType)
        {
            return $"request_ref must be {CooperationExchange.RequestType}--<uuid>";
        }

        var row = await FindAsync(db, requestId, cancellationToken);
        if (row is null)
        {
            return $"request {requestId} is not held on this node";
        }

        var acting = received.Terms.Owner.Id;
        RequestParty party;
        if (acting == row.OwnerOrganisationId && row.OwnerNode == received.Partner.NodeId)
        {
            party = RequestParty.Requester;
        }
        else if (acting == row.AddressedOrganisationId && row.AddressedNode == received.Partner.NodeId)
        {
            party = RequestParty.Addressee;
        }
        else
        {
            return $"organisation {acting} is no party to request {requestId}; only the requesting and the addressed organisation change it";
        }

        if (db.RequestEvents.Local.Any(e => e.Id == id) || await db.RequestEvents.IgnoreQueryFilters().AnyAsync(e => e.Id == id, cancellationToken))
        {
            // Already applied: a version the node holds is ignored.
            return null;
        }

        if (Instant(stix, "occurred_at") is not { } at)
        {
            return "occurred_at must be a STIX timestamp";
        }

        if (ActorName(stix, out var actorName, "actor_name") is { } badName)
        {
            return badName;
        }

        var note = StixIntake.Text(stix, "note");
        if (note is { Length: > MaxNote } || (note is not null && note.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'))))
        {
            return $"note must be at most {MaxNote} characters without control characters other than line breaks and tabs";
        }

        var step = new RequestEvent { Id = id, RequestId = row.Id, At = at, OrganisationId = acting, ActorName = actorName, Note = note };
        var problem = StixIntake.Text(stix, "event_kind") switch
        {
            "moved" => Move(row, step, stix, party),
            "preservation-extended" => Extend(row, step, stix),
            "attachment-added" => await AttachAsync(db, row, step, stix, cancellationToken),
            var other => $"event_kind '{other}' is not a request event (moved, preservation-extended, attachment-added)",
        };
        if (problem is not null)
        {
            return problem;
        }

        row.UpdatedAt = received.Now;
        db.RequestEvents.Add(step);
        var code = step.Kind switch
        {
            RequestEventKind.Moved when step.To == RequestStatus.Acknowledged => AuditEvents.RequestAcknowledged,
            RequestEventKind.Moved => AuditEvents.RequestStatusChanged,
            RequestEventKind.PreservationExtended => AuditEvents.PreservationExtended,
            _ => AuditEvents.RequestAttachmentAdded,
        };
        var localParty = party == RequestParty.Requester ? row.AddressedOrganisationId!.Value : row.OwnerOrganisationId;
        audit.Add(db, Sender(received), code, localParty, CooperationRules.TargetType, row.Id.ToString(),
            new { partner = received.Partner.Id, organisation = acting, @event = id, kind = step.Kind.Spell(), from = step.From?.Spell(), to = step.To?.Spell() });
        return null;
    }

    private static string? Move(CooperationRequest row, RequestEvent step, JsonElement stix, RequestParty party)
    {
        if (!RequestStatusMachine.TryParse(StixIntake.Text(stix, "from_status"), out var from) || !RequestStatusMachine.TryParse(StixIntake.Text(stix, "to_status"), out var to))
        {
            return $"from_status and to_status must be request statuses ({RequestStatusMachine.Choices})";
        }

        if (from != row.Status)
        {
            return $"the request is {row.Status.Spell()} on this node, not {from.Spell()}";
        }

        if (RequestStatusMachine.Check(from, to, party, step.Note) is { } refused)
        {
            return refused.Message;
        }

        ChangeRequestStatus.Apply(row, to, null, step.At);
        step.Kind = RequestEventKind.Moved;
        step.From = from;
        step.To = to;
        return null;
    }

    private static string? Extend(CooperationRequest row, RequestEvent step, JsonElement stix)
    {
        if (row.Type != RequestType.Preservation || row.PreservedUntil is null || !RequestStatusMachine.IsOpen(row.Status) || row.Status == RequestStatus.Refused)
        {
            return $"the request is a {row.Type.Spell()} request, {row.Status.Spell()}: only an acknowledged, open preservation is extended";
        }

        if (!stix.TryGetProperty("extension_days", out var daysElement) || !daysElement.TryGetInt32(out var days) || days < 1 || days > ExtendPreservation.MaxDays)
        {
            return $"extension_days must be 1 to {ExtendPreservation.MaxDays}";
        }

        if (Instant(stix, "preserved_until") is not { } until)
        {
            return "preserved_until must be a STIX timestamp";
        }

        // As CooperationClocks.Extend counts it, without touching the row before the step is known to hold.
        var expected = (row.PreservedUntil is { } end && end > step.At ? end : step.At).AddDays(days);
        if ((expected - until).Duration() > TimeSpan.FromMilliseconds(1))
        {
            return $"preserved_until {CooperationExchange.Instant(until)} does not follow from the period held here ({CooperationExchange.Instant(expected)})";
        }

        CooperationClocks.Extend(row, days, step.At);

        step.Kind = RequestEventKind.PreservationExtended;
        return null;
    }

    private async Task<string?> AttachAsync(RibatDbContext db, CooperationRequest row, RequestEvent step, JsonElement stix, CancellationToken cancellationToken)
    {
        if (row.Status is RequestStatus.Closed or RequestStatus.Withdrawn)
        {
            return $"the request is {row.Status.Spell()}; files are added while it is open";
        }

        if (!stix.TryGetProperty("attachment", out var file) || file.ValueKind != JsonValueKind.Object)
        {
            return "attachment must be an object with id, file_name, size, sha256 and content_base64";
        }

        var limit = options.Value.MaxAttachmentBytes;
        var name = StixIntake.Text(file, "file_name");
        if (!Guid.TryParse(StixIntake.Text(file, "id"), out var attachmentId))
        {
            return "attachment.id must be the attachment's id";
        }

        if (name is null || name.Length is 0 or > 255 || name.Any(char.IsControl) || Path.GetFileName(name) != name)
        {
            return "attachment.file_name must be a file name of 1 to 255 printable characters";
        }

        if (!file.TryGetProperty("size", out var sizeElement) || !sizeElement.TryGetInt64(out var size) || size < 0)
        {
            return "attachment.size must be the file's size in bytes";
        }

        if (size > limit)
        {
            return $"attachment.size {size:N0} bytes is over the limit of {limit:N0} bytes";
        }

        var sha256 = StixIntake.Text(file, "sha256");
        if (sha256 is not { Length: 64 } || !sha256.All(Uri.IsHexDigit))
        {
            return "attachment.sha256 must be 64 hexadecimal digits";
        }

        if (!file.TryGetProperty("content_base64", out var content) || content.ValueKind != JsonValueKind.String)
        {
            return "attachment.content_base64 must hold the file's bytes in base64";
        }

        var encoded = content.GetString()!;
        if (encoded.Length > ((limit + 2) / 3 * 4) + 4)
        {
            return $"attachment.content_base64 holds more than the limit of {limit:N0} bytes";
        }

        var bytes = new byte[(encoded.Length / 4 * 3) + 3];
        if (!Convert.TryFromBase64String(encoded, bytes, out var written))
        {
            return "attachment.content_base64 is not base64";
        }

        if (written != size)
        {
            return $"attachment.content_base64 holds {written:N0} bytes, not the {size:N0} its size says";
        }

        var digest = Convert.ToHexStringLower(SHA256.HashData(bytes.AsSpan(0, written)));
        if (!string.Equals(digest, sha256, StringComparison.OrdinalIgnoreCase))
        {
            return $"attachment content has SHA-256 {digest}, not the {sha256.ToLowerInvariant()} it names";
        }

        if (await db.RequestAttachments.IgnoreQueryFilters().AnyAsync(a => a.Id == attachmentId, cancellationToken))
        {
            return $"attachment {attachmentId} is already held";
        }

        using var stream = new MemoryStream(bytes, 0, written, writable: false);
        var stored = await store.IngestAsync(stream, cancellationToken);
        if (stored.Error is { } full)
        {
            return $"the file cannot be kept on this node: {full.Message}";
        }

        db.RequestAttachments.Add(new RequestAttachment
        {
            Id = attachmentId,
            RequestId = row.Id,
            OrganisationId = step.OrganisationId,
            FileName = name,
            Size = written,
            Sha256 = digest,
            AddedAt = step.At,
        });
        step.Kind = RequestEventKind.AttachmentAdded;
        return null;
    }

    /// <summary>The addressee node's receipt of a request sent from here: checked against the version sent and the partner's pinned key.</summary>
    private async Task<string?> ReceiptAsync(RibatDbContext db, PartnerObject received, CancellationToken cancellationToken)
    {
        var stix = received.Stix;
        if (!StixIdentifier.TrySplit(StixIntake.Text(stix, "request_ref"), out var refType, out var requestId) || refType != CooperationExchange.RequestType)
        {
            return $"request_ref must be {CooperationExchange.RequestType}--<uuid>";
        }

        var row = await FindAsync(db, requestId, cancellationToken);
        if (row is null || row.OwnerNode is not null || row.AddressedOrganisationId != received.Terms.Owner.Id || row.AddressedNode != received.Partner.NodeId)
        {
            return $"request {requestId} was not sent from this node to organisation {received.Terms.Owner.Id} of the sending partner";
        }

        if (!Guid.TryParse(StixIntake.Text(stix, "node"), out var node) || node != received.Partner.NodeId)
        {
            return "node must be the sending partner's node id";
        }

        var version = StixIntake.Text(stix, "request_version");
        var sha256 = StixIntake.Text(stix, "request_sha256");
        if (version is not { Length: > 0 and <= 40 } || sha256 is not { Length: 64 })
        {
            return "request_version must be the version received and request_sha256 its 64-digit SHA-256";
        }

        if (Instant(stix, "received_at") is not { } receivedAt)
        {
            return "received_at must be a STIX timestamp";
        }

        var sent = await db.StixObjects.IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.StixId == CooperationExchange.RequestId(requestId) && s.Version == version && s.Origin == StixOrigin.Local)
            .Select(s => s.Json).FirstOrDefaultAsync(cancellationToken);
        if (sent is null)
        {
            return $"version {version} of request {requestId} was never sent from this node";
        }

        if (!string.Equals(DeliveryReceipts.Digest(sent), sha256, StringComparison.Ordinal))
        {
            return $"request_sha256 is not the SHA-256 of the version sent ({version})";
        }

        var statement = new DeliveryReceipts.Statement(requestId, version, sha256, receivedAt, node);
        var text = StixIntake.Text(stix, "signature");
        var check = DeliveryReceipts.Verify(statement, text, received.Partner.PublicKeyPem);
        if (!check.Valid)
        {
            return $"the receipt's signature does not hold against the partner's pinned key: {check.Message}";
        }

        if (db.RequestReceipts.Local.Any(r => r.RequestId == requestId && r.Version == version)
            || await db.RequestReceipts.IgnoreQueryFilters().AnyAsync(r => r.RequestId == requestId && r.Version == version, cancellationToken))
        {
            return null;
        }

        db.RequestReceipts.Add(new RequestReceipt
        {
            Id = Guid.CreateVersion7(),
            RequestId = requestId,
            NodeId = node,
            Version = version,
            Sha256 = sha256,
            ReceivedAt = receivedAt,
            Signature = text!,
            StoredAt = received.Now,
        });
        row.DeliveredAt ??= receivedAt;
        audit.Add(db, Sender(received), AuditEvents.RequestDelivered, row.OwnerOrganisationId, CooperationRules.TargetType, row.Id.ToString(),
            new { partner = received.Partner.Id, node, version, sha256, receivedAt, keyId = check.KeyId });
        return null;
    }

    /// <summary>The request, tracked: added earlier in this payload or stored.</summary>
    private static async Task<CooperationRequest?> FindAsync(RibatDbContext db, Guid id, CancellationToken cancellationToken) =>
        db.CooperationRequests.Local.FirstOrDefault(r => r.Id == id)
        ?? await db.CooperationRequests.IgnoreQueryFilters().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);

    private static DateTimeOffset? Instant(JsonElement element, string name) =>
        StixIntake.Text(element, name) is { } text && StixTimestamp.TryParse(text, out var at, out _) ? new DateTimeOffset(at.UtcDateTime) : null;

    private static string? ActorName(JsonElement element, out string name, string property)
    {
        name = StixIntake.Text(element, property)?.Trim() ?? string.Empty;
        return name.Length is 0 or > MaxActorName || name.Any(char.IsControl) ? $"{property} must be 1 to {MaxActorName} printable characters" : null;
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";

    /// <summary>The ingress instant, so the receipt written back is dated as the request's arrival.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
