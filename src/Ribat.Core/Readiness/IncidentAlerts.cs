using Microsoft.Extensions.Options;
using Ribat.Core.Data;
using Ribat.Core.Incidents;
using Ribat.Core.Notifications;

namespace Ribat.Core.Readiness;

/// <summary>
/// Alerts the person on duty at an organisation when an incident is shared with it or a critical incident gets
/// a new indicator; with nobody on duty the organisation as a whole is alerted. Each alert must be acknowledged
/// and escalates to the whole organisation after <see cref="ReadinessOptions.EscalateAfter"/>.
/// </summary>
public sealed class IncidentAlerts(Notifier notifier, IOptions<ReadinessOptions> options, TimeProvider clock) : IIncidentAlerts
{
    public async Task SharedAsync(RibatDbContext db, Incident incident, IReadOnlyCollection<Guid> organisations, CancellationToken cancellationToken)
    {
        foreach (var organisation in organisations)
        {
            await AlertAsync(db, incident, organisation, "incident.shared", $"Incident shared with you: {incident.Title}",
                $"A {incident.Severity.Spell()} incident ({IncidentTaxonomy.NameOf(incident.Category)}) was shared with your organisation. Acknowledge it on the incident's page.",
                cancellationToken);
        }
    }

    public async Task CriticalIndicatorAsync(RibatDbContext db, Incident incident, IReadOnlyCollection<Guid> organisations, string indicator, CancellationToken cancellationToken)
    {
        foreach (var organisation in organisations)
        {
            await AlertAsync(db, incident, organisation, "incident.critical-indicator", $"New indicator on a critical incident: {incident.Title}",
                $"An indicator was linked to the critical incident: {indicator}", cancellationToken);
        }
    }

    private async Task AlertAsync(RibatDbContext db, Incident incident, Guid organisation, string kind, string subject, string body, CancellationToken cancellationToken)
    {
        var onDuty = await OnCallRoster.OnDutyAsync(db, organisation, clock.GetUtcNow(), cancellationToken);
        // An alert about an exercise incident says so first, so the person on duty never takes it for a real one.
        subject = incident.IsExercise ? $"EXERCISE — {subject}" : subject;
        await notifier.AddAsync(db, new NotificationRequest(organisation, kind, subject, body, $"/incidents/{incident.Id}", onDuty,
            RequiresAcknowledgement: true, EscalateAfter: options.Value.EscalateAfter, SubjectType: "incident", SubjectId: incident.Id.ToString()), cancellationToken);
    }
}
