using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Incidents;

/// <summary>
/// Links an indicator or intelligence report the actor may see to an incident. Linking grants nothing: each
/// viewer sees a linked object only if the sharing policy lets them see the object itself.
/// </summary>
public sealed class LinkToIncident(SharingAccess sharing, AuditTrail audit, ReadIncidentWork read, IIncidentAlerts alerts, TimeProvider clock)
{
    public async Task<Result<IncidentLinkDto>> HandleAsync(Actor actor, Guid incidentId, IncidentLinkInput input, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await IncidentRules.FindAsync(session, incidentId, cancellationToken);
        if (row is null)
        {
            return Error.NotFound("The incident");
        }

        if (IncidentRules.RefuseContribution(actor, session, row) is { } refused)
        {
            return refused;
        }

        if (!Enum.TryParse<IncidentLinkKind>(input.Kind?.Trim(), ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || int.TryParse(input.Kind, out _))
        {
            return Error.Validation("kind", $"'{input.Kind}' is not something an incident links to (indicator, report).");
        }

        if (input.TargetId is not { } target)
        {
            return Error.Validation("targetId", "A link names the indicator or report.");
        }

        var visible = kind == IncidentLinkKind.Indicator
            ? await session.Db.Indicators.AnyAsync(i => i.Id == target, cancellationToken)
            : await session.Db.Reports.AnyAsync(r => r.Id == target, cancellationToken);
        if (!visible)
        {
            return Error.Validation("targetId", $"No {kind.ToString().ToLowerInvariant()} {target} that you may see.");
        }

        if (await session.Db.IncidentLinks.AnyAsync(l => l.IncidentId == row.Id && l.Kind == kind && l.TargetId == target, cancellationToken))
        {
            return Error.Conflict($"The {kind.ToString().ToLowerInvariant()} is already linked to the incident.");
        }

        var now = clock.GetUtcNow();
        var organisation = session.Organisation!.Value.Id;
        session.Db.IncidentLinks.Add(new IncidentLink { IncidentId = row.Id, Kind = kind, TargetId = target, OrganisationId = organisation, LinkedAt = now });
        IncidentRules.NoteAction(row, organisation, now);
        audit.Add(session.Db, actor, AuditEvents.IncidentLinked, organisation, "incident", row.Id.ToString(), new { kind = kind.ToString().ToLowerInvariant(), target });
        if (kind == IncidentLinkKind.Indicator && row.Severity == IncidentSeverity.Critical)
        {
            // Everyone else working a critical incident hears of a new indicator at once; they see its value only if they may see the indicator.
            var others = row.Participants.Select(p => p.OrganisationId).Append(row.OwnerOrganisationId).Where(o => o != organisation).ToList();
            await alerts.CriticalIndicatorAsync(session.Db, row, others, $"indicator {target}", cancellationToken);
        }

        await session.Db.SaveChangesAsync(cancellationToken);
        var links = await read.LinksAsync(actor, row.Id, cancellationToken);
        return links.Value!.First(l => l.TargetId == target);
    }
}

/// <summary>Removes a link; only the organisation that made it does.</summary>
public sealed class UnlinkFromIncident(SharingAccess sharing, AuditTrail audit)
{
    public async Task<Result<bool>> HandleAsync(Actor actor, Guid incidentId, Guid targetId, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await IncidentRules.FindAsync(session, incidentId, cancellationToken);
        var link = row is null ? null : await session.Db.IncidentLinks.FirstOrDefaultAsync(l => l.IncidentId == incidentId && l.TargetId == targetId, cancellationToken);
        if (row is null || link is null)
        {
            return Error.NotFound("The link");
        }

        if (link.OrganisationId != session.Organisation?.Id)
        {
            return Error.Forbidden("A link is removed only by the organisation that made it.");
        }

        if (IncidentRules.RefuseContribution(actor, session, row) is { } refused)
        {
            return refused;
        }

        session.Db.IncidentLinks.Remove(link);
        audit.Add(session.Db, actor, AuditEvents.IncidentUnlinked, link.OrganisationId, "incident", row.Id.ToString(), new { kind = link.Kind.ToString().ToLowerInvariant(), target = targetId });
        await session.Db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
