using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Data;
using Ribat.Core.Federation.Sync;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cases.Joint;

/// <summary>
/// Keeps what partners send of joint investigations: a case led there (<c>x-ribat-case</c>) becomes a
/// <see cref="JointCase"/>, an entry a member wrote (<c>x-ribat-case-entry</c>) a <see cref="JointEntry"/>. Every field
/// is checked and a bad one refuses the whole object with its reason; only the lead changes a case and only the
/// writer changes an entry; a version no newer than the one held is ignored.
/// </summary>
internal sealed class JointCaseObjects(AuditTrail audit) : IPartnerObjects
{
    public IReadOnlyCollection<string> StixTypes { get; } = [JointRules.CaseType, JointRules.EntryType];

    public Task<string?> ReceiveAsync(RibatDbContext db, PartnerObject received, CancellationToken cancellationToken) =>
        JointRules.Text(received.Stix, "type") == JointRules.CaseType ? CaseAsync(db, received, cancellationToken) : EntryAsync(db, received, cancellationToken);

    private async Task<string?> CaseAsync(RibatDbContext db, PartnerObject received, CancellationToken cancellationToken)
    {
        var stix = received.Stix;
        if (JointWire.ReadCase(stix, out var why) is not { } wire)
        {
            return why;
        }

        if (!received.Terms.Recipients.Any(r => r.Node == received.LocalNode))
        {
            return "the case names no organisation of this node as a member of its joint investigation";
        }

        if (await db.Cases.IgnoreQueryFilters().AnyAsync(c => c.Id == wire.Id, cancellationToken))
        {
            return "this node leads a case with this id; a partner never changes it";
        }

        var row = await db.JointCases.IgnoreQueryFilters().FirstOrDefaultAsync(c => c.Id == wire.Id, cancellationToken);
        var owner = received.Terms.Owner;
        if (row is not null && (row.OwnerOrganisationId != owner.Id || row.OwnerNode != owner.Node))
        {
            return "the case is led by another organisation; only its lead sends its versions";
        }

        if (row is not null && row.ModifiedAt >= wire.Modified)
        {
            return null;
        }

        if (row is null)
        {
            row = new JointCase { Id = wire.Id, Title = wire.Title, Status = wire.Status, Modified = string.Empty };
            db.JointCases.Add(row);
        }

        row.PartnerId = received.Partner.Id;
        row.Title = wire.Title;
        row.Offences = wire.Offences;
        row.NationalCategories = wire.NationalCategories;
        row.Status = wire.Status;
        row.LeadInvestigator = wire.LeadInvestigator;
        row.MembersJson = JsonSerializer.Serialize(wire.Members, JointWire.Json);
        // A withdrawal keeps the evidence list last sent: the partner's record of what it was shown.
        row.EvidenceJson = wire.Withdrawn ? row.EvidenceJson : JsonSerializer.Serialize(wire.Evidence, JointWire.Json);
        row.WithdrawnAt = wire.Withdrawn ? received.Now : null;
        row.Modified = JointRules.Text(stix, "modified")!;
        row.ModifiedAt = wire.Modified;
        row.ReceivedAt = received.Now;
        await ReplaceTermsAsync(db, row, received, cancellationToken);
        audit.Add(db, Actor.System($"partner sync ({received.Partner.Name})"), wire.Withdrawn ? AuditEvents.JointCaseWithdrawn : AuditEvents.JointCaseReceived,
            null, "joint-case", row.Id.ToString(), new { partner = received.Partner.Id, status = row.Status, evidence = wire.Evidence.Count });
        return null;
    }

    private async Task<string?> EntryAsync(RibatDbContext db, PartnerObject received, CancellationToken cancellationToken)
    {
        if (JointWire.ReadEntry(received.Stix, out var why) is not { } wire)
        {
            return why;
        }

        var writer = received.Terms.Owner;
        if (await MembersAsync(db, wire.CaseId, received.LocalNode, cancellationToken) is not { } members)
        {
            return $"the entry belongs to joint investigation {wire.CaseId}, which this node does not hold";
        }

        if (!members.Contains(writer))
        {
            return "the organisation that wrote the entry is not a member of the joint investigation";
        }

        if (!received.Terms.Recipients.Any(r => r.Node == received.LocalNode && members.Contains(r)))
        {
            return "the entry names no member organisation of this node among its recipients";
        }

        var row = await db.JointEntries.IgnoreQueryFilters().FirstOrDefaultAsync(e => e.Id == wire.Id, cancellationToken);
        if (row is not null && (row.OwnerOrganisationId != writer.Id || (row.OwnerNode ?? received.LocalNode) != writer.Node || row.CaseId != wire.CaseId))
        {
            return "an entry is changed only by the organisation that wrote it, in its own case";
        }

        if (row is not null && row.ModifiedAt >= wire.Modified)
        {
            return null;
        }

        if (row is null)
        {
            row = new JointEntry { Id = wire.Id, CaseId = wire.CaseId, Text = wire.Text, Modified = string.Empty, CreatedAt = received.Now };
            db.JointEntries.Add(row);
        }

        row.PartnerId = received.Partner.Id;
        row.Kind = wire.Kind;
        row.Text = wire.Text;
        row.OccurredAt = wire.OccurredAt;
        row.AuthorName = wire.Author;
        row.Modified = JointRules.Text(received.Stix, "modified")!;
        row.ModifiedAt = wire.Modified;
        await ReplaceTermsAsync(db, row, received, cancellationToken);
        audit.Add(db, Actor.System($"partner sync ({received.Partner.Name})"), AuditEvents.JointEntryReceived, null, "joint-entry", row.Id.ToString(),
            new { caseId = wire.CaseId, partner = received.Partner.Id, kind = wire.Kind.Spell() });
        return null;
    }

    /// <summary>The members of a joint investigation this node holds: the lead's own case here, or a case a partner leads.</summary>
    private static async Task<HashSet<OrganisationRef>?> MembersAsync(RibatDbContext db, Guid caseId, Guid localNode, CancellationToken cancellationToken)
    {
        var led = await db.Cases.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(c => c.Id == caseId, cancellationToken);
        if (led is not null)
        {
            var grants = await db.ShareGrants.AsNoTracking().Where(g => g.ObjectId == caseId).ToListAsync(cancellationToken);
            var terms = SharedColumns.ToTerms(led, grants, localNode);
            return [terms.Owner, .. terms.Recipients];
        }

        var held = await db.JointCases.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(c => c.Id == caseId && c.WithdrawnAt == null, cancellationToken);
        return held is null ? null : JointPublication.Members(held.MembersJson).Select(m => new OrganisationRef(m.Organisation, m.Node)).ToHashSet();
    }

    private static async Task ReplaceTermsAsync(RibatDbContext db, ISharedObject row, PartnerObject received, CancellationToken cancellationToken)
    {
        SharedColumns.Apply(row, received.Terms, received.LocalNode);
        var old = await db.ShareGrants.Where(g => g.ObjectId == row.Id).ToListAsync(cancellationToken);
        db.ShareGrants.RemoveRange(old);
        db.ShareGrants.AddRange(SharedColumns.Grants(row.Id, received.Terms, received.LocalNode, received.Now));
    }
}
