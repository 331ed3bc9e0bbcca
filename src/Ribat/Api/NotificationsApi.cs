using Ribat.Core.Common;
using Ribat.Core.Notifications;
using Ribat.Core.Readiness;

namespace Ribat.Api;

/// <summary>The caller's inbox, the organisation's webhooks and its on-call roster over <c>/api/v1</c>.</summary>
internal static class NotificationsApi
{
    private const string Prefix = RibatApi.Prefix;

    public static void MapNotificationsApi(this RouteGroupBuilder api)
    {
        var inbox = api.MapGroup("/notifications").WithTags("Notifications").WithBodyLimit(RequestBodies.Small);
        inbox.MapGet("", async (HttpContext http, ReadInbox handler, bool? pending, string? cursor, int? limit, CancellationToken ct) =>
                (await handler.ListAsync(http.Actor(), pending ?? false, cursor, limit, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("The caller's notifications and their organisation's, newest first, with the state of each webhook and e-mail copy; pending=true keeps those awaiting acknowledgement.")
            .Produces<Page<NotificationDto>>();
        inbox.MapPost("/{id}/acknowledge", async (HttpContext http, Guid id, AcknowledgeNotification handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Acknowledge a notification that asks for it; the first acknowledgement counts (acknowledging an escalation answers its alert too).")
            .Produces<NotificationDto>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        var webhooks = api.MapGroup("/webhooks").WithTags("Notifications").WithBodyLimit(RequestBodies.Small);
        webhooks.MapGet("", async (HttpContext http, Webhooks handler, CancellationToken ct) =>
                (await handler.ListAsync(http.Actor(), ct)).ToHttp(w => TypedResults.Ok(new Page<WebhookDto>(w, null))))
            .WithSummary("The organisation's webhooks with their pending and failed deliveries (organisation administrators).").Produces<Page<WebhookDto>>();
        webhooks.MapPost("", async (HttpContext http, WebhookInput input, Webhooks handler, CancellationToken ct) =>
                (await handler.CreateAsync(http.Actor(), input, ct)).ToHttp(w => TypedResults.Created($"{Prefix}/webhooks/{w.Webhook.Id}", w)))
            .WithSummary("Add a webhook (url): every notification to the organisation is POSTed to it as JSON, signed with HMAC-SHA256; the secret is in this response only.")
            .WithDescription("Headers: X-Ribat-Timestamp (Unix seconds), X-Ribat-Signature: sha256=hex(HMAC-SHA256(secret, timestamp + '.' + body)), X-Ribat-Delivery (same on retries), X-Ribat-Event. " +
                "A delivery that fails is retried with exponential back-off and marked failed after the last attempt.")
            .Produces<CreatedWebhook>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        webhooks.MapDelete("/{id}", async (HttpContext http, Guid id, Webhooks handler, CancellationToken ct) =>
                (await handler.DeleteAsync(http.Actor(), id, ct)).ToHttp(_ => TypedResults.NoContent()))
            .WithSummary("Remove a webhook; its deliveries still waiting fail with the reason.").Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);

        var roster = api.MapGroup("/on-call").WithTags("Readiness").WithBodyLimit(RequestBodies.Small);
        roster.MapGet("", async (HttpContext http, OnCallRoster handler, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct) =>
                (await handler.ListAsync(http.Actor(), from, to, ct)).ToHttp(s => TypedResults.Ok(new Page<OnCallShiftDto>(s, null))))
            .WithSummary("The organisation's on-call shifts overlapping from..to (default: yesterday to 30 days ahead), with local times.").Produces<Page<OnCallShiftDto>>();
        roster.MapPost("", async (HttpContext http, OnCallShiftInput input, OnCallRoster handler, CancellationToken ct) =>
                (await handler.AddAsync(http.Actor(), input, ct)).ToHttp(s => TypedResults.Created($"{Prefix}/on-call/{s.Id}", s)))
            .WithSummary("Put a person on duty (userId, startsAt, endsAt, IANA timeZone); organisation administrators and liaison officers.")
            .Produces<OnCallShiftDto>(StatusCodes.Status201Created).ProducesValidationProblem();
        roster.MapDelete("/{id}", async (HttpContext http, Guid id, OnCallRoster handler, CancellationToken ct) =>
                (await handler.RemoveAsync(http.Actor(), id, ct)).ToHttp(_ => TypedResults.NoContent()))
            .WithSummary("Remove a shift.").Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
    }
}
