namespace Ribat.Core.Notifications;

public sealed record DeliveryDto(Guid Id, string Channel, string Target, string State, int Attempts, DateTimeOffset? NextAttemptAt, string? LastError, DateTimeOffset? DeliveredAt);

public sealed record NotificationDto(
    Guid Id,
    string Kind,
    string Subject,
    string? Body,
    string? Link,
    bool ForMe,
    bool RequiresAcknowledgement,
    DateTimeOffset CreatedAt,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? EscalateAt,
    DateTimeOffset? EscalatedAt,
    Guid? EscalatedFromId,
    IReadOnlyList<DeliveryDto> Deliveries);

public sealed record WebhookInput(string? Url);

public sealed record WebhookDto(Guid Id, string Url, bool Enabled, DateTimeOffset CreatedAt, int Pending, int Failed);

/// <summary>A new webhook with its signing secret, which is shown this once.</summary>
public sealed record CreatedWebhook(WebhookDto Webhook, string Secret);
