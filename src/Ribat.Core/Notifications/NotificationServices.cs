using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ribat.Core.Notifications;

public static class NotificationServices
{
    /// <summary>The inbox, webhooks, e-mail and the background service that works the outbox.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddOptions<NotificationOptions>()
            .BindConfiguration(NotificationOptions.Section)
            .Validate(o => o.MaxAttempts is >= 1 and <= 100, "Notifications: MaxAttempts is 1 to 100.")
            .Validate(o => o.FirstRetry > TimeSpan.Zero && o.MaxRetry >= o.FirstRetry, "Notifications: FirstRetry is positive and at most MaxRetry.")
            .Validate(o => o.PollInterval >= TimeSpan.FromMilliseconds(100), "Notifications: PollInterval is at least 100 ms.")
            .Validate(o => o.SmtpPort is > 0 and < 65536, "Notifications: SmtpPort is 1 to 65535.")
            .ValidateOnStart();
        services.AddHttpClient(WebhookSender.ClientName, (sp, client) =>
                client.Timeout = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<NotificationOptions>>().Value.SendTimeout)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                // A receiver answers; it does not send the node elsewhere (a redirect is reported as the receiver's answer).
                AllowAutoRedirect = false,
                ConnectCallback = WebhookAddresses.Connect(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<NotificationOptions>>().Value.WebhookAllowLoopback),
            });
        services.TryAddSingleton<Notifier>();
        services.TryAddSingleton<WebhookSender>();
        services.TryAddSingleton<EmailSender>();
        services.TryAddSingleton<NotificationDispatcher>();
        services.TryAddSingleton<ReadInbox>();
        services.TryAddSingleton<AcknowledgeNotification>();
        services.TryAddSingleton<Webhooks>();
        return services;
    }
}
