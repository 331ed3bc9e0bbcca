using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Federation;
using Ribat.Core.Federation.Sync;
using Ribat.Core.Sharing;
using Ribat.Core.Tenancy;
using Ribat.Stix.Identifiers;
using Ribat.Stix.Model;

namespace Ribat.Core.Cooperation;

/// <summary>
/// The provider knowledge base between nodes. Each entry added or changed here (by hand or by import) adds a version
/// of <c>x-ribat-service-provider</c>, owned by the node operators' organisation, TLP:GREEN to connected
/// communities, so it reaches every partner whose egress rules allow that. A partner's entries are kept apart
/// (<see cref="PartnerProvider"/>), listed read-only with their node, and replaced only by a newer version from the
/// node that keeps them; an entry of this node is never changed by a partner.
/// </summary>
internal sealed class PartnerProviders(AuditTrail audit) : IPartnerObjects
{
    public const string StixType = "x-ribat-service-provider";

    public IReadOnlyCollection<string> StixTypes { get; } = [StixType];

    public static string StixId(Guid provider) => $"{StixType}--{provider}";

    /// <summary>
    /// Adds the entry's version as it stands now, in the caller's transaction. The knowledge base is the node's, kept by
    /// all its organisations, and which of them changed an entry is not shown to the others: the version is owned by the
    /// node operators' organisation. A node without one (renamed) keeps its entries to itself.
    /// </summary>
    public static async Task WriteAsync(RibatDbContext db, ProviderProfile row, Guid localNode, TimeProvider clock, CancellationToken cancellationToken)
    {
        var operators = await db.Organisations.IgnoreQueryFilters().AsNoTracking().Where(o => o.Name == Node.NodeBootstrap.OperatorsOrganisation)
            .Select(o => (Guid?)o.Id).FirstOrDefaultAsync(cancellationToken);
        if (operators is not { } owner)
        {
            return;
        }

        var previous = await StixMirror.LastVersionAsync(db, StixId(row.Id), cancellationToken);
        var modified = StixMirror.NextModified(clock.GetUtcNow(), previous);
        var created = await db.StixObjects.IgnoreQueryFilters().AsNoTracking().Where(s => s.StixId == StixId(row.Id))
            .OrderBy(s => s.VersionAt).Select(s => s.Version).FirstOrDefaultAsync(cancellationToken) ?? modified;
        var stix = new JsonObject
        {
            ["type"] = StixType,
            ["spec_version"] = "2.1",
            ["id"] = StixId(row.Id),
            ["created"] = created,
            ["modified"] = modified,
            ["provider_name"] = row.Name,
            ["country"] = row.Country,
            ["provider_kind"] = row.Kind.Spell(),
        };
        foreach (var (name, value) in new[]
        {
            ("legal_basis", row.LegalBasis), ("data_types", row.DataTypes), ("retention", row.Retention),
            ("emergency_contact", row.EmergencyContact), ("request_channel", row.RequestChannel), ("notes", row.Notes),
        })
        {
            if (value is not null)
            {
                stix[name] = value;
            }
        }

        await StixMirror.CustomAsync(db, stix, new SharingTerms(new OrganisationRef(owner, localNode), Tlp.Green, Pap.Green, Distribution.ConnectedCommunities), null, localNode, clock, cancellationToken);
    }

    public async Task<string?> ReceiveAsync(RibatDbContext db, PartnerObject received, CancellationToken cancellationToken)
    {
        var stix = received.Stix;
        if (!StixIdentifier.TrySplit(StixIntake.Text(stix, "id"), out _, out var id))
        {
            return $"id must be {StixType}--<uuid>";
        }

        if (await db.ProviderProfiles.IgnoreQueryFilters().AnyAsync(p => p.Id == id, cancellationToken))
        {
            return "this entry is kept by this node; a partner never changes it";
        }

        var held = await db.PartnerProviders.IgnoreQueryFilters().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (held is not null && held.NodeId != received.Partner.NodeId)
        {
            return $"entry {id} is kept by another node; a partner changes only the entries its own node keeps";
        }

        if (StixIntake.Text(stix, "modified") is not { } text || !StixTimestamp.TryParse(text, out var stamp, out _))
        {
            return "modified must be a STIX timestamp";
        }

        var modified = new DateTimeOffset(stamp.UtcDateTime);
        if (held is not null && held.Modified >= modified)
        {
            return null;
        }

        string? Field(string name) => stix.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        foreach (var name in new[] { "provider_name", "country", "provider_kind", "legal_basis", "data_types", "retention", "emergency_contact", "request_channel", "notes" })
        {
            if (stix.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.String)
            {
                return $"{name} must be text";
            }
        }

        var v = new Validation();
        var entry = ProviderKnowledge.Check(new ProviderInput(Field("provider_name"), Field("country"), Field("provider_kind") ?? "(none)", Field("legal_basis"), Field("data_types"),
            Field("retention"), Field("emergency_contact"), Field("request_channel"), Field("notes")), string.Empty, v);
        if (entry is null)
        {
            return string.Join("; ", v.ToError().Fields!.Select(f => $"{f.Key}: {f.Value[0]}"));
        }

        var added = held is null;
        held ??= new PartnerProvider { Id = id, NodeId = received.Partner.NodeId, Name = entry.Name, Country = entry.Country };
        held.PartnerId = received.Partner.Id;
        held.OrganisationId = received.Terms.Owner.Id;
        held.Name = entry.Name;
        held.Country = entry.Country;
        held.Kind = entry.Kind;
        held.LegalBasis = entry.LegalBasis;
        held.DataTypes = entry.DataTypes;
        held.Retention = entry.Retention;
        held.EmergencyContact = entry.EmergencyContact;
        held.RequestChannel = entry.RequestChannel;
        held.Notes = entry.Notes;
        held.Modified = modified;
        held.ReceivedAt = received.Now;
        if (added)
        {
            db.PartnerProviders.Add(held);
        }

        audit.Add(db, new Actor(null, $"partner node {received.Partner.Name}", null, new HashSet<string>()), AuditEvents.PartnerProviderReceived, null, "provider", id.ToString(),
            new { partner = received.Partner.Id, node = received.Partner.NodeId, organisation = received.Terms.Owner.Id, entry.Name, what = added ? "added" : "changed" });
        return null;
    }

    /// <summary>Enabled partners' entries, as listed beside this node's: read-only, marked with their node.</summary>
    public static async Task<List<ProviderDto>> ListAsync(RibatDbContext db, AddresseeKind? kind, string? search, CancellationToken cancellationToken)
    {
        var rows = from p in db.PartnerProviders.AsNoTracking()
                   join partner in db.Partners.IgnoreQueryFilters().AsNoTracking() on p.PartnerId equals partner.Id
                   where partner.Enabled && partner.NodeId == p.NodeId
                   select p;
        if (kind is { } k)
        {
            rows = rows.Where(p => p.Kind == k);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            var text = search.Trim().ToLowerInvariant();
            rows = rows.Where(p => p.Name.ToLower().Contains(text));
        }

        var found = await rows.OrderBy(p => p.Name).Take(ProviderKnowledge.MaxEntries).ToListAsync(cancellationToken);
        return found.Select(p => new ProviderDto(p.Id, p.Name, p.Country, p.Kind.Spell(), p.LegalBasis, p.DataTypes, p.Retention, p.EmergencyContact, p.RequestChannel, p.Notes,
            p.Modified, new TurnaroundSeen(0, 0, null), p.NodeId)).ToList();
    }
}
