namespace Ribat.Core.Notifications;

/// <summary>
/// How notifications leave the node. E-mail is sent only when <see cref="SmtpHost"/> is set; webhooks need no
/// setting. A delivery is tried <see cref="MaxAttempts"/> times, waiting <see cref="FirstRetry"/>, then twice as
/// long after each failure (at most <see cref="MaxRetry"/>).
/// </summary>
public sealed class NotificationOptions
{
    public const string Section = "Ribat:Notifications";

    public string? SmtpHost { get; set; }

    public int SmtpPort { get; set; } = 25;

    /// <summary><c>none</c>, <c>starttls</c> (required), <c>tls</c> (on connect) or <c>auto</c>.</summary>
    public string SmtpSecurity { get; set; } = "auto";

    public string? SmtpUsername { get; set; }

    public string? SmtpPassword { get; set; }

    public string SmtpFrom { get; set; } = "ribat@localhost";

    public int MaxAttempts { get; set; } = 6;

    public TimeSpan FirstRetry { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetry { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often the background service looks for due deliveries and escalations.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one webhook call or SMTP session may take.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Lets webhooks call loopback addresses (this node's own host). Off: a webhook entered by an organisation
    /// administrator could otherwise reach services that listen only locally. Link-local and reserved ranges are never
    /// called; private networks always may be.
    /// </summary>
    public bool WebhookAllowLoopback { get; set; }

    public bool EmailEnabled => !string.IsNullOrWhiteSpace(SmtpHost);

    /// <summary>The wait before attempt <paramref name="attempts"/> + 1.</summary>
    public TimeSpan BackOff(int attempts)
    {
        var wait = FirstRetry * Math.Pow(2, Math.Max(0, attempts - 1));
        return wait > MaxRetry ? MaxRetry : wait;
    }
}
