using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Incidents;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Exercises;

/// <summary>One thing that happened during a run: an inject, or what a participant did, with when.</summary>
public sealed record ReportEvent(DateTimeOffset At, string Kind, string? Organisation, string Text, Guid? IncidentId = null, DateTimeOffset? PlannedAt = null);

/// <summary>One measured response time of the run, with the organisation whose clock it is.</summary>
public sealed record ReportMeasurement(string Metric, Guid IncidentId, string Organisation, double Seconds);

public sealed record AfterActionReportDto(
    ExerciseDto Exercise,
    IReadOnlyList<ReportEvent> Timeline,
    IReadOnlyList<ReportMeasurement> Measurements,
    IReadOnlyList<MetricSummary> Overall,
    IReadOnlyList<MetricSummary> ByOrganisation);

/// <summary>
/// The after-action report of a run: its injects and what the organisations did on the run's incidents (status
/// moves, timeline entries, tasks, published situation reports, acknowledgements), in time order, and the response-time metrics of those
/// incidents — the same <see cref="ResponseMetrics"/> as real incidents, plus time to triage (from report to the
/// move into triage). Reading it is audited; it covers only what the reader may see.
/// </summary>
public sealed class ReadAfterActionReport(SharingAccess sharing, ReadExercises read, AuditTrail audit)
{
    public const string Triage = "time-to-triage";
    public const int MaxEvents = 5000;

    public async Task<Result<AfterActionReportDto>> HandleAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        var found = await read.GetAsync(actor, id, cancellationToken);
        if (found.Error is { } missing)
        {
            return missing;
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var db = session.Db;
        var injects = await db.ExerciseInjects.AsNoTracking().Where(i => i.ExerciseId == id).ToListAsync(cancellationToken);
        var incidents = await db.Incidents.Include(i => i.Participants).AsNoTracking().Where(i => i.ExerciseId == id).ToListAsync(cancellationToken);
        var incidentIds = incidents.Select(i => i.Id).ToList();
        var entries = await db.TimelineEntries.AsNoTracking().Where(e => incidentIds.Contains(e.IncidentId)).OrderBy(e => e.OccurredAt).Take(MaxEvents).ToListAsync(cancellationToken);
        var tasks = await db.IncidentTasks.AsNoTracking().Where(t => incidentIds.Contains(t.IncidentId)).Take(MaxEvents).ToListAsync(cancellationToken);
        var sitreps = await db.SituationReports.AsNoTracking().Where(r => incidentIds.Contains(r.IncidentId) && r.PublishedAt != null)
            .Select(r => new { r.IncidentId, r.OrganisationId, r.Title, r.Version, PublishedAt = r.PublishedAt!.Value }).Take(MaxEvents).ToListAsync(cancellationToken);
        var notificationIds = injects.Where(i => i.NotificationId is not null).Select(i => i.NotificationId!.Value).ToList();
        var notifications = await db.Notifications.AsNoTracking().Where(n => notificationIds.Contains(n.Id) && n.AcknowledgedAt != null).ToListAsync(cancellationToken);

        var organisationIds = incidents.SelectMany(i => i.Participants.Select(p => p.OrganisationId).Append(i.OwnerOrganisationId))
            .Concat(entries.Select(e => e.OrganisationId)).Concat(tasks.Select(t => t.AssigneeOrganisationId)).Concat(injects.Select(i => i.OrganisationId))
            .Concat(sitreps.Select(r => r.OrganisationId));
        var names = await OrganisationNames.OfAsync(db, organisationIds, cancellationToken);
        string Name(Guid organisation) => names.TryGetValue(organisation, out var name) ? name : organisation.ToString();

        var events = new List<ReportEvent>();
        events.AddRange(injects.Select(i => new ReportEvent(i.PlayedAt, i.Outcome == InjectOutcome.Played ? "inject" : "inject-failed", Name(i.OrganisationId),
            i.Outcome == InjectOutcome.Played ? i.Summary : $"{i.Summary} — failed: {i.Reason}", i.IncidentId, i.PlannedAt)));
        events.AddRange(entries.Where(e => e.Source != PlayInject.InjectSource).Select(e => new ReportEvent(e.OccurredAt,
            IsStatusMove(e) ? "status" : "timeline", Name(e.OrganisationId), e.Text, e.IncidentId)));
        events.AddRange(tasks.Select(t => new ReportEvent(t.CreatedAt, "task-assigned", Name(t.OrganisationId), $"{t.Title} → {Name(t.AssigneeOrganisationId)}", t.IncidentId)));
        events.AddRange(tasks.Where(t => t.CompletedAt is not null).Select(t => new ReportEvent(t.CompletedAt!.Value, "task-done", Name(t.AssigneeOrganisationId), t.Title, t.IncidentId)));
        events.AddRange(sitreps.Select(r => new ReportEvent(r.PublishedAt, "sitrep-published", Name(r.OrganisationId), $"{r.Title} (version {r.Version})", r.IncidentId)));
        events.AddRange(incidents.SelectMany(i => i.Participants.Where(p => p.AcknowledgedAt is not null)
            .Select(p => new ReportEvent(p.AcknowledgedAt!.Value, "acknowledged", Name(p.OrganisationId), i.Title, i.Id))));
        events.AddRange(notifications.Select(n => new ReportEvent(n.AcknowledgedAt!.Value, "notification-acknowledged", Name(n.OrganisationId), n.Subject)));

        var measurements = incidents.SelectMany(i => ResponseMetrics.Measure(ReadMetrics.ClocksOf(i))).ToList();
        measurements.AddRange(incidents.SelectMany(i => entries.Where(e => e.IncidentId == i.Id && IsTriageMove(e)).Take(1)
            .Select(e => new Measurement(Triage, i.Id, i.OwnerOrganisationId, e.OccurredAt, e.OccurredAt - i.ReportedAt))));
        audit.Add(db, actor, AuditEvents.ExerciseReportRead, session.Organisation?.Id, "exercise", id.ToString(), new { incidents = incidents.Count });
        await db.SaveChangesAsync(cancellationToken);

        return new AfterActionReportDto(
            found.Value!,
            events.OrderBy(e => e.At).ThenBy(e => e.Kind, StringComparer.Ordinal).Take(MaxEvents).ToList(),
            measurements.OrderBy(m => m.At).Select(m => new ReportMeasurement(m.Metric, m.IncidentId, Name(m.OrganisationId), m.Duration.TotalSeconds)).ToList(),
            ResponseMetrics.Summarise(measurements, _ => "all"),
            ResponseMetrics.Summarise(measurements, m => Name(m.OrganisationId)));
    }

    // Status moves are written to the timeline by Ribat itself, in one fixed form (ChangeIncidentStatus).
    private static bool IsStatusMove(TimelineEntry e) => e.Source == "ribat" && e.Text.StartsWith("Status: ", StringComparison.Ordinal);

    private static bool IsTriageMove(TimelineEntry e) => IsStatusMove(e) && e.Text.StartsWith("Status: reported → triage", StringComparison.Ordinal);
}
