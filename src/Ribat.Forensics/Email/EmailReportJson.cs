using System.Globalization;
using System.Text.Json;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Email;

/// <summary>
/// The JSON form of an <see cref="EmailReport"/>: snake_case, one object per message, every field present (null when
/// absent) so consumers need no guessing. Times are UTC ISO 8601.
/// </summary>
public static class EmailReportJson
{
    public static void Write(Utf8JsonWriter json, EmailReport report, string? file = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(report);
        json.WriteStartObject();
        if (file is not null)
        {
            json.WriteString("file", file);
        }

        json.WriteNumber("index", report.Index);
        json.WriteNumber("offset", report.Offset);
        json.WriteString("subject", report.Subject);
        WriteMailbox(json, "from", report.From);
        WriteMailbox(json, "sender", report.Sender);
        WriteMailboxes(json, "reply_to", report.ReplyTo);
        json.WriteString("return_path", report.ReturnPath);
        WriteMailboxes(json, "to", report.To);
        WriteMailboxes(json, "cc", report.Cc);
        WriteTime(json, "date", report.Date);
        json.WriteString("message_id", report.MessageId);
        json.WriteStartArray("received");
        foreach (var hop in report.Received)
        {
            WriteHop(json, hop);
        }

        json.WriteEndArray();
        json.WriteString("origin_ip", report.Origin?.FromIp);
        json.WriteString("origin_host", report.Origin?.FromHost);
        json.WriteNumber("origin_hop", report.Origin?.Position ?? 0);
        WriteAuthentication(json, report.Authentication);
        WriteAnomalies(json, report.Anomalies);
        WriteUrls(json, report.Urls);
        WriteAttachments(json, report.Attachments);
        WriteLookalikes(json, report.Lookalikes);
        WriteIndicators(json, report.Indicators);
        json.WriteStartObject("verdict");
        json.WriteString("level", Name(report.Verdict.Level));
        json.WriteStartArray("reasons");
        foreach (var reason in report.Verdict.Reasons)
        {
            json.WriteStartObject();
            json.WriteString("severity", Name(reason.Severity));
            json.WriteString("reason", reason.Reason);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    public static string Name(VerdictLevel level) => level switch
    {
        VerdictLevel.Malicious => "malicious",
        VerdictLevel.Suspicious => "suspicious",
        _ => "clean",
    };

    public static string Name(Severity severity) => severity switch
    {
        Severity.Malicious => "malicious",
        Severity.Suspicious => "suspicious",
        _ => "info",
    };

    public static string Name(DkimStatus status) => status switch
    {
        DkimStatus.Pass => "pass",
        DkimStatus.Fail => "fail",
        DkimStatus.NoKey => "no-key",
        _ => "error",
    };

    private static void WriteHop(Utf8JsonWriter json, ReceivedHop hop)
    {
        json.WriteStartObject();
        json.WriteNumber("hop", hop.Position);
        json.WriteString("from_host", hop.FromHost);
        json.WriteString("from_ip", hop.FromIp);
        json.WriteString("by_host", hop.ByHost);
        json.WriteString("protocol", hop.Protocol);
        WriteTime(json, "timestamp", hop.Timestamp);
        if (hop.DelaySeconds is { } delay)
        {
            json.WriteNumber("delay_seconds", delay);
        }
        else
        {
            json.WriteNull("delay_seconds");
        }

        json.WriteEndObject();
    }

    private static void WriteAuthentication(Utf8JsonWriter json, AuthenticationSummary auth)
    {
        json.WriteStartObject("authentication");
        json.WriteString("spf", auth.Spf);
        json.WriteString("dkim", auth.Dkim);
        json.WriteString("dmarc", auth.Dmarc);
        json.WriteString("arc", auth.Arc);
        json.WriteNumber("arc_sets", auth.ArcSets);
        json.WriteStartArray("results");
        foreach (var result in auth.Results)
        {
            json.WriteStartObject();
            json.WriteString("authserv_id", result.AuthServId);
            json.WriteString("method", result.Method);
            json.WriteString("result", result.Result);
            json.WriteStartObject("properties");
            foreach (var (name, value) in result.Properties)
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("received_spf");
        foreach (var spf in auth.ReceivedSpf)
        {
            json.WriteStringValue(spf);
        }

        json.WriteEndArray();
        json.WriteStartArray("dkim_signatures");
        foreach (var signature in auth.DkimSignatures)
        {
            json.WriteStartObject();
            json.WriteString("domain", signature.Domain);
            json.WriteString("selector", signature.Selector);
            json.WriteString("algorithm", signature.Algorithm);
            json.WriteString("verification", Name(signature.Status));
            json.WriteString("detail", signature.Detail);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteAnomalies(Utf8JsonWriter json, IReadOnlyList<HeaderAnomaly> anomalies)
    {
        json.WriteStartArray("anomalies");
        foreach (var anomaly in anomalies)
        {
            json.WriteStartObject();
            json.WriteString("kind", anomaly.Kind);
            json.WriteString("severity", Name(anomaly.Severity));
            json.WriteString("message", anomaly.Message);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteUrls(Utf8JsonWriter json, IReadOnlyList<MessageUrl> urls)
    {
        json.WriteStartArray("urls");
        foreach (var url in urls)
        {
            json.WriteStartObject();
            json.WriteString("url", url.Url);
            json.WriteString("display", url.Display);
            json.WriteString("host", url.Host);
            json.WriteString("registered_domain", url.RegisteredDomain);
            json.WriteString("source", url.Source);
            json.WriteString("link_text", url.LinkText);
            json.WriteBoolean("text_mismatch", url.TextMismatch);
            json.WriteString("mismatch", url.MismatchDetail);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteAttachments(Utf8JsonWriter json, IReadOnlyList<AttachmentReport> attachments)
    {
        json.WriteStartArray("attachments");
        foreach (var attachment in attachments)
        {
            json.WriteStartObject();
            json.WriteString("path", attachment.Path);
            json.WriteString("name", attachment.FileName);
            json.WriteString("declared_type", attachment.DeclaredType);
            json.WriteString("detected_type", attachment.DetectedType);
            json.WriteNumber("size", attachment.Size);
            json.WriteString("md5", attachment.Md5);
            json.WriteString("sha1", attachment.Sha1);
            json.WriteString("sha256", attachment.Sha256);
            json.WriteNumber("depth", attachment.Depth);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteLookalikes(Utf8JsonWriter json, IReadOnlyList<Lookalike> lookalikes)
    {
        json.WriteStartArray("lookalikes");
        foreach (var lookalike in lookalikes)
        {
            json.WriteStartObject();
            json.WriteString("domain", lookalike.Domain);
            json.WriteString("display", lookalike.Display);
            json.WriteString("protected", lookalike.Protected);
            json.WriteString("kind", lookalike.Kind);
            json.WriteString("detail", lookalike.Detail);
            json.WriteString("where", lookalike.Where);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteIndicators(Utf8JsonWriter json, IReadOnlyList<Canonical> indicators)
    {
        json.WriteStartArray("indicators");
        foreach (var indicator in indicators)
        {
            json.WriteStartObject();
            json.WriteString("type", indicator.Type.ToName());
            json.WriteString("value", indicator.Value);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteMailbox(Utf8JsonWriter json, string name, MailboxAddressInfo? mailbox)
    {
        if (mailbox is null)
        {
            json.WriteNull(name);
            return;
        }

        json.WritePropertyName(name);
        WriteMailboxValue(json, mailbox);
    }

    private static void WriteMailboxes(Utf8JsonWriter json, string name, IReadOnlyList<MailboxAddressInfo> mailboxes)
    {
        json.WriteStartArray(name);
        foreach (var mailbox in mailboxes)
        {
            WriteMailboxValue(json, mailbox);
        }

        json.WriteEndArray();
    }

    private static void WriteMailboxValue(Utf8JsonWriter json, MailboxAddressInfo mailbox)
    {
        json.WriteStartObject();
        json.WriteString("name", mailbox.DisplayName);
        json.WriteString("address", mailbox.Address);
        json.WriteEndObject();
    }

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            json.WriteString(name, value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
