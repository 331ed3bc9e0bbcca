using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;
using Ribat.Core.Federation.Partners;
using Ribat.Core.Sharing;
using Ribat.Stix;
using Ribat.Stix.Model;
using Ribat.Stix.Validation;

namespace Ribat.Core.Federation.Sync;

/// <summary>What happened to the objects of one partner payload.</summary>
internal sealed record IngressOutcome(int Added, int AlreadyHeld, IReadOnlyList<IntakeResult> Results)
{
    public IEnumerable<IntakeResult> Refused => Results.Where(r => r.State == IntakeState.Refused);
}

/// <summary>
/// Stores objects a partner sent (pulled or pushed), in the caller's transaction, with provenance: origin
/// <see cref="StixOrigin.Partner"/>, the partner's id, and a delivery record per new version. A partner speaks only
/// for its own organisations' objects; it never adds a version of an object this node's organisations own; a version
/// already held is skipped (idempotent by STIX id and version), and the newest <c>modified</c> is what readers get.
/// </summary>
internal static class PartnerIngress
{
    private static readonly StixValidator Validator = new(new StixValidationOptions { DanglingReferences = StixSeverity.Info });

    public static async Task<IngressOutcome> StoreAsync(RibatDbContext db, Partner partner, IReadOnlyList<JsonElement> objects, Guid localNode, TimeProvider clock, CancellationToken cancellationToken) =>
        await StoreAsync(db, partner, objects, localNode, PartnerObjectHandlers.None, clock, cancellationToken);

    public static async Task<IngressOutcome> StoreAsync(RibatDbContext db, Partner partner, IReadOnlyList<JsonElement> objects, Guid localNode, PartnerObjectHandlers handlers, TimeProvider clock, CancellationToken cancellationToken)
    {
        var results = new IntakeResult?[objects.Count];
        var described = new List<(StixObjectRecord Row, SharingTerms Terms, int Index)>();
        var seen = new HashSet<(string, string)>();
        // Sharing groups and organisations are kept in their own tables, not the STIX store; they count as added all the same.
        var kept = 0;
        for (var i = 0; i < objects.Count; i++)
        {
            var element = objects[i];
            var id = StixIntake.Text(element, "id");
            if (StixIntake.Text(element, "type") == SharingGroupExchange.StixType)
            {
                var (state, why) = await SharingGroupExchange.StoreAsync(db, partner, element, localNode, clock, cancellationToken);
                results[i] = state == IntakeState.Refused ? Refuse(id, why!) : new IntakeResult(id, StixIntake.Text(element, "modified"), state);
                kept += state == IntakeState.Added ? 1 : 0;
                continue;
            }

            if (StixIntake.Text(element, "type") == OrganisationExchange.StixType)
            {
                var (state, why) = await OrganisationExchange.StoreAsync(db, partner, element, clock, cancellationToken);
                results[i] = state == IntakeState.Refused ? Refuse(id, why!) : new IntakeResult(id, StixIntake.Text(element, "modified"), state);
                kept += state == IntakeState.Added ? 1 : 0;
                continue;
            }

            var errors = Validator.ValidateObject(element).Where(e => e.Severity == StixSeverity.Error).Take(3).ToList();
            if (errors.Count > 0)
            {
                results[i] = Refuse(id, string.Join("; ", errors.Select(e => $"{e.Property}: {e.Message}")));
                continue;
            }

            if (TermsOf(element, partner, localNode, out var reason) is not { } requested)
            {
                results[i] = Refuse(id, reason!);
                continue;
            }

            if (requested.Distribution.Kind == DistributionKind.OrganisationOnly && !await AnyLocalAsync(db, requested.Recipients, localNode, cancellationToken))
            {
                results[i] = Refuse(id, "it is addressed to no organisation of this node");
                continue;
            }

            var terms = RibatStixExtension.Tighten(element, requested);
            var row = StixObjectStore.Describe(element, terms, localNode, StixOrigin.Partner, null, out var error);
            if (row is null)
            {
                results[i] = Refuse(id, error!);
                continue;
            }

            row.PartnerId = partner.Id;
            if (!seen.Add((row.StixId, row.Version)))
            {
                results[i] = new IntakeResult(row.StixId, row.Version, IntakeState.AlreadyHeld);
                continue;
            }

            described.Add((row, terms, i));
        }

        // A push and a pull may bring the same version at once: the store's lock, taken before looking, lets one store it and the other skip it.
        await db.LockAsync(NodeLock.StixDateAdded, cancellationToken);
        var held = await HeldAsync(db, described.Select(d => d.Row.StixId).Distinct().ToList(), localNode, cancellationToken);
        var fresh = new List<(StixObjectRecord Row, SharingTerms Terms)>();
        foreach (var (row, terms, index) in described)
        {
            if (held.Ours.Contains(row.StixId))
            {
                results[index] = Refuse(row.StixId, "this object belongs to an organisation of this node; a partner never adds versions of it");
            }
            else if (held.Versions.Contains((row.StixId, row.Version)) || (row.Version.Length == 0 && held.Versions.Contains((row.StixId, string.Empty))))
            {
                results[index] = new IntakeResult(row.StixId, row.Version, IntakeState.AlreadyHeld);
            }
            else if (handlers.For(row.Type) is { } handler
                && await handler.ReceiveAsync(db, new PartnerObject(partner, objects[index], terms, localNode, clock.GetUtcNow()), cancellationToken) is { } refusal)
            {
                results[index] = Refuse(row.StixId, refusal);
            }
            else
            {
                if (handlers.For(row.Type) is not null)
                {
                    // What the module wrote is saved in the open transaction, so a later object of this payload (an
                    // incident's entry after the incident) finds it.
                    await db.SaveChangesAsync(cancellationToken);
                }

                fresh.Add((row, terms));
                results[index] = new IntakeResult(row.StixId, row.Version, IntakeState.Added);
            }
        }

        await StixObjectStore.AddAsync(db, fresh, localNode, clock, cancellationToken);
        RecordInbound(db, partner.Id, fresh.Select(f => f.Row).ToList(), clock.GetUtcNow());
        var final = results.Select(r => r!).ToList();
        return new IngressOutcome(fresh.Count + kept, final.Count(r => r.State == IntakeState.AlreadyHeld), final);
    }

    /// <summary>
    /// The terms the object arrives under: its owner and distribution from Ribat's extension (an object without it is
    /// the partner node's own, to connected communities), TLP and PAP from its markings, never looser than they say.
    /// Null with a reason when the partner may not send it.
    /// </summary>
    private static SharingTerms? TermsOf(JsonElement element, Partner partner, Guid localNode, out string? reason)
    {
        var recipients = new HashSet<OrganisationRef>();
        reason = null;
        var owner = new OrganisationRef(partner.NodeId, partner.NodeId);
        var distribution = Distribution.ConnectedCommunities;
        var marked = element.TryGetProperty("object_marking_refs", out var markings) && markings.ValueKind == JsonValueKind.Array
            && markings.EnumerateArray().Any(m => m.ValueKind == JsonValueKind.String && Tlps.TryParseStixMarkingId(m.GetString(), out _));
        var withPap = false;
        if (element.TryGetProperty("extensions", out var extensions) && extensions.ValueKind == JsonValueKind.Object
            && extensions.TryGetProperty(RibatStixExtension.Id, out var ours) && ours.ValueKind == JsonValueKind.Object)
        {
            var node = StixIntake.Text(ours, "owner_node");
            var organisation = StixIntake.Text(ours, "owner_organisation");
            if (!Guid.TryParse(node, out var ownerNode) || !Guid.TryParse(organisation, out var ownerOrganisation))
            {
                reason = "Ribat's sharing-terms extension names no owner organisation and node";
                return null;
            }

            if (ownerNode != partner.NodeId)
            {
                reason = $"owned on node {ownerNode}, not on the sending partner's node; a partner sends only its own organisations' objects";
                return null;
            }

            owner = new OrganisationRef(ownerOrganisation, ownerNode);
            withPap = StixIntake.Text(ours, "pap") is not null;
            if (!TryRecipients(ours, recipients, out reason))
            {
                return null;
            }

            var addressedHere = recipients.Any(r => r.Node == localNode);
            switch (StixIntake.Text(ours, "distribution"))
            {
                case "connected-communities":
                    break;
                case "sharing-group" when Guid.TryParse(StixIntake.Text(ours, "sharing_group"), out var group):
                    distribution = Distribution.ToSharingGroup(group);
                    break;
                // Addressed to organisations here: they see it as named recipients, nobody else on this node does.
                case "organisation-only" or "community" when addressedHere:
                    distribution = Distribution.OrganisationOnly;
                    break;
                case var other:
                    reason = $"its distribution ({other ?? "none"}) does not reach another node and it names no recipient here";
                    return null;
            }
        }

        return new SharingTerms(owner, marked ? Tlp.Clear : Tlp.Amber, withPap ? Pap.Clear : Pap.Amber, distribution) { Recipients = recipients };
    }

    /// <summary>At most this many named recipients on one object.</summary>
    internal const int MaxRecipients = 200;

    /// <summary>The extension's <c>recipients</c>: organisation and node ids; anything else refuses the object.</summary>
    private static bool TryRecipients(JsonElement extension, HashSet<OrganisationRef> recipients, out string? reason)
    {
        reason = null;
        if (!extension.TryGetProperty("recipients", out var list))
        {
            return true;
        }

        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() > MaxRecipients)
        {
            reason = $"Ribat's sharing-terms extension: recipients is a list of at most {MaxRecipients} organisations";
            return false;
        }

        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object
                || !Guid.TryParse(StixIntake.Text(item, "organisation"), out var organisation)
                || !Guid.TryParse(StixIntake.Text(item, "node"), out var node))
            {
                reason = "Ribat's sharing-terms extension: each recipient names an organisation and its node by id";
                return false;
            }

            recipients.Add(new OrganisationRef(organisation, node));
        }

        return true;
    }

    /// <summary>Whether one of <paramref name="recipients"/> is an organisation this node hosts.</summary>
    private static async Task<bool> AnyLocalAsync(RibatDbContext db, IReadOnlySet<OrganisationRef> recipients, Guid localNode, CancellationToken cancellationToken)
    {
        var here = recipients.Where(r => r.Node == localNode).Select(r => r.Id).ToList();
        return here.Count > 0 && await db.Organisations.IgnoreQueryFilters().AsNoTracking().AnyAsync(o => here.Contains(o.Id), cancellationToken);
    }

    /// <summary>Versions already held of <paramref name="ids"/>, and which of them this node's own organisations own.</summary>
    private static async Task<(HashSet<(string, string)> Versions, HashSet<string> Ours)> HeldAsync(RibatDbContext db, List<string> ids, Guid localNode, CancellationToken cancellationToken)
    {
        var versions = new HashSet<(string, string)>();
        var ours = new HashSet<string>(StringComparer.Ordinal);
        foreach (var slice in ids.Chunk(500))
        {
            var found = await db.StixObjects.IgnoreQueryFilters().AsNoTracking()
                .Where(s => slice.Contains(s.StixId))
                .Select(s => new { s.StixId, s.Version, s.OwnerNode, s.Origin })
                .ToListAsync(cancellationToken);
            foreach (var f in found)
            {
                versions.Add((f.StixId, f.Version));
                versions.Add((f.StixId, string.Empty));
                if (f.OwnerNode is null || f.Origin == StixOrigin.Local)
                {
                    ours.Add(f.StixId);
                }
            }
        }

        // The current versions of this node's own indicators are their rows (ADR 0017).
        foreach (var served in await StoredVersions.ServedAsync(db, db.Indicators.IgnoreQueryFilters().AsNoTracking().Where(i => i.OwnerNode == null), ids, localNode, cancellationToken))
        {
            versions.Add((served.StixId, served.Version));
            versions.Add((served.StixId, string.Empty));
            ours.Add(served.StixId);
        }

        return (versions, ours);
    }

    /// <summary>One inbound delivery per new version: the time from its <c>modified</c> on the partner to its arrival here.</summary>
    private static void RecordInbound(RibatDbContext db, Guid partnerId, List<StixObjectRecord> rows, DateTimeOffset now)
    {
        db.Deliveries.AddRange(rows.Select(r => new Delivery
        {
            Id = Guid.CreateVersion7(),
            PartnerId = partnerId,
            Direction = DeliveryDirection.Inbound,
            StixId = r.StixId,
            Modified = r.Version,
            CreatedAt = r.VersionAt == default ? now : r.VersionAt,
            DeliveredAt = now,
        }));
    }

    private static IntakeResult Refuse(string? id, string reason) => new(id, null, IntakeState.Refused, reason.Length <= 500 ? reason : reason[..500] + "…");
}
