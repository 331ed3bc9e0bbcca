using MimeKit;

namespace Ribat.Forensics.Email;

/// <summary>
/// Turns one parsed message into an <see cref="EmailReport"/>. Pure: nothing is resolved or fetched, DKIM keys come
/// from the options. Safe to share between threads; each call keeps its own state.
/// </summary>
public sealed class EmailAnalyser
{
    private readonly EmailAnalysisOptions _options;

    public EmailAnalyser(EmailAnalysisOptions? options = null) => _options = options ?? EmailAnalysisOptions.Default;

    public EmailReport Analyse(MimeMessage message, int index = 1, long offset = 0)
    {
        ArgumentNullException.ThrowIfNull(message);
        var anomalies = new List<HeaderAnomaly>();
        HeaderChecks.CheckSizes(message, _options.Limits, anomalies);
        var hops = ReceivedChain.Build(ReceivedValues(message, anomalies));
        var origin = ReceivedChain.FindOrigin(hops, _options.Internal);
        HeaderChecks.CheckDates(message, hops, _options.Clock.GetUtcNow(), anomalies, out var date);
        HeaderChecks.CheckMessageId(message, anomalies);
        var authentication = AuthenticationReader.Read(message, _options, anomalies);
        var links = new LinkCollector(_options.Limits, anomalies);
        var walker = new ContentWalker(_options, anomalies, links);
        walker.WalkMessage(message, string.Empty, 0);

        var report = new EmailReport
        {
            Index = index,
            Offset = offset,
            Subject = Clip(message.Subject),
            From = First(message.From),
            Sender = message.Sender is { } sender ? Info(sender) : null,
            ReplyTo = All(message.ReplyTo),
            ReturnPath = ReturnPath(message),
            To = All(message.To),
            Cc = All(message.Cc),
            Date = date,
            MessageId = Clip(message.MessageId),
            Received = hops,
            Origin = origin,
            Authentication = authentication,
            Urls = links.Urls,
            Attachments = walker.Attachments,
            Verdict = new EmailVerdict(VerdictLevel.Clean, []),
        };
        HeaderChecks.CheckSenders(report, anomalies, _options.Protected);
        var lookalikes = Lookalikes(report);
        report = report with { Anomalies = anomalies, Lookalikes = lookalikes };
        return report with
        {
            Indicators = EmailIndicators.Collect(report, walker.NestedSenders, links.Payments),
            Verdict = VerdictRules.Decide(report, _options.Protected),
        };
    }

    private List<string> ReceivedValues(MimeMessage message, List<HeaderAnomaly> anomalies)
    {
        var values = new List<string>();
        var skipped = 0;
        foreach (var header in message.Headers)
        {
            if (header.Id != HeaderId.Received)
            {
                continue;
            }

            if (values.Count < _options.Limits.MaxReceived)
            {
                values.Add(Clip(header.Value) ?? string.Empty);
            }
            else
            {
                skipped++;
            }
        }

        if (skipped > 0)
        {
            anomalies.Add(new HeaderAnomaly("limit-reached", Severity.Suspicious,
                $"{values.Count + skipped:N0} Received headers; only the last {_options.Limits.MaxReceived:N0} hops are read."));
        }

        return values;
    }

    private List<Lookalike> Lookalikes(EmailReport report)
    {
        var found = new List<Lookalike>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Check(found, seen, DomainOf(report.From?.Address), "from");
        Check(found, seen, DomainOf(report.Sender?.Address), "sender");
        foreach (var replyTo in report.ReplyTo)
        {
            Check(found, seen, DomainOf(replyTo.Address), "reply-to");
        }

        Check(found, seen, DomainOf(report.ReturnPath), "return-path");
        foreach (var url in report.Urls)
        {
            Check(found, seen, url.Host, "url");
        }

        return found;
    }

    private void Check(List<Lookalike> found, HashSet<string> seen, string? host, string where)
    {
        if (string.IsNullOrEmpty(host) || !seen.Add(host))
        {
            return;
        }

        if (LookalikeDetector.Check(host, where, _options.Protected) is { } lookalike && !found.Exists(l => l.Domain == lookalike.Domain))
        {
            found.Add(lookalike);
        }
    }

    private static string? DomainOf(string? address)
    {
        var at = address?.LastIndexOf('@') ?? -1;
        if (at < 0 || !Ioc.Observables.TryCanonicalise(Ioc.ObservableType.Hostname, address![(at + 1)..], out var host, out _))
        {
            return null;
        }

        return host.Value;
    }

    private string? Clip(string? text) =>
        text is null || text.Length <= _options.Limits.MaxHeaderChars ? text : text[.._options.Limits.MaxHeaderChars];

    private static MailboxAddressInfo Info(MailboxAddress mailbox) =>
        new(string.IsNullOrEmpty(mailbox.Name) ? null : mailbox.Name, mailbox.Address);

    private static MailboxAddressInfo? First(InternetAddressList list)
    {
        foreach (var mailbox in list.Mailboxes)
        {
            return Info(mailbox);
        }

        return null;
    }

    private static List<MailboxAddressInfo> All(InternetAddressList list)
    {
        var all = new List<MailboxAddressInfo>();
        foreach (var mailbox in list.Mailboxes)
        {
            all.Add(Info(mailbox));
        }

        return all;
    }

    private static string? ReturnPath(MimeMessage message)
    {
        var value = message.Headers[HeaderId.ReturnPath]?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var trimmed = value.Trim('<', '>', ' ');
        return trimmed.Length == 0 ? null : trimmed; // '<>' is a bounce: no return path
    }
}
