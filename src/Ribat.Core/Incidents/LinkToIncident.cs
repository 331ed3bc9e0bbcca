using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Indicators;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;
using Ribat.Forensics.Ioc;

namespace Ribat.Core.Incidents;

/// <summary>
/// Links to an incident an indicator or intelligence report the actor may see (here, or held here from a partner's
/// node), or a typed value that is the incident's own observable. Linking an indicator or report grants nothing: each
/// viewer, on each node, sees it only if the sharing policy lets them see the object itself. A value is not written
/// into the indicator store; it is seen exactly when the incident is. The link leaves for the other participants'
/// nodes as the linking organisation's <c>x-ribat-incident-link</c> (ADR 0014).
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

        if (!IncidentLinkKinds.TryParse(input.Kind, out var kind))
        {
            return Error.Validation("kind", $"'{input.Kind}' is not something an incident links to ({IncidentLinkKinds.Choices}).");
        }

        var organisation = session.Organisation!.Value.Id;
        var id = Guid.CreateVersion7();
        var link = new IncidentLink
        {
            Id = id,
            StixId = IncidentRules.StixId(IncidentRules.LinkType, id),
            IncidentId = row.Id,
            Kind = kind,
            OrganisationId = organisation,
            LinkedBy = actor.UserId,
            LinkedAt = clock.GetUtcNow(),
        };
        var target = kind == IncidentLinkKind.Value ? LinkValue(input, link) : await LinkTargetAsync(session, input, link, cancellationToken);
        if (target is { } invalid)
        {
            return invalid;
        }

        var held = session.Db.IncidentLinks.Where(l => l.IncidentId == row.Id && l.OrganisationId == organisation && l.OrganisationNode == null && l.Kind == kind);
        if (kind == IncidentLinkKind.Value
                ? await held.AnyAsync(l => l.ValueType == link.ValueType && l.Value == link.Value, cancellationToken)
                : await held.AnyAsync(l => l.TargetStixId == link.TargetStixId || (link.TargetId != null && l.TargetId == link.TargetId), cancellationToken))
        {
            return Error.Conflict($"Your organisation already linked this {IncidentLinkKinds.Spell(kind)} to the incident.");
        }

        session.Db.IncidentLinks.Add(link);
        IncidentRules.NoteAction(row, organisation, link.LinkedAt);
        audit.Add(session.Db, actor, AuditEvents.IncidentLinked, organisation, "incident", row.Id.ToString(),
            new { link = link.StixId, kind = IncidentLinkKinds.Spell(kind), target = link.TargetStixId, type = link.ValueType });
        if (kind != IncidentLinkKind.Report && row.Severity == IncidentSeverity.Critical)
        {
            // Everyone else working a critical incident hears of a new indicator at once; they see an indicator's value
            // only if they may see the indicator, a value link's value because it is the incident's own.
            var others = row.Participants.Select(p => p.OrganisationId).Append(row.OwnerOrganisationId).Where(o => o != organisation).ToList();
            var named = kind == IncidentLinkKind.Value ? $"{link.ValueType} {link.Value}" : link.TargetStixId!;
            await alerts.CriticalIndicatorAsync(session.Db, row, others, named, cancellationToken);
        }

        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        await IncidentReplication.LinkAsync(session.Db, row, link, revoked: false, actor.UserId, session.LocalNode, clock, cancellationToken);
        await session.Db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var links = await read.LinksAsync(actor, row.Id, cancellationToken);
        return links.Value!.First(l => l.Id == link.Id);
    }

    /// <summary>A value checked and made canonical by the indicator store's rules (defanged input refanged); rules are indicators, not values.</summary>
    private static Error? LinkValue(IncidentLinkInput input, IncidentLink link)
    {
        if (input.TargetId is not null)
        {
            return Error.Validation("targetId", "A value link names a type and a value, not an indicator or report.");
        }

        var type = input.Type?.Trim();
        if (string.IsNullOrEmpty(type))
        {
            return Error.Validation("type", "A value link needs the value's type.");
        }

        if (RuleTypes.IsRule(type.ToLowerInvariant()))
        {
            return Error.Validation("type", "A detection rule is linked as an indicator, not as a value.");
        }

        if (!ObservableTypeNames.TryParse(type, out _))
        {
            return Error.Validation("type", $"'{StixFieldReader.Shorten(type)}' is not a value type ({IncidentLinkKinds.ValueTypes}).");
        }

        if (string.IsNullOrWhiteSpace(input.Value))
        {
            return Error.Validation("value", "A value link needs a value.");
        }

        if (!IndicatorTypes.TryCanonicalise(type, input.Value, out var canonical, out var reason))
        {
            return Error.Validation("value", Sentence(reason));
        }

        link.ValueType = canonical!.Type;
        link.Value = canonical.Value;
        return null;
    }

    private static string Sentence(string reason) => reason.Length == 0 ? reason : char.ToUpperInvariant(reason[0]) + reason[1..];

    /// <summary>
    /// The indicator or report the actor may see, as a row of this node or as a STIX object held here from a partner;
    /// recorded by its STIX id, so the link names the same object on every node.
    /// </summary>
    private static async Task<Error?> LinkTargetAsync(ContentSession session, IncidentLinkInput input, IncidentLink link, CancellationToken cancellationToken)
    {
        if (input.Type is not null || input.Value is not null)
        {
            return Error.Validation("value", $"An {IncidentLinkKinds.Spell(link.Kind)} link names the {IncidentLinkKinds.Spell(link.Kind)} (targetId), not a value.");
        }

        if (input.TargetId is not { } target)
        {
            return Error.Validation("targetId", "A link names the indicator or report.");
        }

        var stixType = link.Kind == IncidentLinkKind.Indicator ? "indicator" : "report";
        var db = session.Db;
        var row = link.Kind == IncidentLinkKind.Indicator
            ? await db.Indicators.AnyAsync(i => i.Id == target, cancellationToken)
            : await db.Reports.AnyAsync(r => r.Id == target, cancellationToken);
        if (row)
        {
            // A row recorded from an imported STIX object keeps that object's id; one of ours is mirrored under its own.
            link.TargetId = target;
            link.TargetStixId = await db.StixObjects.IgnoreQueryFilters().AsNoTracking().Where(s => s.RibatObjectId == target && s.Type == stixType)
                .Select(s => s.StixId).FirstOrDefaultAsync(cancellationToken) ?? IncidentRules.StixId(stixType, target);
            return null;
        }

        var stixId = IncidentRules.StixId(stixType, target);
        if (await db.StixObjects.AnyAsync(s => s.StixId == stixId, cancellationToken))
        {
            link.TargetStixId = stixId;
            return null;
        }

        return Error.Validation("targetId", $"No {stixType} {target} that you may see.");
    }
}

/// <summary>
/// Removes a link; only the organisation that made it does. Its removal leaves for the other participants' nodes as
/// the link's revoked version.
/// </summary>
public sealed class UnlinkFromIncident(SharingAccess sharing, AuditTrail audit, TimeProvider clock)
{
    /// <param name="linkId">The link's id, or the id of the indicator or report it links (the caller's organisation's link first).</param>
    public async Task<Result<bool>> HandleAsync(Actor actor, Guid incidentId, Guid linkId, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await IncidentRules.FindAsync(session, incidentId, cancellationToken);
        var own = session.Organisation?.Id;
        var link = row is null ? null
            : await session.Db.IncidentLinks.Where(l => l.IncidentId == incidentId && (l.Id == linkId || l.TargetId == linkId))
                .OrderByDescending(l => l.Id == linkId).ThenByDescending(l => l.OrganisationId == own && l.OrganisationNode == null)
                .FirstOrDefaultAsync(cancellationToken);
        if (row is null || link is null)
        {
            return Error.NotFound("The link");
        }

        if (link.OrganisationId != own || link.OrganisationNode is not null)
        {
            return Error.Forbidden("A link is removed only by the organisation that made it.");
        }

        if (IncidentRules.RefuseContribution(actor, session, row) is { } refused)
        {
            return refused;
        }

        session.Db.IncidentLinks.Remove(link);
        audit.Add(session.Db, actor, AuditEvents.IncidentUnlinked, link.OrganisationId, "incident", row.Id.ToString(),
            new { link = link.StixId, kind = IncidentLinkKinds.Spell(link.Kind), target = link.TargetStixId, type = link.ValueType });
        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        await IncidentReplication.LinkAsync(session.Db, row, link, revoked: true, actor.UserId, session.LocalNode, clock, cancellationToken);
        await session.Db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
