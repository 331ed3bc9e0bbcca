namespace Ribat.Core.Notifications;

/// <summary>
/// One thing an organisation (or one of its people) must be told. It is the inbox entry; its webhook and e-mail
/// copies are <see cref="NotificationDelivery"/> rows written in the same transaction, so nothing told is lost.
/// </summary>
public sealed class Notification
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    /// <summary>The person told; null means the whole organisation.</summary>
    public Guid? UserId { get; set; }

    /// <summary>What kind of event, for filtering and for webhook consumers (e.g. <c>incident.shared</c>).</summary>
    public required string Kind { get; set; }

    public required string Subject { get; set; }

    public string? Body { get; set; }

    /// <summary>A path in the web UI where the matter is handled.</summary>
    public string? Link { get; set; }

    /// <summary>The object the notification is about, e.g. <c>incident</c> and its id.</summary>
    public string? SubjectType { get; set; }

    public string? SubjectId { get; set; }

    public bool RequiresAcknowledgement { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? AcknowledgedAt { get; set; }

    public Guid? AcknowledgedBy { get; set; }

    /// <summary>When an unacknowledged notification escalates; null when it never does.</summary>
    public DateTimeOffset? EscalateAt { get; set; }

    public DateTimeOffset? EscalatedAt { get; set; }

    /// <summary>The notification this one escalates.</summary>
    public Guid? EscalatedFromId { get; set; }
}

public enum DeliveryChannel
{
    Webhook,
    Email,
}

public enum DeliveryState
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>
/// One copy of a notification to send by webhook or e-mail: the persisted outbox. A background service sends
/// it, retries with back-off, and marks it failed after the last attempt, where the inbox shows it.
/// </summary>
public sealed class NotificationDelivery
{
    public Guid Id { get; set; }

    public Guid NotificationId { get; set; }

    public Guid OrganisationId { get; set; }

    public DeliveryChannel Channel { get; set; }

    /// <summary>The webhook's URL or the e-mail address.</summary>
    public required string Target { get; set; }

    public Guid? WebhookId { get; set; }

    public DeliveryState State { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>While one instance sends it, others leave it alone (several instances may share one database).</summary>
    public DateTimeOffset ClaimedUntil { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }
}

/// <summary>An organisation's webhook: notifications are POSTed to it as JSON, signed with HMAC-SHA256 under its secret.</summary>
public sealed class WebhookEndpoint
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    public required string Url { get; set; }

    /// <summary>The signing secret, shown once when the webhook is created.</summary>
    public required string Secret { get; set; }

    public bool Enabled { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }
}
