using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Incidents;

/// <summary>Opens an incident led by the actor's organisation, in status reported; participants are told at once.</summary>
public sealed class OpenIncident(SharingAccess sharing, AuditTrail audit, ReadIncidents read, IIncidentAlerts alerts, TimeProvider clock)
{
    public async Task<Result<IncidentDto>> HandleAsync(Actor actor, IncidentInput input, CancellationToken cancellationToken = default) =>
        await HandleAsync(actor, input, exerciseId: null, cancellationToken);

    internal async Task<Result<IncidentDto>> HandleAsync(Actor actor, IncidentInput input, Guid? exerciseId, CancellationToken cancellationToken)
    {
        if (IncidentRules.RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (session.Organisation is not { } owner)
        {
            return Error.Forbidden("Incidents are led by an organisation; this actor belongs to none.");
        }

        var now = clock.GetUtcNow();
        var v = await IncidentRules.ValidateAsync(session.Db, input, opening: true, now, cancellationToken);
        var nodes = await Federation.Sync.PartnerRecipients.NodesAsync(session.Db, input.Participants ?? [], cancellationToken);
        var terms = IncidentRules.ResolveTerms(input, owner, null, null, nodes, v);
        if (!v.IsValid)
        {
            return v.ToError();
        }

        if (terms.Error is { } badTerms)
        {
            return badTerms;
        }

        if (await SharingGroupCheck.RequireUsableAsync(session.Db, terms.Value!, owner.Id, cancellationToken) is { } badGroup)
        {
            return badGroup;
        }

        var id = Guid.CreateVersion7();
        var row = new Incident
        {
            Id = id,
            StixId = IncidentRules.StixId("incident", id),
            Title = string.Empty,
            Category = string.Empty,
            Status = IncidentStatus.Reported,
            StatusChangedAt = now,
            ReportedAt = now,
            IsExercise = exerciseId is not null,
            ExerciseId = exerciseId,
            CreatedBy = actor.UserId,
            CreatedAt = now,
        };
        IncidentRules.Apply(row, input, now);
        SharedColumns.Apply(row, terms.Value!, session.LocalNode);
        var joined = IncidentRules.SyncParticipants(row, input.Participants ?? [], now, o => nodes.TryGetValue(o, out var n) ? n : null);
        session.Db.Incidents.Add(row);
        session.Db.ShareGrants.AddRange(SharedColumns.Grants(row.Id, terms.Value!, session.LocalNode, now));
        audit.Add(session.Db, actor, AuditEvents.IncidentOpened, owner.Id, "incident", row.Id.ToString(),
            new { category = row.Category, severity = row.Severity.Spell(), tlp = row.Tlp.Spell(), participants = row.Participants.Count });
        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        // Organisations on partner nodes hear of it on their own node, when the incident arrives there.
        await alerts.SharedAsync(session.Db, row, joined.Where(o => !nodes.ContainsKey(o)).ToList(), cancellationToken);
        await IncidentReplication.IncidentAsync(session.Db, row, actor.UserId, session.LocalNode, clock, cancellationToken);
        await session.Db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await read.GetAsync(actor, row.Id, cancellationToken);
    }
}
