using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Email;

/// <summary>
/// The observables a report yields, canonical and typed as everywhere in Ribat: sender addresses, the origin address,
/// URLs and their registered domains, crypto-currency addresses and IBANs in the text, lookalike domains, attachment
/// names and hashes. Each once, in that order.
/// </summary>
internal static class EmailIndicators
{
    public static List<Canonical> Collect(EmailReport report, List<string> nestedSenders, IReadOnlyList<Canonical> payments)
    {
        var indicators = new List<Canonical>();
        var seen = new HashSet<(ObservableType, string)>();
        Add(indicators, seen, ObservableType.Email, report.From?.Address);
        Add(indicators, seen, ObservableType.Email, report.Sender?.Address);
        foreach (var replyTo in report.ReplyTo)
        {
            Add(indicators, seen, ObservableType.Email, replyTo.Address);
        }

        Add(indicators, seen, ObservableType.Email, report.ReturnPath);
        foreach (var sender in nestedSenders)
        {
            Add(indicators, seen, ObservableType.Email, sender);
        }

        if (report.Origin?.FromIp is { } ip)
        {
            Add(indicators, seen, ip.Contains(':') ? ObservableType.IPv6 : ObservableType.IPv4, ip);
        }

        foreach (var url in report.Urls)
        {
            Add(indicators, seen, ObservableType.Url, url.Url);
            Add(indicators, seen, ObservableType.Domain, url.RegisteredDomain);
        }

        foreach (var payment in payments)
        {
            Add(indicators, seen, payment.Type, payment.Value);
        }

        foreach (var lookalike in report.Lookalikes)
        {
            Add(indicators, seen, ObservableType.Domain, lookalike.Domain);
        }

        foreach (var attachment in report.Attachments)
        {
            Add(indicators, seen, ObservableType.FileName, attachment.FileName);
            Add(indicators, seen, ObservableType.Md5, attachment.Md5);
            Add(indicators, seen, ObservableType.Sha1, attachment.Sha1);
            Add(indicators, seen, ObservableType.Sha256, attachment.Sha256);
        }

        return indicators;
    }

    private static void Add(List<Canonical> indicators, HashSet<(ObservableType, string)> seen, ObservableType type, string? value)
    {
        if (value is not null && Observables.TryCanonicalise(type, value, out var canonical, out _) && seen.Add((type, canonical.Value)))
        {
            indicators.Add(canonical);
        }
    }
}
