using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Incidents;

/// <summary>The timeline, tasks, situation reports and links of an incident the actor may see.</summary>
public sealed class ReadIncidentWork(SharingAccess sharing, TimeProvider clock)
{
    public const int MaxTimeline = 1000;

    public async Task<Result<IReadOnlyList<TimelineEntryDto>>> TimelineAsync(Actor actor, Guid incidentId, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (!await session.Db.Incidents.AnyAsync(i => i.Id == incidentId, cancellationToken))
        {
            return Error.NotFound("The incident");
        }

        var entries = await session.Db.TimelineEntries.AsNoTracking().Where(e => e.IncidentId == incidentId)
            .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).Take(MaxTimeline).ToListAsync(cancellationToken);
        return await ToDtosAsync(session, actor, entries, cancellationToken);
    }

    public async Task<Result<TimelineEntryDto>> EntryAsync(Actor actor, Guid entryId, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var entry = await session.Db.TimelineEntries.AsNoTracking().FirstOrDefaultAsync(e => e.Id == entryId, cancellationToken);
        return entry is null ? Error.NotFound("The timeline entry") : (await ToDtosAsync(session, actor, [entry], cancellationToken))[0];
    }

    public async Task<Result<IReadOnlyList<IncidentTaskDto>>> TasksAsync(Actor actor, Guid incidentId, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (!await session.Db.Incidents.AnyAsync(i => i.Id == incidentId, cancellationToken))
        {
            return Error.NotFound("The incident");
        }

        var tasks = await session.Db.IncidentTasks.AsNoTracking().Where(t => t.IncidentId == incidentId).OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).ToListAsync(cancellationToken);
        return await ToDtosAsync(session, actor, tasks, cancellationToken);
    }

    public async Task<Result<IncidentTaskDto>> TaskAsync(Actor actor, Guid taskId, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var task = await session.Db.IncidentTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, cancellationToken);
        return task is null ? Error.NotFound("The task") : (await ToDtosAsync(session, actor, [task], cancellationToken))[0];
    }

    /// <summary>Every published version, and the organisation's own draft, newest first.</summary>
    public async Task<Result<IReadOnlyList<SitrepDto>>> SitrepsAsync(Actor actor, Guid incidentId, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (!await session.Db.Incidents.AnyAsync(i => i.Id == incidentId, cancellationToken))
        {
            return Error.NotFound("The incident");
        }

        var sitreps = await session.Db.SituationReports.AsNoTracking().Where(s => s.IncidentId == incidentId)
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Version).ToListAsync(cancellationToken);
        return await ToDtosAsync(session, actor, sitreps, cancellationToken);
    }

    public async Task<Result<SitrepDto>> SitrepAsync(Actor actor, Guid sitrepId, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var sitrep = await session.Db.SituationReports.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sitrepId, cancellationToken);
        return sitrep is null ? Error.NotFound("The situation report") : (await ToDtosAsync(session, actor, [sitrep], cancellationToken))[0];
    }

    /// <summary>
    /// Value links, and links whose indicator or report the viewer may see here (as a row of this node or a STIX object
    /// held from a partner), oldest first; the others stay unknown to them.
    /// </summary>
    public async Task<Result<IReadOnlyList<IncidentLinkDto>>> LinksAsync(Actor actor, Guid incidentId, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var incident = await IncidentRules.FindAsync(session, incidentId, cancellationToken);
        if (incident is null)
        {
            return Error.NotFound("The incident");
        }

        var links = await session.Db.IncidentLinks.AsNoTracking().Where(l => l.IncidentId == incidentId)
            .OrderBy(l => l.LinkedAt).ThenBy(l => l.Id).ToListAsync(cancellationToken);
        var targets = await LinkTargets.ResolveAsync(session.Db, links, cancellationToken);
        var names = await NamesAsync(session, links.Select(l => l.OrganisationId), cancellationToken);
        var mayWork = IncidentRules.RefuseContribution(actor, session, incident) is null;
        var own = session.Organisation?.Id;
        return links
            .Select(l => (Link: l, Target: l.Kind == IncidentLinkKind.Value ? LinkTargets.OfValue(l) : targets.GetValueOrDefault(l.Id)))
            .Where(x => x.Target is not null)
            .Select(x => new IncidentLinkDto(x.Link.Id, x.Link.StixId, IncidentLinkKinds.Spell(x.Link.Kind), x.Target!.RowId, x.Link.TargetStixId,
                x.Link.ValueType, x.Link.Value, x.Target.Label, x.Link.OrganisationId, names.GetValueOrDefault(x.Link.OrganisationId), x.Link.OrganisationNode,
                x.Link.LinkedAt, mayWork && x.Link.OrganisationId == own && x.Link.OrganisationNode is null))
            .ToList();
    }

    private static Task<Dictionary<Guid, string>> NamesAsync(ContentSession session, IEnumerable<Guid> organisations, CancellationToken cancellationToken) =>
        OrganisationNames.OfAsync(session.Db, organisations, cancellationToken);

    private static bool Writes(Actor actor) => IncidentRoles.MayWrite(actor) && actor.TokenScope != TokenScope.Read;

    private static async Task<List<TimelineEntryDto>> ToDtosAsync(ContentSession session, Actor actor, List<TimelineEntry> entries, CancellationToken cancellationToken)
    {
        var names = await NamesAsync(session, entries.Select(e => e.OrganisationId), cancellationToken);
        var own = session.Organisation?.Id;
        return entries.Select(e => new TimelineEntryDto(e.Id, e.StixId, e.OccurredAt, e.RecordedAt, e.AuthorName, e.OrganisationId, names.GetValueOrDefault(e.OrganisationId),
            e.Source, e.Text, e.EditedAt, Writes(actor) && e.OrganisationId == own && e.OrganisationNode is null)).ToList();
    }

    private async Task<List<IncidentTaskDto>> ToDtosAsync(ContentSession session, Actor actor, List<IncidentTask> tasks, CancellationToken cancellationToken)
    {
        var names = await NamesAsync(session, tasks.SelectMany(t => new[] { t.OrganisationId, t.AssigneeOrganisationId }), cancellationToken);
        var people = tasks.Where(t => t.AssigneeUserId is not null).Select(t => t.AssigneeUserId!.Value).Distinct().ToList();

        // People of another organisation stay unnamed: the tenant filter shows only the viewer's own users.
        var userNames = await session.Db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        var own = session.Organisation?.Id;
        var now = clock.GetUtcNow();
        return tasks.Select(t => new IncidentTaskDto(
            t.Id, t.StixId, t.Title, t.Description, t.AssigneeOrganisationId, names.GetValueOrDefault(t.AssigneeOrganisationId), t.AssigneeUserId,
            t.AssigneeUserId is { } u ? userNames.GetValueOrDefault(u) : null, t.DueAt,
            t.DueAt < now && t.Status is IncidentTaskStatus.Open or IncidentTaskStatus.InProgress, t.Status.Spell(), t.Role,
            t.OrganisationId, names.GetValueOrDefault(t.OrganisationId), t.CreatedAt, t.CompletedAt,
            Writes(actor) && t.OrganisationId == own && t.OrganisationNode is null,
            Writes(actor) && (t.OrganisationId == own || t.AssigneeOrganisationId == own))).ToList();
    }

    private static async Task<List<SitrepDto>> ToDtosAsync(ContentSession session, Actor actor, List<SituationReport> sitreps, CancellationToken cancellationToken)
    {
        var names = await NamesAsync(session, sitreps.Select(s => s.OrganisationId), cancellationToken);
        var own = session.Organisation?.Id;
        return sitreps.Select(s => new SitrepDto(s.Id, s.StixId, s.Version, s.State.ToString().ToLowerInvariant(), s.Title, s.Body, s.OrganisationId,
            names.GetValueOrDefault(s.OrganisationId), s.CreatedAt, s.UpdatedAt, s.PublishedAt,
            Writes(actor) && s.OrganisationId == own && s.State == SituationReportState.Draft)).ToList();
    }
}
