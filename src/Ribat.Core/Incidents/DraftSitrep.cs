using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Incidents;

/// <summary>
/// Starts the next version of the organisation's situation report on an incident as a draft generated from the
/// incident's data (stage, severity, scope, participants, the linked indicators its author may see, counted, and the
/// incident's values, listed, tasks, the latest timeline). One draft at a time: an
/// open draft is edited or published first.
/// </summary>
public sealed class DraftSitrep(SharingAccess sharing, AuditTrail audit, ReadIncidentWork read, TimeProvider clock)
{
    public const int TimelineLines = 20;
    public const int ValueLines = 50;

    public async Task<Result<SitrepDto>> HandleAsync(Actor actor, Guid incidentId, CancellationToken cancellationToken = default)
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

        var organisation = session.Organisation!.Value.Id;
        var versions = await session.Db.SituationReports.Where(s => s.IncidentId == row.Id && s.OrganisationId == organisation)
            .Select(s => new { s.Version, s.State }).ToListAsync(cancellationToken);
        if (versions.Any(s => s.State == SituationReportState.Draft))
        {
            return Error.Conflict("A draft situation report is open; edit or publish it before starting another.");
        }

        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7();
        var version = versions.Count == 0 ? 1 : versions.Max(s => s.Version) + 1;
        var sitrep = new SituationReport
        {
            Id = id,
            StixId = IncidentRules.StixId(IncidentRules.SitrepType, id),
            IncidentId = row.Id,
            OrganisationId = organisation,
            Version = version,
            State = SituationReportState.Draft,
            Title = $"SITREP {version}: {row.Title}"[..Math.Min(300, $"SITREP {version}: {row.Title}".Length)],
            Body = await GenerateAsync(session, row, now, cancellationToken),
            AuthorUserId = actor.UserId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        session.Db.SituationReports.Add(sitrep);
        audit.Add(session.Db, actor, AuditEvents.SitrepDrafted, organisation, "incident", row.Id.ToString(), new { sitrep = sitrep.Id, version });
        await session.Db.SaveChangesAsync(cancellationToken);
        return await read.SitrepAsync(actor, sitrep.Id, cancellationToken);
    }

    /// <summary>The draft's text: plain, so any participant's tools can read it, in the fixed order of a sitrep.</summary>
    private static async Task<string> GenerateAsync(ContentSession session, Incident row, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var names = await session.Db.Organisations.IgnoreQueryFilters().AsNoTracking()
            .Where(o => o.Id == row.OwnerOrganisationId || row.Participants.Select(p => p.OrganisationId).Contains(o.Id))
            .ToDictionaryAsync(o => o.Id, o => $"{o.Name} ({o.Country})", cancellationToken);
        var elsewhere = row.Participants.Select(p => p.OrganisationId).Append(row.OwnerOrganisationId).Where(o => !names.ContainsKey(o)).ToList();
        foreach (var o in await session.Db.PartnerOrganisations.IgnoreQueryFilters().AsNoTracking().Where(o => elsewhere.Contains(o.Id)).ToListAsync(cancellationToken))
        {
            // Organisations on partner nodes are named as their node described them.
            names.TryAdd(o.Id, $"{o.Name} ({o.Country})");
        }
        var tasks = await session.Db.IncidentTasks.AsNoTracking().Where(t => t.IncidentId == row.Id).ToListAsync(cancellationToken);
        var entries = await session.Db.TimelineEntries.AsNoTracking().Where(e => e.IncidentId == row.Id)
            .OrderByDescending(e => e.OccurredAt).Take(TimelineLines).ToListAsync(cancellationToken);
        // The draft speaks of what its author may see: an indicator linked by someone else under terms the author does
        // not share is neither named nor counted. Values belong to the incident and are listed.
        var links = await session.Db.IncidentLinks.AsNoTracking().Where(l => l.IncidentId == row.Id).OrderBy(l => l.LinkedAt).ThenBy(l => l.Id).ToListAsync(cancellationToken);
        var visible = await LinkTargets.ResolveAsync(session.Db, links, cancellationToken);
        var indicators = links.Count(l => l.Kind == IncidentLinkKind.Indicator && visible.ContainsKey(l.Id));
        var values = links.Where(l => l.Kind == IncidentLinkKind.Value).Select(l => LinkTargets.OfValue(l).Label).Distinct(StringComparer.Ordinal).ToList();
        string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Situation as of {Stamp(now)}")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Stage: {row.Status.Spell()} (since {Stamp(row.StatusChangedAt)})")
            .AppendLine(CultureInfo.InvariantCulture, $"Severity: {row.Severity.Spell()}")
            .AppendLine(CultureInfo.InvariantCulture, $"Category: {IncidentTaxonomy.NameOf(row.Category)}")
            .AppendLine(CultureInfo.InvariantCulture, $"Sectors: {(row.Sectors.Count == 0 ? "—" : string.Join(", ", row.Sectors))}")
            .AppendLine(CultureInfo.InvariantCulture, $"Countries: {(row.Countries.Count == 0 ? "—" : string.Join(", ", row.Countries))}")
            .AppendLine(CultureInfo.InvariantCulture, $"Reported: {Stamp(row.ReportedAt)}")
            .AppendLine(CultureInfo.InvariantCulture, $"Lead: {names.GetValueOrDefault(row.OwnerOrganisationId)}")
            .AppendLine(CultureInfo.InvariantCulture, $"Participants: {(row.Participants.Count == 0 ? "—" : string.Join(", ", row.Participants.Select(p => names.GetValueOrDefault(p.OrganisationId))))}")
            .AppendLine(CultureInfo.InvariantCulture, $"Linked indicators: {indicators}");
        if (values.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Values on the incident ({values.Count}):");
            foreach (var value in values.Take(ValueLines))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {value}");
            }

            if (values.Count > ValueLines)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- and {values.Count - ValueLines} more");
            }
        }

        text.AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Tasks: {tasks.Count(t => t.Status is IncidentTaskStatus.Open or IncidentTaskStatus.InProgress)} open, {tasks.Count(t => t.Status == IncidentTaskStatus.Done)} done");
        foreach (var task in tasks.Where(t => t.Status is IncidentTaskStatus.Open or IncidentTaskStatus.InProgress).OrderBy(t => t.DueAt ?? DateTimeOffset.MaxValue))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {task.Title} — {names.GetValueOrDefault(task.AssigneeOrganisationId)}{(task.DueAt is { } due ? $", due {Stamp(due)}" : string.Empty)}{(task.DueAt < now ? " (overdue)" : string.Empty)}");
        }

        text.AppendLine().AppendLine("Latest events:");
        foreach (var entry in entries.OrderBy(e => e.OccurredAt))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {Stamp(entry.OccurredAt)} {entry.Text.ReplaceLineEndings(" ")}");
        }

        return text.ToString();
    }
}
