using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;
using Ribat.Core.Federation;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;

namespace Ribat.Core.Incidents;

/// <summary>
/// Writes a new STIX version of an incident, or of what one organisation added to it, into the STIX store in the
/// caller's transaction, so that the partner sync carries it to the nodes of the incident's organisations. A node
/// writes only what its own organisations wrote: the lead's node the incident, and each node its organisations'
/// entries, tasks, progress, situation reports, acknowledgements and links, addressed to every other organisation of the
/// incident (ADR 0014).
/// </summary>
internal static class IncidentReplication
{
    /// <summary>The incident's terms as they stand in this transaction (grants saved or just added).</summary>
    public static async Task<SharingTerms> TermsAsync(RibatDbContext db, Incident row, Guid localNode, CancellationToken cancellationToken)
    {
        var grants = await db.ShareGrants.IgnoreQueryFilters().AsNoTracking().Where(g => g.ObjectId == row.Id).ToListAsync(cancellationToken);
        var tracked = db.ChangeTracker.Entries<ShareGrant>().Where(e => e.Entity.ObjectId == row.Id).ToList();
        if (tracked.Count > 0)
        {
            // Within the change, what the change tracker holds is the truth: added grants count, removed ones do not.
            var removed = tracked.Where(e => e.State == EntityState.Deleted).Select(e => (e.Entity.Kind, e.Entity.OrganisationId)).ToHashSet();
            grants = grants.Where(g => !removed.Contains((g.Kind, g.OrganisationId))).ToList();
            grants.AddRange(tracked.Where(e => e.State == EntityState.Added).Select(e => e.Entity));
        }

        return SharedColumns.ToTerms(row, grants, localNode);
    }

    /// <summary>
    /// The terms of something <paramref name="writer"/> adds to the incident: the incident's own terms when the lead
    /// writes; otherwise the incident's marking and handling, owned by the writer and addressed to the lead and the
    /// other participants only (they, and only they, work the incident together).
    /// </summary>
    public static SharingTerms PartTerms(Incident row, SharingTerms incident, Guid writer, Guid localNode)
    {
        if (writer == row.OwnerOrganisationId && row.OwnerNode is null)
        {
            return incident;
        }

        var recipients = row.Participants.Select(p => new OrganisationRef(p.OrganisationId, p.OrganisationNode ?? localNode))
            .Append(new OrganisationRef(row.OwnerOrganisationId, row.OwnerNode ?? localNode))
            .Where(o => o.Id != writer)
            .ToHashSet();
        return new SharingTerms(new OrganisationRef(writer, localNode), incident.Tlp, incident.Pap, Distribution.OrganisationOnly,
            incident.Handling, incident.HandlingConditions, incident.Evaluation)
        { Recipients = recipients };
    }

    /// <summary>
    /// The incident as its lead wrote it. Organisations of partner nodes the change just removed (<paramref name="removed"/>)
    /// are addressed by this version only: their node learns that they no longer take part and keeps its copy as it
    /// stood then, read-only for them; later versions no longer reach it.
    /// </summary>
    public static async Task IncidentAsync(
        RibatDbContext db, Incident row, Guid? createdBy, Guid localNode, TimeProvider clock, CancellationToken cancellationToken, IReadOnlyCollection<OrganisationRef>? removed = null)
    {
        var terms = await TermsAsync(db, row, localNode, cancellationToken);
        if (removed is { Count: > 0 })
        {
            terms = terms with { Recipients = terms.Recipients.Union(removed).ToHashSet() };
        }

        var mergedInto = row.MergedIntoId is { } target ? IncidentRules.StixId("incident", target) : null;
        await WriteAsync(db, IncidentStix.Incident(row, localNode, mergedInto), terms, createdBy, localNode, clock, cancellationToken);
    }

    public static async Task EntryAsync(RibatDbContext db, Incident row, TimelineEntry entry, Guid localNode, TimeProvider clock, CancellationToken cancellationToken)
    {
        var terms = PartTerms(row, await TermsAsync(db, row, localNode, cancellationToken), entry.OrganisationId, localNode);
        await WriteAsync(db, IncidentStix.Entry(entry, row.StixId, localNode), terms, entry.AuthorUserId, localNode, clock, cancellationToken);
    }

    /// <summary>A task as its author wrote it, or — when <paramref name="writer"/> is its assignee — the assignee's progress on it.</summary>
    public static async Task TaskAsync(RibatDbContext db, Incident row, IncidentTask task, Guid writer, Guid? createdBy, Guid localNode, TimeProvider clock, CancellationToken cancellationToken)
    {
        var terms = PartTerms(row, await TermsAsync(db, row, localNode, cancellationToken), writer, localNode);
        var stix = writer == task.OrganisationId && task.OrganisationNode is null
            ? IncidentStix.Task(task, row.StixId, localNode)
            : IncidentStix.Progress(task, row.StixId, writer, localNode);
        await WriteAsync(db, stix, terms, createdBy, localNode, clock, cancellationToken);
    }

    public static async Task SitrepAsync(RibatDbContext db, Incident row, SituationReport sitrep, Guid localNode, TimeProvider clock, CancellationToken cancellationToken)
    {
        var terms = PartTerms(row, await TermsAsync(db, row, localNode, cancellationToken), sitrep.OrganisationId, localNode);
        await WriteAsync(db, IncidentStix.Sitrep(sitrep, row.StixId, localNode), terms, sitrep.AuthorUserId, localNode, clock, cancellationToken);
    }

    public static async Task AcknowledgementAsync(RibatDbContext db, Incident row, IncidentParticipant participant, Guid localNode, TimeProvider clock, CancellationToken cancellationToken)
    {
        var terms = PartTerms(row, await TermsAsync(db, row, localNode, cancellationToken), participant.OrganisationId, localNode);
        await WriteAsync(db, IncidentStix.Acknowledgement(row.StixId, participant, localNode), terms, participant.AcknowledgedBy, localNode, clock, cancellationToken);
    }

    /// <summary>A link its organisation made, or — <paramref name="revoked"/> — removed.</summary>
    public static async Task LinkAsync(RibatDbContext db, Incident row, IncidentLink link, bool revoked, Guid? createdBy, Guid localNode, TimeProvider clock, CancellationToken cancellationToken)
    {
        var terms = PartTerms(row, await TermsAsync(db, row, localNode, cancellationToken), link.OrganisationId, localNode);
        await WriteAsync(db, IncidentStix.Link(link, row.StixId, localNode, revoked), terms, createdBy, localNode, clock, cancellationToken);
    }

    private static async Task WriteAsync(RibatDbContext db, JsonObject stix, SharingTerms terms, Guid? createdBy, Guid localNode, TimeProvider clock, CancellationToken cancellationToken)
    {
        var id = (string)stix["id"]!;
        var previous = await StixMirror.LastVersionAsync(db, id, cancellationToken);
        stix["modified"] = StixMirror.NextModified(clock.GetUtcNow(), previous);
        await StixMirror.CustomAsync(db, stix, terms, createdBy, localNode, clock, cancellationToken);
    }
}
