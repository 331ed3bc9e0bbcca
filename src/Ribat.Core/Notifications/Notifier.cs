using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ribat.Core.Data;

namespace Ribat.Core.Notifications;

/// <summary>
/// "Notify this organisation (or this person) of X, requiring acknowledgement or not." The module's one way in
/// for other modules.
/// </summary>
/// <param name="OrganisationId">The organisation told; its webhooks receive a copy.</param>
/// <param name="Kind">A stable dotted name of the event, e.g. <c>incident.shared</c>.</param>
/// <param name="UserId">One person of that organisation; null tells the organisation as a whole.</param>
/// <param name="EscalateAfter">For an acknowledgement-requiring notification: when still unacknowledged after this, the whole organisation is told.</param>
/// <param name="CopyTo">One more e-mail address told when e-mail is on, e.g. a 24/7 point of contact who is not a user.</param>
public sealed record NotificationRequest(
    Guid OrganisationId,
    string Kind,
    string Subject,
    string? Body = null,
    string? Link = null,
    Guid? UserId = null,
    bool RequiresAcknowledgement = false,
    TimeSpan? EscalateAfter = null,
    string? SubjectType = null,
    string? SubjectId = null,
    string? CopyTo = null);

/// <summary>
/// Adds a notification and its outbox rows to the caller's context, so they commit in the caller's transaction
/// with the change they report: if the change commits, the notification exists and will be delivered.
/// </summary>
public sealed class Notifier(TimeProvider clock, IOptions<NotificationOptions> options)
{
    public async Task<Notification> AddAsync(RibatDbContext db, NotificationRequest request, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var notification = new Notification
        {
            Id = Guid.CreateVersion7(),
            OrganisationId = request.OrganisationId,
            UserId = request.UserId,
            Kind = Clip(request.Kind, 64),
            Subject = Clip(request.Subject, 300),
            Body = request.Body is null ? null : Clip(request.Body, 10_000),
            Link = request.Link,
            SubjectType = request.SubjectType,
            SubjectId = request.SubjectId,
            RequiresAcknowledgement = request.RequiresAcknowledgement,
            EscalateAt = request.RequiresAcknowledgement && request.EscalateAfter is { } after ? now + after : null,
            CreatedAt = now,
        };
        db.Notifications.Add(notification);

        // The recipient is another organisation than the caller's as often as not: its webhooks and addresses are
        // read past the tenant filter, for this one organisation only, and never returned to the caller.
        var webhooks = await db.Webhooks.IgnoreQueryFilters().AsNoTracking()
            .Where(w => w.OrganisationId == request.OrganisationId && w.Enabled).Select(w => new { w.Id, w.Url }).ToListAsync(cancellationToken);
        foreach (var webhook in webhooks)
        {
            db.NotificationDeliveries.Add(Delivery(notification, DeliveryChannel.Webhook, webhook.Url, webhook.Id, now));
        }

        var address = options.Value.EmailEnabled ? await AddressAsync(db, request, cancellationToken) : null;
        if (address is not null)
        {
            db.NotificationDeliveries.Add(Delivery(notification, DeliveryChannel.Email, address, null, now));
        }

        if (options.Value.EmailEnabled && !string.IsNullOrWhiteSpace(request.CopyTo) && !string.Equals(request.CopyTo, address, StringComparison.OrdinalIgnoreCase))
        {
            db.NotificationDeliveries.Add(Delivery(notification, DeliveryChannel.Email, request.CopyTo.Trim(), null, now));
        }

        return notification;
    }

    /// <summary>
    /// Acknowledges, in the caller's transaction, every notification to <paramref name="organisation"/> about one
    /// object still waiting, e.g. the alerts about an incident once the organisation acknowledged the incident itself.
    /// </summary>
    public Task<int> SettleAsync(RibatDbContext db, Guid organisation, string subjectType, string subjectId, Guid? by, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        return db.Notifications.IgnoreQueryFilters()
            .Where(n => n.OrganisationId == organisation && n.SubjectType == subjectType && n.SubjectId == subjectId && n.RequiresAcknowledgement && n.AcknowledgedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(n => n.AcknowledgedAt, now).SetProperty(n => n.AcknowledgedBy, by), cancellationToken);
    }

    private static async Task<string?> AddressAsync(RibatDbContext db, NotificationRequest request, CancellationToken cancellationToken)
    {
        if (request.UserId is { } user)
        {
            return await db.Users.IgnoreQueryFilters().AsNoTracking()
                .Where(u => u.Id == user && u.OrganisationId == request.OrganisationId && !u.Disabled).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken);
        }

        return await db.Organisations.IgnoreQueryFilters().AsNoTracking()
            .Where(o => o.Id == request.OrganisationId).Select(o => o.ContactEmail).FirstOrDefaultAsync(cancellationToken);
    }

    private static NotificationDelivery Delivery(Notification notification, DeliveryChannel channel, string target, Guid? webhook, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(),
        NotificationId = notification.Id,
        OrganisationId = notification.OrganisationId,
        Channel = channel,
        Target = target,
        WebhookId = webhook,
        State = DeliveryState.Pending,
        NextAttemptAt = now,
        ClaimedUntil = DateTimeOffset.UnixEpoch,
    };

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max];
}
