using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Incidents;

/// <summary>
/// Replaces an incident's content, participants and terms (lead only). Organisations that join are told at once;
/// an incident that has ended is reopened before it changes.
/// </summary>
public sealed class UpdateIncident(SharingAccess sharing, AuditTrail audit, ReadIncidents read, IIncidentAlerts alerts, TimeProvider clock)
{
    public async Task<Result<IncidentDto>> HandleAsync(Actor actor, Guid id, IncidentInput input, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await IncidentRules.FindAsync(session, id, cancellationToken);
        if (row is null)
        {
            return Error.NotFound("The incident");
        }

        if (row.OwnerOrganisationId != session.Organisation?.Id)
        {
            return Error.Forbidden("Only the organisation that leads an incident changes it.");
        }

        if (IncidentRules.RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        if (!IncidentStatusMachine.IsOpen(row.Status))
        {
            return Error.Conflict($"The incident is {row.Status.Spell()}; reopen it before changing it.");
        }

        var now = clock.GetUtcNow();
        var grants = await session.Db.ShareGrants.Where(g => g.ObjectId == id).ToListAsync(cancellationToken);
        var current = SharedColumns.ToTerms(row, grants, session.LocalNode);
        var v = await IncidentRules.ValidateAsync(session.Db, input, opening: false, now, cancellationToken);
        var nodes = await Federation.Sync.PartnerRecipients.NodesAsync(session.Db, input.Participants ?? [], cancellationToken);
        var terms = IncidentRules.ResolveTerms(input, current.Owner, current, row.Participants.Select(p => p.OrganisationId).ToList(), nodes, v);
        if (!v.IsValid)
        {
            return v.ToError();
        }

        if (terms.Error is { } badTerms)
        {
            return badTerms;
        }

        if (await SharingGroupCheck.RequireUsableAsync(session.Db, terms.Value!, row.OwnerOrganisationId, cancellationToken) is { } badGroup)
        {
            return badGroup;
        }

        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        IncidentRules.Apply(row, input, now);
        SharedColumns.Apply(row, terms.Value!, session.LocalNode);
        var removed = input.Participants is { } kept
            ? row.Participants.Where(p => p.OrganisationNode is not null && !kept.Contains(p.OrganisationId)).Select(p => new OrganisationRef(p.OrganisationId, p.OrganisationNode!.Value)).ToList()
            : [];
        var joined = input.Participants is { } participants ? IncidentRules.SyncParticipants(row, participants, now, o => nodes.TryGetValue(o, out var n) ? n : null) : [];
        session.Db.ShareGrants.RemoveRange(grants);
        session.Db.ShareGrants.AddRange(SharedColumns.Grants(row.Id, terms.Value!, session.LocalNode, now));
        await Evidence.EvidenceParents.AlignAsync(session, Evidence.EvidenceParent.OfIncident(row.Id), terms.Value!, now, cancellationToken);
        audit.Add(session.Db, actor, AuditEvents.IncidentUpdated, row.OwnerOrganisationId, "incident", row.Id.ToString(),
            new { severity = row.Severity.Spell(), tlp = row.Tlp.Spell(), participants = row.Participants.Count, joined = joined.Count });
        // Organisations on partner nodes hear of it on their own node, when the incident arrives there.
        await alerts.SharedAsync(session.Db, row, joined.Where(o => !nodes.ContainsKey(o)).ToList(), cancellationToken);
        await IncidentReplication.IncidentAsync(session.Db, row, actor.UserId, session.LocalNode, clock, cancellationToken, removed);
        try
        {
            await session.Db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict("The incident changed meanwhile; read it again.");
        }

        await transaction.CommitAsync(cancellationToken);
        return await read.GetAsync(actor, row.Id, cancellationToken);
    }
}
