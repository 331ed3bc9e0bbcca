using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Notifications;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Incidents;

/// <summary>
/// A participant organisation acknowledges that it was brought into an incident: the first acknowledgement stops
/// its "time to acknowledge" clock; later ones change nothing.
/// </summary>
public sealed class AcknowledgeIncident(SharingAccess sharing, AuditTrail audit, ReadIncidents read, Notifier notifier, TimeProvider clock)
{
    public async Task<Result<IncidentDto>> HandleAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await IncidentRules.FindAsync(session, id, cancellationToken);
        if (row is null)
        {
            return Error.NotFound("The incident");
        }

        var participant = row.Participants.FirstOrDefault(p => p.OrganisationId == session.Organisation?.Id);
        if (participant is null)
        {
            return Error.Forbidden("Only a participant organisation acknowledges an incident shared with it.");
        }

        if (IncidentRules.RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        if (participant.AcknowledgedAt is null)
        {
            var now = clock.GetUtcNow();
            participant.AcknowledgedAt = now;
            participant.AcknowledgedBy = actor.UserId;
            audit.Add(session.Db, actor, AuditEvents.IncidentAcknowledged, participant.OrganisationId, "incident", row.Id.ToString(),
                new { seconds = (long)(now - participant.JoinedAt).TotalSeconds });
            await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);

            // The alerts about the incident are answered by acknowledging the incident itself.
            await notifier.SettleAsync(session.Db, participant.OrganisationId, "incident", row.Id.ToString(), actor.UserId, cancellationToken);
            await IncidentReplication.AcknowledgementAsync(session.Db, row, participant, session.LocalNode, clock, cancellationToken);
            await session.Db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return await read.GetAsync(actor, row.Id, cancellationToken);
    }
}
