using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Notifications;

/// <summary>An organisation administrator's webhooks: every notification to the organisation is also POSTed to each.</summary>
public sealed class Webhooks(RibatDatabase database, AuditTrail audit, TimeProvider clock, Microsoft.Extensions.Options.IOptions<NotificationOptions> options)
{
    public const int MaxPerOrganisation = 10;

    public async Task<Result<IReadOnlyList<WebhookDto>>> ListAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (Refuse(actor, write: false) is { } refused)
        {
            return refused;
        }

        await using var db = database.Open(TenantScope.Of(actor.OrganisationId!.Value));
        var hooks = await db.Webhooks.AsNoTracking().OrderBy(w => w.CreatedAt).ToListAsync(cancellationToken);
        return await ToDtosAsync(db, hooks, cancellationToken);
    }

    public async Task<Result<CreatedWebhook>> CreateAsync(Actor actor, WebhookInput input, CancellationToken cancellationToken = default)
    {
        if (Refuse(actor, write: true) is { } refused)
        {
            return refused;
        }

        var url = input.Url?.Trim();
        if (url is null || url.Length > 2000 || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return Error.Validation("url", "A webhook is an absolute http or https URL of at most 2000 characters, without credentials in it.");
        }

        if (WebhookAddresses.RefusalOfLiteral(uri, options.Value.WebhookAllowLoopback) is { } forbidden)
        {
            return Error.Validation("url", forbidden + ".");
        }

        var organisation = actor.OrganisationId!.Value;
        await using var db = database.Open(TenantScope.Of(organisation));
        if (await db.Webhooks.CountAsync(cancellationToken) >= MaxPerOrganisation)
        {
            return Error.Conflict($"An organisation has at most {MaxPerOrganisation} webhooks; remove one first.");
        }

        var hook = new WebhookEndpoint
        {
            Id = Guid.CreateVersion7(),
            OrganisationId = organisation,
            Url = uri.AbsoluteUri,
            Secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            CreatedAt = clock.GetUtcNow(),
        };
        db.Webhooks.Add(hook);
        audit.Add(db, actor, AuditEvents.WebhookAdded, organisation, "webhook", hook.Id.ToString(), new { host = uri.Host });
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedWebhook((await ToDtosAsync(db, [hook], cancellationToken))[0], hook.Secret);
    }

    public async Task<Result<bool>> DeleteAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        if (Refuse(actor, write: true) is { } refused)
        {
            return refused;
        }

        await using var db = database.Open(TenantScope.Of(actor.OrganisationId!.Value));
        var hook = await db.Webhooks.FirstOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (hook is null)
        {
            return Error.NotFound("The webhook");
        }

        // Its deliveries still waiting fail with the reason, so nothing vanishes silently.
        db.Webhooks.Remove(hook);
        audit.Add(db, actor, AuditEvents.WebhookRemoved, hook.OrganisationId, "webhook", hook.Id.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private static Error? Refuse(Actor actor, bool write)
    {
        if (actor.OrganisationId is null || !actor.IsOrgAdmin)
        {
            return Error.Forbidden("Webhooks are managed by the organisation's administrators.");
        }

        return write ? actor.RequireWrite() : null;
    }

    private static async Task<List<WebhookDto>> ToDtosAsync(RibatDbContext db, List<WebhookEndpoint> hooks, CancellationToken cancellationToken)
    {
        var ids = hooks.Select(h => (Guid?)h.Id).ToList();
        var counts = await db.NotificationDeliveries.AsNoTracking().Where(d => ids.Contains(d.WebhookId) && d.State != DeliveryState.Delivered)
            .GroupBy(d => new { d.WebhookId, d.State }).Select(g => new { g.Key.WebhookId, g.Key.State, Count = g.Count() }).ToListAsync(cancellationToken);
        return hooks.Select(h => new WebhookDto(h.Id, h.Url, h.Enabled, h.CreatedAt,
            counts.Where(c => c.WebhookId == h.Id && c.State == DeliveryState.Pending).Sum(c => c.Count),
            counts.Where(c => c.WebhookId == h.Id && c.State == DeliveryState.Failed).Sum(c => c.Count))).ToList();
    }
}
