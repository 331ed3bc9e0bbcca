using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Incidents;

/// <summary>Publishes a draft situation report to everyone who sees the incident; the version is frozen from then on.</summary>
public sealed class PublishSitrep(SharingAccess sharing, AuditTrail audit, ReadIncidentWork read, TimeProvider clock)
{
    public async Task<Result<SitrepDto>> HandleAsync(Actor actor, Guid sitrepId, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var draft = await IncidentRules.OwnDraftAsync(actor, session, sitrepId, "published", s => $"Version {s.Version} is already published.", cancellationToken);
        if (draft.Error is { } refused)
        {
            return refused;
        }

        var (sitrep, row) = draft.Value;

        var now = clock.GetUtcNow();
        sitrep.State = SituationReportState.Published;
        sitrep.PublishedAt = now;
        sitrep.UpdatedAt = now;
        IncidentRules.NoteAction(row, sitrep.OrganisationId, now);
        audit.Add(session.Db, actor, AuditEvents.SitrepPublished, sitrep.OrganisationId, "incident", row.Id.ToString(), new { sitrep = sitrep.Id, version = sitrep.Version });
        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        await IncidentReplication.SitrepAsync(session.Db, row, sitrep, session.LocalNode, clock, cancellationToken);
        try
        {
            await session.Db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict("The draft changed meanwhile; read it again.");
        }

        await transaction.CommitAsync(cancellationToken);

        return await read.SitrepAsync(actor, sitrep.Id, cancellationToken);
    }
}
