using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ribat.Core.Audit;
using Ribat.Core.Data;
using Ribat.Core.Notifications;
using Ribat.Core.Readiness;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cooperation;

/// <summary>
/// Looks at every running clock of the node: a clock due soon or overdue gets a reminder to the person responsible
/// (the addressee's officer who acknowledged it, or the requester's author), and a missed one an escalation to the
/// responsible organisation's 24/7 contact and to whoever is on duty there. Each is written once per deadline, with
/// its notification (<see cref="ClockNotices"/>) in the same transaction, so sweeping again, or on several
/// instances at once, adds nothing; an extension moves the deadline and re-arms both.
/// </summary>
public sealed class SweepClocks(RibatDatabase database, AuditTrail audit, Notifier notifier, TimeProvider clock, ILogger<SweepClocks> log)
{
    private static readonly Actor Sweeper = Actor.System("cooperation clock sweep");

    /// <summary>Returns how many reminders and escalations it wrote.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = database.Open(TenantScope.NodeWide("cooperation clock sweep"));
        var open = await db.CooperationRequests.AsNoTracking()
            .Where(r => r.Status != RequestStatus.Draft && r.Status != RequestStatus.Closed && r.Status != RequestStatus.Withdrawn)
            .ToListAsync(cancellationToken);
        var due = open.SelectMany(r => CooperationClocks.Of(r, now).Where(c => c.State is ClockState.DueSoon or ClockState.Overdue).Select(c => (Request: r, Clock: c))).ToList();
        if (due.Count == 0)
        {
            return 0;
        }

        var ids = due.Select(d => d.Request.Id).Distinct().ToList();
        var existing = (await db.CooperationReminders.AsNoTracking().Where(x => ids.Contains(x.RequestId))
                .Select(x => new { x.RequestId, x.OrganisationId, x.Clock, x.Level, x.DueAt }).ToListAsync(cancellationToken))
            .Select(x => (x.RequestId, x.OrganisationId, x.Clock, x.Level, x.DueAt)).ToHashSet();
        var contacts = (await db.ContactPoints.AsNoTracking().Where(c => c.Always).OrderBy(c => c.Id).Select(c => new { c.OrganisationId, c.Id, c.Email }).ToListAsync(cancellationToken))
            .GroupBy(c => c.OrganisationId).ToDictionary(g => g.Key, g => (g.First().Id, g.First().Email));
        // A request between nodes is swept on both: each node reminds only the organisations it hosts.
        var responsible = due.Select(d => d.Request.OwnerOrganisationId).Concat(due.Where(d => d.Request.AddressedOrganisationId is not null).Select(d => d.Request.AddressedOrganisationId!.Value)).Distinct().ToList();
        var hosted = (await db.Organisations.IgnoreQueryFilters().AsNoTracking().Where(o => responsible.Contains(o.Id)).Select(o => o.Id).ToListAsync(cancellationToken)).ToHashSet();
        var onDuty = new Dictionary<Guid, Guid?>();
        var written = 0;
        foreach (var (request, running) in due)
        {
            var addresseeActs = running.Responsible == RequestParty.Addressee && request.AddresseeKind == AddresseeKind.Authority && request.AddressedOrganisationId is not null;
            var organisation = addresseeActs ? request.AddressedOrganisationId!.Value : request.OwnerOrganisationId;
            if (!hosted.Contains(organisation))
            {
                continue;
            }

            var person = addresseeActs ? request.AssignedTo : request.CreatedBy;
            var levels = running.State == ClockState.Overdue ? new[] { ReminderLevel.Reminder, ReminderLevel.Escalation } : [ReminderLevel.Reminder];
            foreach (var level in levels)
            {
                if (!existing.Add((request.Id, organisation, running.Kind, level, running.DueAt)))
                {
                    continue;
                }

                var reminder = new CooperationReminder
                {
                    Id = Guid.CreateVersion7(),
                    RequestId = request.Id,
                    OrganisationId = organisation,
                    UserId = level == ReminderLevel.Reminder ? person : null,
                    ContactPointId = level == ReminderLevel.Escalation && contacts.TryGetValue(organisation, out var contact) ? contact.Id : null,
                    Clock = running.Kind,
                    Level = level,
                    DueAt = running.DueAt,
                    CreatedAt = now,
                };
                db.CooperationReminders.Add(reminder);
                if (!onDuty.TryGetValue(organisation, out var duty))
                {
                    onDuty[organisation] = duty = await OnCallRoster.OnDutyAsync(db, organisation, now, cancellationToken);
                }

                var contactEmail = level == ReminderLevel.Escalation && contacts.TryGetValue(organisation, out var escalateTo) ? escalateTo.Email : null;
                await notifier.AddAsync(db, ClockNotices.For(request, running, level, organisation, reminder.UserId, duty, contactEmail), cancellationToken);
                audit.Add(db, Sweeper, level == ReminderLevel.Escalation ? AuditEvents.RequestEscalated : AuditEvents.RequestReminded, organisation,
                    CooperationRules.TargetType, request.Id.ToString(), new { clock = running.Kind.Spell(), dueAt = running.DueAt, user = reminder.UserId, contact = reminder.ContactPointId, onDuty = duty });
                written++;
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            // Another instance swept the same clocks at the same moment; its rows stand and the next sweep sees them.
            log.LogInformation(ex, "A concurrent clock sweep wrote the same reminders first.");
            return 0;
        }

        return written;
    }
}

/// <summary>Runs <see cref="SweepClocks"/> on the configured interval for as long as the node serves.</summary>
internal sealed class ClockSweepService(SweepClocks sweep, IOptions<CooperationOptions> options, TimeProvider clock, ILogger<ClockSweepService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var written = await sweep.RunAsync(stoppingToken);
                    if (written > 0)
                    {
                        log.LogInformation("The clock sweep wrote {Count} reminders and escalations.", written);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    log.LogWarning(ex, "The clock sweep failed; it runs again at the next interval.");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The node is stopping.
        }
    }
}
