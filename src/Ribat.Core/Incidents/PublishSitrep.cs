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
        var sitrep = await session.Db.SituationReports.FirstOrDefaultAsync(s => s.Id == sitrepId, cancellationToken);
        if (sitrep is null || await IncidentRules.FindAsync(session, sitrep.IncidentId, cancellationToken) is not { } row)
        {
            return Error.NotFound("The situation report");
        }

        if (sitrep.OrganisationId != session.Organisation?.Id || sitrep.OrganisationNode is not null)
        {
            return Error.Forbidden("A situation report is published only by the organisation that wrote it.");
        }

        if (IncidentRules.RefuseContribution(actor, session, row) is { } refused)
        {
            return refused;
        }

        if (sitrep.State != SituationReportState.Draft)
        {
            return Error.Conflict($"Version {sitrep.Version} is already published.");
        }

        var now = clock.GetUtcNow();
        sitrep.State = SituationReportState.Published;
        sitrep.PublishedAt = now;
        sitrep.UpdatedAt = now;
        IncidentRules.NoteAction(row, sitrep.OrganisationId, now);
        audit.Add(session.Db, actor, AuditEvents.SitrepPublished, sitrep.OrganisationId, "incident", row.Id.ToString(), new { sitrep = sitrep.Id, version = sitrep.Version });
        try
        {
            await session.Db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict("The draft changed meanwhile; read it again.");
        }

        return await read.SitrepAsync(actor, sitrep.Id, cancellationToken);
    }
}
