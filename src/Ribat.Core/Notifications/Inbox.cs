using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Notifications;

/// <summary>
/// The signed-in person's inbox: notifications to them and to their organisation as a whole, newest first, with
/// the state of every webhook and e-mail copy (a copy that failed for good says so here).
/// </summary>
public sealed class ReadInbox(RibatDatabase database, TimeProvider clock)
{
    public async Task<Result<Page<NotificationDto>>> ListAsync(Actor actor, bool pendingOnly, string? cursor, int? limit, CancellationToken cancellationToken = default)
    {
        var page = Cursor.ReadGuidPage(cursor, limit);
        if (page.Error is { } invalid)
        {
            return invalid;
        }

        if (actor.OrganisationId is not { } organisation)
        {
            return Error.Forbidden("An inbox belongs to a person of an organisation.");
        }

        var (before, take) = page.Value;
        await using var db = database.Open(TenantScope.Of(organisation));
        var rows = db.Notifications.AsNoTracking().Where(n => n.UserId == null || n.UserId == actor.UserId);
        if (pendingOnly)
        {
            rows = rows.Where(n => n.RequiresAcknowledgement && n.AcknowledgedAt == null);
        }

        if (before is { } last)
        {
            rows = rows.Where(n => n.Id.CompareTo(last) < 0);
        }

        var found = await rows.OrderByDescending(n => n.Id).Take(take + 1).ToListAsync(cancellationToken);
        var items = await ToDtosAsync(db, actor, found.Take(take).ToList(), cancellationToken);
        return new Page<NotificationDto>(items, found.Count > take ? Cursor.Encode(items[^1].Id) : null);
    }

    /// <summary>How many acknowledgement-requiring notifications wait for the person (the badge in the menu).</summary>
    public async Task<int> PendingAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (actor.OrganisationId is not { } organisation)
        {
            return 0;
        }

        await using var db = database.Open(TenantScope.Of(organisation));
        return await db.Notifications.CountAsync(n => (n.UserId == null || n.UserId == actor.UserId) && n.RequiresAcknowledgement && n.AcknowledgedAt == null, cancellationToken);
    }

    internal async Task<List<NotificationDto>> ToDtosAsync(RibatDbContext db, Actor actor, List<Notification> rows, CancellationToken cancellationToken)
    {
        var ids = rows.Select(n => n.Id).ToList();
        var deliveries = (await db.NotificationDeliveries.AsNoTracking().Where(d => ids.Contains(d.NotificationId)).ToListAsync(cancellationToken)).ToLookup(d => d.NotificationId);
        var now = clock.GetUtcNow();
        return rows.Select(n => new NotificationDto(
            n.Id, n.Kind, n.Subject, n.Body, n.Link, n.UserId == actor.UserId, n.RequiresAcknowledgement, n.CreatedAt, n.AcknowledgedAt, n.EscalateAt, n.EscalatedAt, n.EscalatedFromId,
            deliveries[n.Id].OrderBy(d => d.Id).Select(d => new DeliveryDto(
                d.Id, d.Channel.ToString().ToLowerInvariant(), Shown(d, actor), d.State.ToString().ToLowerInvariant(), d.Attempts,
                d.State == DeliveryState.Pending ? (d.NextAttemptAt > now ? d.NextAttemptAt : now) : null, d.LastError, d.DeliveredAt)).ToList())).ToList();
    }

    /// <summary>A webhook's address may carry a token in its path or query: only administrators see more than its host.</summary>
    private static string Shown(NotificationDelivery d, Actor actor) =>
        d.Channel != DeliveryChannel.Webhook || actor.IsOrgAdmin ? d.Target
        : Uri.TryCreate(d.Target, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Host}/…" : "webhook";
}

/// <summary>The person acknowledges a notification to them or to their organisation; the first acknowledgement counts.</summary>
public sealed class AcknowledgeNotification(RibatDatabase database, AuditTrail audit, ReadInbox inbox, TimeProvider clock)
{
    public async Task<Result<NotificationDto>> HandleAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        if (actor.OrganisationId is not { } organisation)
        {
            return Error.NotFound("The notification");
        }

        await using var db = database.Open(TenantScope.Of(organisation));
        var row = await db.Notifications.FirstOrDefaultAsync(n => n.Id == id && (n.UserId == null || n.UserId == actor.UserId), cancellationToken);
        if (row is null)
        {
            return Error.NotFound("The notification");
        }

        if (actor.RequireWrite() is { } readOnly)
        {
            return readOnly;
        }

        if (!row.RequiresAcknowledgement)
        {
            return Error.Conflict("This notification asks for no acknowledgement.");
        }

        if (row.AcknowledgedAt is null)
        {
            var now = clock.GetUtcNow();
            row.AcknowledgedAt = now;
            row.AcknowledgedBy = actor.UserId;

            // Acknowledging an escalation answers the alert it escalated too.
            if (row.EscalatedFromId is { } original)
            {
                await db.Notifications.Where(n => n.Id == original && n.AcknowledgedAt == null)
                    .ExecuteUpdateAsync(u => u.SetProperty(n => n.AcknowledgedAt, now).SetProperty(n => n.AcknowledgedBy, actor.UserId), cancellationToken);
            }

            audit.Add(db, actor, AuditEvents.NotificationAcknowledged, organisation, "notification", row.Id.ToString(),
                new { kind = row.Kind, seconds = (long)(now - row.CreatedAt).TotalSeconds });
            await db.SaveChangesAsync(cancellationToken);
        }

        return (await inbox.ToDtosAsync(db, actor, [row], cancellationToken))[0];
    }
}
