using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Ribat.Core.Notifications;

/// <summary>
/// POSTs a notification as JSON. The body is signed with HMAC-SHA256 under the webhook's secret over
/// "<c>timestamp.body</c>", so a receiver checks both who sent it and that it is not a replay:
/// <c>X-Ribat-Timestamp</c> (Unix seconds), <c>X-Ribat-Signature: sha256=hex</c>, <c>X-Ribat-Delivery</c> (the
/// delivery id, the same on every retry, for de-duplication).
/// </summary>
internal sealed class WebhookSender(IHttpClientFactory clients, TimeProvider clock)
{
    public const string ClientName = "ribat-webhooks";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Sign(string secret, long timestamp, byte[] body)
    {
        var signed = Encoding.UTF8.GetBytes($"{timestamp}.").Concat(body).ToArray();
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    public static byte[] Payload(Notification n) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        id = n.Id,
        kind = n.Kind,
        organisationId = n.OrganisationId,
        userId = n.UserId,
        subject = n.Subject,
        body = n.Body,
        link = n.Link,
        subjectType = n.SubjectType,
        subjectId = n.SubjectId,
        requiresAcknowledgement = n.RequiresAcknowledgement,
        createdAt = n.CreatedAt,
    }, Json);

    /// <summary>Null when the receiver answered 2xx; otherwise why not.</summary>
    public async Task<string?> SendAsync(NotificationDelivery delivery, Notification notification, string secret, CancellationToken cancellationToken)
    {
        var body = Payload(notification);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Target) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add("X-Ribat-Timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("X-Ribat-Signature", Sign(secret, timestamp, body));
        request.Headers.Add("X-Ribat-Delivery", delivery.Id.ToString());
        request.Headers.Add("X-Ribat-Event", notification.Kind);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return response.IsSuccessStatusCode ? null : $"The receiver answered {(int)response.StatusCode} {response.ReasonPhrase}.";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return $"The receiver could not be reached: {ex.Message}";
        }
    }
}

/// <summary>Sends a notification as a plain-text e-mail through the configured SMTP server.</summary>
internal sealed class EmailSender(IOptions<NotificationOptions> options)
{
    public async Task<string?> SendAsync(NotificationDelivery delivery, Notification notification, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(o.SmtpFrom));
        if (!MailboxAddress.TryParse(delivery.Target, out var to))
        {
            return $"'{delivery.Target}' is not an e-mail address.";
        }

        message.To.Add(to);
        message.Subject = notification.Subject;
        message.Headers.Add("X-Ribat-Event", notification.Kind);
        var text = new StringBuilder(notification.Body ?? notification.Subject);
        if (notification.Link is { } link)
        {
            text.AppendLine().AppendLine().Append(link);
        }

        if (notification.RequiresAcknowledgement)
        {
            text.AppendLine().AppendLine().Append("Please acknowledge this notification in Ribat.");
        }

        message.Body = new TextPart("plain") { Text = text.ToString() };
        var security = o.SmtpSecurity.Trim().ToLowerInvariant() switch
        {
            "none" => SecureSocketOptions.None,
            "starttls" => SecureSocketOptions.StartTls,
            "tls" => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.Auto,
        };
        using var smtp = new SmtpClient { Timeout = (int)o.SendTimeout.TotalMilliseconds };
        try
        {
            await smtp.ConnectAsync(o.SmtpHost!, o.SmtpPort, security, cancellationToken);
            if (!string.IsNullOrEmpty(o.SmtpUsername))
            {
                await smtp.AuthenticateAsync(o.SmtpUsername, o.SmtpPassword ?? string.Empty, cancellationToken);
            }

            await smtp.SendAsync(message, cancellationToken);
            await smtp.DisconnectAsync(quit: true, cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or SmtpCommandException or SmtpProtocolException
            or AuthenticationException or SslHandshakeException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return $"The SMTP server refused or could not be reached: {ex.Message}";
        }
    }
}
