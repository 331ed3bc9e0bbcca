using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ribat.Core.Audit;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Notifications;

/// <summary>
/// Works the outbox: sends due deliveries, retries failures with back-off, marks a delivery failed after its
/// last attempt (visible in the inbox and the audit log), and escalates acknowledgement-requiring notifications
/// nobody acknowledged in time. Each row is claimed before it is worked, so several instances sharing one
/// database never send the same delivery twice at once.
/// </summary>
public sealed class NotificationDispatcher(
    RibatDatabase database, Notifier notifier, AuditTrail audit, TimeProvider clock, IOptions<NotificationOptions> options,
    IServiceProvider services, ILogger<NotificationDispatcher> logger)
{
    public const int Batch = 20;

    private static readonly Actor System = Actor.System("notifications");

    /// <summary>One pass over what is due now; returns how many deliveries and escalations it worked.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var worked = 0;
        await using var db = database.Open(TenantScope.NodeWide("notification outbox"));
        var now = clock.GetUtcNow();
        var due = await db.NotificationDeliveries.AsNoTracking()
            .Where(d => d.State == DeliveryState.Pending && d.NextAttemptAt <= now && d.ClaimedUntil < now)
            .OrderBy(d => d.NextAttemptAt).Select(d => d.Id).Take(Batch).ToListAsync(cancellationToken);
        foreach (var id in due)
        {
            var claimed = await db.NotificationDeliveries.Where(d => d.Id == id && d.State == DeliveryState.Pending && d.ClaimedUntil < now)
                .ExecuteUpdateAsync(u => u.SetProperty(d => d.ClaimedUntil, now + (options.Value.SendTimeout * 2)), cancellationToken);
            if (claimed == 1)
            {
                await DeliverAsync(db, id, cancellationToken);
                worked++;
            }
        }

        return worked + await EscalateAsync(db, now, cancellationToken);
    }

    private async Task DeliverAsync(RibatDbContext db, Guid id, CancellationToken cancellationToken)
    {
        var delivery = await db.NotificationDeliveries.FirstAsync(d => d.Id == id, cancellationToken);
        var notification = await db.Notifications.AsNoTracking().FirstAsync(n => n.Id == delivery.NotificationId, cancellationToken);
        string? failure;
        if (delivery.Channel == DeliveryChannel.Webhook)
        {
            var webhook = await db.Webhooks.AsNoTracking().FirstOrDefaultAsync(w => w.Id == delivery.WebhookId && w.Enabled, cancellationToken);
            failure = webhook is null
                ? "The webhook was removed or disabled."
                : await Get<WebhookSender>().SendAsync(delivery, notification, webhook.Secret, cancellationToken);
        }
        else
        {
            failure = await Get<EmailSender>().SendAsync(delivery, notification, cancellationToken);
        }

        var now = clock.GetUtcNow();
        delivery.Attempts++;
        delivery.ClaimedUntil = DateTimeOffset.UnixEpoch;
        if (failure is null)
        {
            delivery.State = DeliveryState.Delivered;
            delivery.DeliveredAt = now;
            delivery.LastError = null;
        }
        else
        {
            delivery.LastError = failure.Length <= 2000 ? failure : failure[..2000];
            if (delivery.Attempts >= options.Value.MaxAttempts)
            {
                delivery.State = DeliveryState.Failed;
                audit.Add(db, System, AuditEvents.NotificationDeliveryFailed, delivery.OrganisationId, "notification", notification.Id.ToString(),
                    new { delivery = delivery.Id, channel = delivery.Channel.ToString().ToLowerInvariant(), attempts = delivery.Attempts });
                logger.LogWarning("Delivery {Delivery} of notification {Notification} failed for good after {Attempts} attempts.", delivery.Id, notification.Id, delivery.Attempts);
            }
            else
            {
                delivery.NextAttemptAt = now + options.Value.BackOff(delivery.Attempts);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<int> EscalateAsync(RibatDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = await db.Notifications.AsNoTracking()
            .Where(n => n.RequiresAcknowledgement && n.AcknowledgedAt == null && n.EscalatedAt == null && n.EscalateAt != null && n.EscalateAt <= now)
            .OrderBy(n => n.EscalateAt).Take(Batch).ToListAsync(cancellationToken);
        var worked = 0;
        foreach (var original in due)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var claimed = await db.Notifications.Where(n => n.Id == original.Id && n.EscalatedAt == null && n.AcknowledgedAt == null)
                .ExecuteUpdateAsync(u => u.SetProperty(n => n.EscalatedAt, now), cancellationToken);
            if (claimed != 1)
            {
                continue;
            }

            // The whole organisation hears of it now; the escalation itself does not escalate again.
            var escalation = await notifier.AddAsync(db, new NotificationRequest(
                original.OrganisationId, original.Kind + ".escalated", "Unacknowledged: " + original.Subject,
                $"Nobody acknowledged this within the time allowed (since {original.CreatedAt:yyyy-MM-dd HH:mm} UTC).\n\n{original.Body}",
                original.Link, UserId: null, RequiresAcknowledgement: true, EscalateAfter: null, original.SubjectType, original.SubjectId), cancellationToken);
            escalation.EscalatedFromId = original.Id;
            audit.Add(db, System, AuditEvents.NotificationEscalated, original.OrganisationId, "notification", original.Id.ToString(), new { escalation = escalation.Id });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            worked++;
        }

        return worked;
    }

    private T Get<T>()
        where T : notnull => (T)services.GetService(typeof(T))!;
}

/// <summary>Runs the <see cref="NotificationDispatcher"/> every <see cref="NotificationOptions.PollInterval"/>.</summary>
internal sealed class NotificationWorker(NotificationDispatcher dispatcher, IOptions<NotificationOptions> options, TimeProvider clock, ILogger<NotificationWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(options.Value.PollInterval, clock);
            do
            {
                await PassAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
            // The node is stopping (or never finished starting): what is left waits in the outbox for the next start.
        }
    }

    private async Task PassAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Keep going while there is more than one batch due.
            while (await dispatcher.RunOnceAsync(stoppingToken) >= NotificationDispatcher.Batch)
            {
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "The notification outbox pass failed; it is tried again at the next interval.");
        }
    }
}
