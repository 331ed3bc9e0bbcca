using MimeKit;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Email;

/// <summary>
/// Header anomalies: sender domains that disagree, display names that impersonate, dates that cannot be true, hops out
/// of order, a missing Message-ID and oversized headers. Domains are compared by registered domain, so
/// <c>mail.example.com</c> and <c>example.com</c> agree.
/// </summary>
internal static class HeaderChecks
{
    private static readonly DateTimeOffset Earliest = new(1990, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan DateToFirstHop = TimeSpan.FromHours(24);

    public static void CheckSenders(EmailReport report, List<HeaderAnomaly> anomalies, ProtectedDomains protectedDomains)
    {
        var from = Registered(report.From?.Address);
        if (from is null)
        {
            anomalies.Add(new HeaderAnomaly("missing-from", Severity.Suspicious, "the message has no readable From address."));
            return;
        }

        Compare(anomalies, "return-path-mismatch", Severity.Info, "Return-Path", Registered(report.ReturnPath), from);
        foreach (var replyTo in report.ReplyTo)
        {
            Compare(anomalies, "reply-to-mismatch", Severity.Suspicious, "Reply-To", Registered(replyTo.Address), from);
        }

        Compare(anomalies, "sender-mismatch", Severity.Info, "Sender", Registered(report.Sender?.Address), from);
        CheckDisplayName(report.From!, from, anomalies, protectedDomains);
    }

    private static void Compare(List<HeaderAnomaly> anomalies, string kind, Severity severity, string header, string? other, string from)
    {
        if (other is not null && other != from)
        {
            anomalies.Add(new HeaderAnomaly(kind, severity, $"the {header} domain {other} differs from the From domain {from}."));
        }
    }

    /// <summary>A display name holding an address or a protected brand that is not the real address's.</summary>
    private static void CheckDisplayName(MailboxAddressInfo from, string fromDomain, List<HeaderAnomaly> anomalies, ProtectedDomains protectedDomains)
    {
        var name = from.DisplayName;
        if (string.IsNullOrWhiteSpace(name))
        {
            return;
        }

        foreach (var word in name.Split([' ', '\t', '<', '>', '"', '\'', '(', ')', ',', ';', '[', ']'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.Contains('@') && Observables.TryCanonicalise(ObservableType.Email, word, out var shown, out _) &&
                RegisteredDomains.Of(shown) is { } shownDomain && shownDomain != fromDomain)
            {
                var severity = IsProtected(shownDomain, protectedDomains) ? Severity.Malicious : Severity.Suspicious;
                anomalies.Add(new HeaderAnomaly("display-name-spoof", severity, $"the display name shows {shown.Value} but the address is {from.Address}."));
                return;
            }
        }

        var squeezed = Confusables.Skeleton(string.Concat(name.Where(char.IsLetterOrDigit)));
        foreach (var entry in protectedDomains.Entries)
        {
            if (entry.Skeleton.Length >= 4 && squeezed.Contains(entry.Skeleton, StringComparison.Ordinal) && fromDomain != entry.Registered)
            {
                anomalies.Add(new HeaderAnomaly("display-name-spoof", Severity.Suspicious,
                    $"the display name '{name}' names {entry.Registered} but the address is at {fromDomain}."));
                return;
            }
        }
    }

    public static void CheckDates(MimeMessage message, List<ReceivedHop> hops, DateTimeOffset now, List<HeaderAnomaly> anomalies, out DateTimeOffset? date)
    {
        date = null;
        var raw = message.Headers[HeaderId.Date];
        if (raw is null)
        {
            anomalies.Add(new HeaderAnomaly("missing-date", Severity.Suspicious, "the message has no Date header."));
        }
        else if (!MimeKit.Utils.DateUtils.TryParse(raw, out var parsed))
        {
            anomalies.Add(new HeaderAnomaly("bad-date", Severity.Suspicious, $"the Date header cannot be read: '{AuthenticationReader.Shorten(raw)}'."));
        }
        else
        {
            date = parsed;
            CheckDate(parsed, hops, now, anomalies);
        }

        CheckHops(hops, now, anomalies);
    }

    private static void CheckDate(DateTimeOffset date, List<ReceivedHop> hops, DateTimeOffset now, List<HeaderAnomaly> anomalies)
    {
        if (date > now + ClockSkew)
        {
            anomalies.Add(new HeaderAnomaly("future-date", Severity.Suspicious, $"the Date {Format(date)} is in the future."));
        }
        else if (date < Earliest)
        {
            anomalies.Add(new HeaderAnomaly("impossible-date", Severity.Suspicious, $"the Date {Format(date)} is before 1990."));
        }

        var first = hops.Find(h => h.Timestamp is not null)?.Timestamp;
        if (first is { } received && (date - received).Duration() > DateToFirstHop)
        {
            var hours = (date - received).TotalHours;
            anomalies.Add(new HeaderAnomaly("date-far-from-received", Severity.Suspicious,
                $"the Date {Format(date)} is {Math.Abs(hours):0.#} hours {(hours > 0 ? "after" : "before")} the first Received ({Format(received)})."));
        }
    }

    private static void CheckHops(List<ReceivedHop> hops, DateTimeOffset now, List<HeaderAnomaly> anomalies)
    {
        foreach (var hop in hops)
        {
            if (hop.DelaySeconds is < 0 and var delay && -delay > ClockSkew.TotalSeconds)
            {
                anomalies.Add(new HeaderAnomaly("hops-out-of-order", Severity.Suspicious,
                    $"Received hop {hop.Position} is stamped {-delay:0} s before the hop that handed it the message."));
            }

            if (hop.Timestamp > now + ClockSkew)
            {
                anomalies.Add(new HeaderAnomaly("future-date", Severity.Suspicious, $"Received hop {hop.Position} is stamped in the future ({Format(hop.Timestamp.Value)})."));
            }
        }
    }

    public static void CheckMessageId(MimeMessage message, List<HeaderAnomaly> anomalies)
    {
        if (string.IsNullOrWhiteSpace(message.Headers[HeaderId.MessageId]))
        {
            anomalies.Add(new HeaderAnomaly("missing-message-id", Severity.Suspicious, "the message has no Message-ID (RFC 5322 §3.6.4 asks every message for one)."));
        }
    }

    public static void CheckSizes(MimeMessage message, EmailLimits limits, List<HeaderAnomaly> anomalies)
    {
        foreach (var header in message.Headers)
        {
            if (header.RawValue.Length > limits.MaxHeaderChars)
            {
                anomalies.Add(new HeaderAnomaly("oversized-header", Severity.Suspicious,
                    $"the {header.Field} header is {header.RawValue.Length:N0} bytes long (over {limits.MaxHeaderChars:N0}); only its start is shown."));
            }
        }
    }

    internal static string? Registered(string? address)
    {
        if (string.IsNullOrEmpty(address) || !Observables.TryCanonicalise(ObservableType.Email, address, out var email, out _))
        {
            return null;
        }

        return RegisteredDomains.Of(email);
    }

    private static bool IsProtected(string domain, ProtectedDomains protectedDomains)
    {
        foreach (var entry in protectedDomains.Entries)
        {
            if (entry.Registered == domain)
            {
                return true;
            }
        }

        return false;
    }

    private static string Format(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
