using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Cases;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cooperation;

/// <summary>What the request use cases share: checking a form, the parties, the audit rows of both sides, and showing a request.</summary>
internal static class CooperationRules
{
    public const string TargetType = "cooperation-request";

    public static Error? RefuseWrite(Actor actor) =>
        !CooperationRoles.MayWrite(actor)
            ? Error.Forbidden("Sending and answering requests needs the liaison, investigator, prosecutor or org-admin role.")
            : actor.RequireWrite();

    /// <summary>A request loaded for a change, the parties its viewer acts as, and the viewer's organisation.</summary>
    public sealed record PartyRequest(CooperationRequest Row, IReadOnlySet<RequestParty> Parties, OrganisationRef Viewer);

    /// <summary>
    /// Loads a request (tracked) for a change by one of its parties: 404 when the viewer cannot see it, 403 naming
    /// <paramref name="what"/> when it is no party to it, and 403 when the actor may not write.
    /// </summary>
    public static async Task<Result<PartyRequest>> PartyToChangeAsync(ContentSession session, Actor actor, Guid id, string what, CancellationToken cancellationToken)
    {
        var row = await session.Db.CooperationRequests.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (row is null || session.Organisation is not { } viewer)
        {
            return Error.NotFound("The request");
        }

        var parties = PartiesOf(row, viewer.Id);
        if (parties.Count == 0)
        {
            return Error.Forbidden($"Only the requesting and the addressed organisation {what}.");
        }

        return RefuseWrite(actor) is { } refused ? refused : new PartyRequest(row, parties, viewer);
    }

    /// <summary>
    /// The parties the viewer acts as. The requester also records the steps of a provider or registrar that does not
    /// use Ribat; the addressed organisation acts once the request has been sent to it.
    /// </summary>
    public static IReadOnlySet<RequestParty> PartiesOf(CooperationRequest row, Guid? organisation)
    {
        var parties = new HashSet<RequestParty>();
        if (organisation == row.OwnerOrganisationId)
        {
            parties.Add(RequestParty.Requester);
            if (row.AddresseeKind != AddresseeKind.Authority)
            {
                parties.Add(RequestParty.Addressee);
            }
        }
        else if (organisation is not null && organisation == row.AddressedOrganisationId && row.Status != RequestStatus.Draft)
        {
            parties.Add(RequestParty.Addressee);
        }

        return parties;
    }

    /// <summary>
    /// The sharing terms of every request: TLP:RED, PAP:RED, H2, the owner's alone until it is sent, then also the
    /// addressed organisation's as the one named recipient. Neither side may pass it on.
    /// </summary>
    public static SharingTerms Terms(OrganisationRef owner, OrganisationRef? recipient) =>
        new(owner, Tlp.Red, Pap.Red, Distribution.OrganisationOnly, HandlingCodes.H2, null, null)
        {
            Recipients = recipient is { } named ? new HashSet<OrganisationRef> { named } : new HashSet<OrganisationRef>(),
        };

    /// <summary>Writes the audit row into each side's trail: the requester's, and the addressed organisation's once it has the request.</summary>
    /// <remarks>A party hosted on a partner node keeps its own trail there, written when the step arrives.</remarks>
    public static void Audit(AuditTrail audit, RibatDbContext db, Actor actor, AuditEvent auditEvent, CooperationRequest row, object? details = null)
    {
        if (row.OwnerNode is null)
        {
            audit.Add(db, actor, auditEvent, row.OwnerOrganisationId, TargetType, row.Id.ToString(), details);
        }

        if (row.AddressedOrganisationId is { } addressed && addressed != row.OwnerOrganisationId && row.Status != RequestStatus.Draft && row.AddressedNode is null)
        {
            audit.Add(db, actor, auditEvent, addressed, TargetType, row.Id.ToString(), details);
        }
    }

    public static RequestEvent Event(CooperationRequest row, Actor actor, Guid organisation, RequestEventKind kind, DateTimeOffset at, RequestStatus? from = null, RequestStatus? to = null, string? note = null) => new()
    {
        Id = Guid.CreateVersion7(),
        RequestId = row.Id,
        At = at,
        OrganisationId = organisation,
        ActorUserId = actor.UserId,
        ActorName = actor.Name.Length <= 256 ? actor.Name : actor.Name[..256],
        Kind = kind,
        From = from,
        To = to,
        Note = note,
    };

    /// <summary>The checked form, ready to write; every problem is reported as a field.</summary>
    public sealed record Checked(
        RequestType Type,
        string Subject,
        AddresseeKind AddresseeKind,
        Guid? AddressedOrganisationId,
        Guid? AddressedNode,
        Guid? ServiceProviderId,
        string? AddresseeName,
        string Country,
        List<string> Offences,
        Dictionary<string, string> Fields,
        Guid? LinkedRequestId,
        int? PreservationDays);

    public static async Task<Result<Checked>> CheckAsync(ContentSession session, RequestInput input, Guid requester, CancellationToken cancellationToken)
    {
        var v = new Validation();
        if (!RequestForms.TryParse(input.Type, out var type))
        {
            return Error.Validation("type", $"'{input.Type}' is not a request type ({RequestForms.Choices}).");
        }

        var subject = input.Subject?.Trim();
        v.Require(!string.IsNullOrEmpty(subject), "subject", "A request needs a subject.")
            .Require(subject is null || subject.Length <= 300, "subject", "The subject is at most 300 characters.")
            .RequirePrintable(subject, "subject");

        var kind = AddresseeKind.Authority;
        if (input.AddresseeKind is not null && !AddresseeKinds.TryParse(input.AddresseeKind, out kind))
        {
            v.Add("addresseeKind", $"'{input.AddresseeKind}' is not an addressee kind (authority, service-provider, registrar).");
        }
        else if (!RequestForms.Addressees(type).Contains(kind))
        {
            v.Add("addresseeKind", $"A {type.Spell()} request goes to {string.Join(" or ", RequestForms.Addressees(type).Select(k => k.Spell()))}, not to a {kind.Spell()}.");
        }

        string? country = null;
        string? addresseeName = string.IsNullOrWhiteSpace(input.AddresseeName) ? null : input.AddresseeName.Trim();
        v.Require(addresseeName is null || addresseeName.Length <= 300, "addresseeName", "The addressee's name is at most 300 characters.")
            .RequirePrintable(addresseeName, "addresseeName");
        Guid? addressed = null;
        Guid? addressedNode = null;
        Guid? provider = null;
        if (kind == AddresseeKind.Authority)
        {
            if (input.AddressedOrganisationId is not { } target)
            {
                v.Add("addressedOrganisationId", "A request to an authority names the addressed organisation.");
            }
            else if (target == requester)
            {
                v.Add("addressedOrganisationId", "A request is addressed to another organisation than the one sending it.");
            }
            else
            {
                // The directory of organisations is node-wide: a sender may address any agency it can name.
                var organisation = await session.Db.Organisations.IgnoreQueryFilters().AsNoTracking()
                    .Where(o => o.Id == target).Select(o => new { o.Name, o.Country }).FirstOrDefaultAsync(cancellationToken);
                if (organisation is not null)
                {
                    addressed = target;
                    addresseeName = organisation.Name;
                    country = organisation.Country;
                }
                else if (await PartnerOrganisationAsync(session.Db, target, cancellationToken) is { } remote)
                {
                    // An agency a partner node hosts: the request travels to that node once sent.
                    addressed = target;
                    addressedNode = remote.NodeId;
                    addresseeName = remote.Name;
                    country = remote.Country;
                }
                else
                {
                    v.Add("addressedOrganisationId", $"Organisation {target} is neither hosted on this node nor on an enabled partner node.");
                }
            }
        }
        else
        {
            if (input.ServiceProviderId is { } id)
            {
                var profile = await session.Db.ProviderProfiles.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
                if (profile is null)
                {
                    v.Add("serviceProviderId", $"Provider {id} is not in the knowledge base.");
                }
                else
                {
                    provider = id;
                    addresseeName ??= profile.Name;
                    country = profile.Country;
                }
            }

            v.Require(addresseeName is not null || input.ServiceProviderId is not null, "addresseeName", $"A request to a {kind.Spell()} names it, or picks it from the knowledge base.");
        }

        if (country is null)
        {
            if (Countries.TryNormalise(input.RequestedCountry, out var code))
            {
                country = code;
            }
            else if (kind != AddresseeKind.Authority || input.AddressedOrganisationId is null)
            {
                v.Add("requestedCountry", $"'{input.RequestedCountry}' is not an ISO 3166-1 country code; name the requested country.");
            }
        }

        var offences = new List<string>();
        foreach (var offence in input.Offences ?? [])
        {
            if (OffenceCategories.TryParse(offence, out var name))
            {
                offences.Add(name);
            }
            else
            {
                v.Add("offences", $"'{offence}' is not a Budapest Convention offence category ({OffenceCategories.Choices}).");
            }
        }

        v.Require(offences.Count > 0 || !RequestForms.NeedsOffence(type) || input.Offences is { Count: > 0 }, "offences",
            $"A {type.Spell()} request names at least one offence category ({OffenceCategories.Choices}).");

        var fields = CheckFields(type, input.Fields, v);
        var link = await CheckLinkAsync(session, type, input.LinkedRequestId, requester, v, cancellationToken);
        int? days = null;
        if (type == RequestType.Preservation)
        {
            days = input.PreservationDays ?? CooperationClocks.MinimumPreservationDays;
            v.Require(days is >= CooperationClocks.MinimumPreservationDays and <= CooperationClocks.MaximumPreservationDays, "preservationDays",
                $"Preservation lasts {CooperationClocks.MinimumPreservationDays} to {CooperationClocks.MaximumPreservationDays} days (at least 60, Art. 29(7)).");
        }
        else
        {
            v.Require(input.PreservationDays is null, "preservationDays", "Only a preservation request asks for a preservation period.");
        }

        if (!v.IsValid)
        {
            return v.ToError();
        }

        var ordered = offences.Distinct().OrderBy(o => OffenceCategories.All.ToList().FindIndex(c => c.Name == o)).ToList();
        return new Checked(type, subject!, kind, addressed, addressedNode, provider, addresseeName, country!, ordered, fields, link, days);
    }

    /// <summary>An organisation an enabled partner node hosts, as that node described it; null when there is none.</summary>
    private static async Task<Federation.Sync.PartnerOrganisation?> PartnerOrganisationAsync(RibatDbContext db, Guid id, CancellationToken cancellationToken) =>
        await (from o in db.PartnerOrganisations.IgnoreQueryFilters().AsNoTracking()
               join p in db.Partners.IgnoreQueryFilters().AsNoTracking() on o.PartnerId equals p.Id
               where o.Id == id && p.Enabled && p.NodeId == o.NodeId
               select o).FirstOrDefaultAsync(cancellationToken);

    internal static Dictionary<string, string> CheckFields(RequestType type, IReadOnlyDictionary<string, string?>? given, Validation v)
    {
        var form = RequestForms.For(type);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, _) in given ?? new Dictionary<string, string?>())
        {
            if (form.All(f => f.Name != name))
            {
                v.Add($"fields.{name}", $"A {type.Spell()} request has no field '{name}'; its fields are {string.Join(", ", form.Select(f => f.Name))}.");
            }
        }

        foreach (var field in form)
        {
            var text = given?.GetValueOrDefault(field.Name)?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                v.Require(!field.Required, $"fields.{field.Name}", $"A {type.Spell()} request needs '{field.Name}'.");
                continue;
            }

            v.Require(text.Length <= field.MaxLength, $"fields.{field.Name}", $"'{field.Name}' is at most {field.MaxLength:N0} characters.")
                .Require(!text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')), $"fields.{field.Name}", $"'{field.Name}' must not contain control characters other than line breaks and tabs.");
            fields[field.Name] = text;
        }

        return fields;
    }

    /// <summary>A disclosure follows its preservation; mutual assistance may. Either way the link is the sender's own preservation request, sent.</summary>
    private static async Task<Guid?> CheckLinkAsync(ContentSession session, RequestType type, Guid? link, Guid requester, Validation v, CancellationToken cancellationToken)
    {
        if (link is not { } id)
        {
            v.Require(type != RequestType.Disclosure, "linkedRequestId", "A disclosure of preserved traffic data names the preservation request it follows (Art. 30).");
            return null;
        }

        if (type is not (RequestType.Disclosure or RequestType.MutualAssistance))
        {
            v.Add("linkedRequestId", "Only a disclosure or a mutual-assistance request follows a preservation request.");
            return null;
        }

        var linked = await session.Db.CooperationRequests.AsNoTracking().Where(r => r.Id == id)
            .Select(r => new { r.Type, r.Status, r.OwnerOrganisationId }).FirstOrDefaultAsync(cancellationToken);
        if (linked is null || linked.OwnerOrganisationId != requester)
        {
            v.Add("linkedRequestId", $"Request {id} is not a request of this organisation.");
        }
        else if (linked.Type != RequestType.Preservation)
        {
            v.Add("linkedRequestId", $"Request {id} is a {linked.Type.Spell()} request, not a preservation request.");
        }
        else if (linked.Status == RequestStatus.Draft)
        {
            v.Add("linkedRequestId", $"Preservation request {id} has not been sent yet.");
        }

        return id;
    }

    public static void Apply(CooperationRequest row, Checked form, DateTimeOffset now)
    {
        row.Type = form.Type;
        row.Subject = form.Subject;
        row.AddresseeKind = form.AddresseeKind;
        row.AddressedOrganisationId = form.AddressedOrganisationId;
        row.AddressedNode = form.AddressedNode;
        row.ServiceProviderId = form.ServiceProviderId;
        row.AddresseeName = form.AddresseeName;
        row.RequestedCountry = form.Country;
        row.Offences = form.Offences;
        row.Fields = form.Fields;
        row.LinkedRequestId = form.LinkedRequestId;
        row.PreservationDays = form.PreservationDays;
        row.UpdatedAt = now;
    }

    public static async Task<List<RequestDto>> ToDtosAsync(ContentSession session, Actor actor, List<CooperationRequest> rows, DateTimeOffset now, bool details, CancellationToken cancellationToken)
    {
        var organisations = rows.Select(r => r.OwnerOrganisationId).Concat(rows.Where(r => r.AddressedOrganisationId is not null).Select(r => r.AddressedOrganisationId!.Value)).Distinct().ToList();

        // Both parties' names and countries are part of the request each side holds.
        var parties = await session.Db.Organisations.IgnoreQueryFilters().AsNoTracking().Where(o => organisations.Contains(o.Id))
            .ToDictionaryAsync(o => o.Id, o => new PartyDto(o.Id, o.Name, o.Country), cancellationToken);
        var elsewhere = organisations.Where(o => !parties.ContainsKey(o)).ToList();
        if (elsewhere.Count > 0)
        {
            // A party hosted on a partner node, as that node described it.
            foreach (var o in await session.Db.PartnerOrganisations.IgnoreQueryFilters().AsNoTracking().Where(o => elsewhere.Contains(o.Id)).ToListAsync(cancellationToken))
            {
                parties.TryAdd(o.Id, new PartyDto(o.Id, o.Name, o.Country));
            }
        }

        var ids = rows.Select(r => r.Id).ToList();
        var history = details
            ? await session.Db.RequestEvents.AsNoTracking().Where(e => ids.Contains(e.RequestId)).OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(cancellationToken)
            : [];
        var attachments = details
            ? await session.Db.RequestAttachments.AsNoTracking().Where(a => ids.Contains(a.RequestId)).OrderBy(a => a.AddedAt).ToListAsync(cancellationToken)
            : [];
        var hints = details ? await HintsAsync(session.Db, rows, cancellationToken) : [];
        var deliveries = await DeliveriesAsync(session, rows, details, cancellationToken);
        var mayWrite = CooperationRoles.MayWrite(actor) && actor.TokenScope != TokenScope.Read;
        return rows.Select(r =>
        {
            var partiesOf = PartiesOf(r, session.Organisation?.Id);
            var isRequester = partiesOf.Contains(RequestParty.Requester);
            var moves = mayWrite ? partiesOf.SelectMany(p => RequestStatusMachine.AllowedFrom(r.Status, p)).Distinct().Select(s => s.Spell()).ToList() : [];
            var open = RequestStatusMachine.IsOpen(r.Status);
            return new RequestDto(
                r.Id, r.Type.Spell(), r.Status.Spell(), r.Subject, isRequester ? "requester" : "addressee",
                parties.GetValueOrDefault(r.OwnerOrganisationId) ?? new PartyDto(r.OwnerOrganisationId, null, null),
                r.AddresseeKind.Spell(),
                r.AddressedOrganisationId is { } a ? parties.GetValueOrDefault(a) ?? new PartyDto(a, r.AddresseeName, r.RequestedCountry) : new PartyDto(null, r.AddresseeName, r.RequestedCountry),
                r.ServiceProviderId, r.RequestedCountry, r.Offences, r.Fields, r.LinkedRequestId, r.PreservationDays,
                r.CreatedAt, r.UpdatedAt, r.SentAt, r.AcknowledgedAt, r.AnsweredAt, r.ClosedAt, r.PreservedUntil, r.Extensions,
                CooperationClocks.Of(r, now).Select(c => new ClockDto(c.Kind.Spell(), c.DueAt, c.State.Spell(), c.Responsible == RequestParty.Requester ? "requester" : "addressee", c.DoneAt)).ToList(),
                moves,
                mayWrite && isRequester && r.Status == RequestStatus.Draft,
                mayWrite && partiesOf.Count > 0 && r.Type == RequestType.Preservation && r.PreservedUntil is not null && open && r.Status != RequestStatus.Refused,
                mayWrite && (isRequester ? r.Status != RequestStatus.Closed && r.Status != RequestStatus.Withdrawn : open),
                history.Where(e => e.RequestId == r.Id).Select(e => new RequestEventDto(e.Id, e.At, e.OrganisationId, e.ActorName, e.Kind.Spell(), e.From?.Spell(), e.To?.Spell(), e.Note)).ToList(),
                attachments.Where(x => x.RequestId == r.Id).Select(x => new AttachmentDto(x.Id, x.FileName, x.Size, x.Sha256, x.OrganisationId, x.AddedAt)).ToList(),
                hints.GetValueOrDefault(r.Id) ?? [],
                deliveries.GetValueOrDefault(r.Id));
        }).ToList();
    }

    /// <summary>The delivery state of the requests that cross to or from a partner node, with their receipts when <paramref name="details"/>.</summary>
    private static async Task<Dictionary<Guid, DeliveryDto>> DeliveriesAsync(ContentSession session, List<CooperationRequest> rows, bool details, CancellationToken cancellationToken)
    {
        var crossing = rows.Where(r => r.SentAt is not null && CooperationExchange.Crosses(r, session.LocalNode)).ToList();
        if (crossing.Count == 0)
        {
            return [];
        }

        var ids = crossing.Select(r => r.Id).ToList();
        var receipts = details
            ? await session.Db.RequestReceipts.AsNoTracking().Where(x => ids.Contains(x.RequestId)).OrderBy(x => x.StoredAt).ToListAsync(cancellationToken)
            : [];
        var nodes = receipts.Select(x => x.NodeId).Distinct().ToList();
        var keys = nodes.Count == 0
            ? []
            : await session.Db.Partners.IgnoreQueryFilters().AsNoTracking().Where(p => nodes.Contains(p.NodeId))
                .Select(p => new { p.NodeId, p.PublicKeyPem }).ToDictionaryAsync(p => p.NodeId, p => p.PublicKeyPem, cancellationToken);
        return crossing.ToDictionary(r => r.Id, r =>
        {
            var sender = r.OwnerNode is null;
            var other = sender ? r.AddressedNode!.Value : r.OwnerNode!.Value;
            var state = !sender ? "received" : r.DeliveredAt is null ? "queued" : "delivered";
            var shown = receipts.Where(x => x.RequestId == r.Id).Select(x =>
            {
                var statement = new DeliveryReceipts.Statement(x.RequestId, x.Version, x.Sha256, x.ReceivedAt, x.NodeId);
                if (x.NodeId == session.LocalNode)
                {
                    return new ReceiptDto(x.Version, x.Sha256, x.ReceivedAt, x.NodeId, x.Signature, true, "issued and signed by this node", null);
                }

                var check = keys.TryGetValue(x.NodeId, out var pem)
                    ? DeliveryReceipts.Verify(statement, x.Signature, pem)
                    : new DeliveryReceipts.Check(false, "no partner with this node id is recorded here any more", null);
                return new ReceiptDto(x.Version, x.Sha256, x.ReceivedAt, x.NodeId, x.Signature, check.Valid, check.Message, check.KeyId);
            }).ToList();
            return new DeliveryDto(state, other, r.DeliveredAt, shown);
        });
    }

    private static async Task<Dictionary<Guid, List<DualCriminalityHint>>> HintsAsync(RibatDbContext db, List<CooperationRequest> rows, CancellationToken cancellationToken)
    {
        var countries = rows.Select(r => r.RequestedCountry).Distinct().ToList();
        var provisions = await db.NationalProvisions.AsNoTracking().Where(p => countries.Contains(p.Country)).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Id, r => r.Offences.Select(o => new DualCriminalityHint(
            o,
            OffenceCategories.All.First(c => c.Name == o).Article,
            r.RequestedCountry,
            provisions.Where(p => p.Country == r.RequestedCountry && p.Offence == o).OrderBy(p => p.Reference).Select(Legislation.ToDto).ToList())).ToList());
    }
}
