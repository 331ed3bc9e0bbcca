using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Email;

/// <summary>
/// Collects the URLs of a message's text and HTML parts, refanged and canonical, once each. An HTML link whose
/// visible text shows a URL or domain with another registered domain than its target is flagged: it is the classic
/// phishing link.
/// </summary>
internal sealed class LinkCollector
{
    /// <summary>The payment details an extortion or fraud message asks the reader to pay into.</summary>
    internal static readonly IReadOnlySet<ObservableType> PaymentTypes = new HashSet<ObservableType>
    {
        ObservableType.BitcoinAddress, ObservableType.EthereumAddress, ObservableType.TronAddress,
        ObservableType.LitecoinAddress, ObservableType.MoneroAddress, ObservableType.Iban,
    };

    private static readonly IocExtractorOptions TextUrls = new()
    {
        Types = new HashSet<ObservableType>(PaymentTypes) { ObservableType.Url },
        IncludeUrlHosts = false,
    };

    private static readonly IocExtractorOptions ShownTargets = new()
    {
        Types = new HashSet<ObservableType> { ObservableType.Url, ObservableType.Domain, ObservableType.Hostname },
        IncludeUrlHosts = false,
        MaxObservables = 1,
    };

    private readonly EmailLimits _limits;
    private readonly List<HeaderAnomaly> _anomalies;
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<HtmlLink> _scratch = [];
    private bool _limitReported;

    public LinkCollector(EmailLimits limits, List<HeaderAnomaly> anomalies)
    {
        _limits = limits;
        _anomalies = anomalies;
    }

    public List<MessageUrl> Urls { get; } = [];

    /// <summary>Crypto-currency addresses and IBANs written in the text parts, canonical, once each.</summary>
    public List<Canonical> Payments { get; } = [];

    public void AddText(string text, bool isHtml, string source, string partName)
    {
        if (text.Length > _limits.MaxTextChars)
        {
            _anomalies.Add(new HeaderAnomaly("limit-reached", Severity.Info,
                $"{partName}: only the first {_limits.MaxTextChars:N0} of {text.Length:N0} characters are scanned for links."));
            text = text[.._limits.MaxTextChars];
        }

        if (isHtml)
        {
            _scratch.Clear();
            HtmlLinks.Scan(text, _scratch, _limits.MaxUrls);
            foreach (var link in _scratch)
            {
                AddHtmlLink(link, source);
            }

            // Link targets came from the tags; what is left to scan is the text a reader sees.
            text = HtmlLinks.VisibleText(text);
        }

        var options = TextUrls with { MaxLineLength = Math.Max(_limits.MaxTextChars, 1) };
        foreach (var found in IocExtractor.Extract(text, options).Observables)
        {
            if (found.Type != ObservableType.Url)
            {
                AddPayment(new Canonical(found.Type, found.Canonical, found.Display));
                continue;
            }

            Add(new Canonical(ObservableType.Url, found.Canonical, found.Display), source, null, null);
        }
    }

    private void AddPayment(Canonical payment)
    {
        if (Payments.Count < _limits.MaxUrls && !Payments.Contains(payment))
        {
            Payments.Add(payment);
        }
    }

    private void AddHtmlLink(HtmlLink link, string source)
    {
        var target = Defang.Refang(link.Target);
        if (target.StartsWith("//", StringComparison.Ordinal))
        {
            target = "http:" + target; // protocol-relative: the browser uses the page's scheme
        }

        if (!(target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ||
              target.StartsWith("ftp://", StringComparison.OrdinalIgnoreCase)) ||
            !Observables.TryCanonicalise(ObservableType.Url, target, out var url, out _))
        {
            return;
        }

        string? mismatch = null;
        var text = string.IsNullOrWhiteSpace(link.Text) ? null : link.Text;
        if (text is not null && ShownHost(text) is { } shown)
        {
            var shownDomain = PublicSuffixList.Default.GetRegisteredDomain(shown) ?? shown;
            var targetDomain = RegisteredDomains.Of(url) ?? HostOf(url);
            if (!string.Equals(shownDomain, targetDomain, StringComparison.Ordinal))
            {
                mismatch = $"the link text shows {shownDomain} but the link leads to {targetDomain ?? url.Value}.";
            }
        }

        Add(url, source, text, mismatch);
    }

    private static string? ShownHost(string text)
    {
        var found = IocExtractor.Extract(Defang.Refang(text), ShownTargets).Observables;
        if (found.Count == 0)
        {
            return null;
        }

        var value = found[0];
        return value.Type == ObservableType.Url ? HostOf(new Canonical(ObservableType.Url, value.Canonical, value.Display)) : value.Canonical;
    }

    internal static string? HostOf(Canonical url)
    {
        var text = url.Value;
        var start = text.IndexOf("://", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var authority = text.AsSpan(start + 3);
        var end = authority.IndexOfAny('/', '?', '#');
        authority = end < 0 ? authority : authority[..end];
        var at = authority.LastIndexOf('@');
        var host = at < 0 ? authority : authority[(at + 1)..];
        if (host.StartsWith("["))
        {
            var close = host.IndexOf(']');
            return close < 0 ? null : host[1..close].ToString();
        }

        var colon = host.IndexOf(':');
        return (colon < 0 ? host : host[..colon]).ToString();
    }

    private void Add(Canonical url, string source, string? linkText, string? mismatch)
    {
        if (_index.TryGetValue(url.Value, out var at))
        {
            var known = Urls[at];
            if (mismatch is not null && !known.TextMismatch)
            {
                Urls[at] = known with { LinkText = linkText, TextMismatch = true, MismatchDetail = mismatch };
            }
            else if (known.LinkText is null && linkText is not null)
            {
                Urls[at] = known with { LinkText = linkText, Source = source };
            }

            return;
        }

        if (Urls.Count >= _limits.MaxUrls)
        {
            if (!_limitReported)
            {
                _limitReported = true;
                _anomalies.Add(new HeaderAnomaly("limit-reached", Severity.Info, $"more than {_limits.MaxUrls:N0} distinct URLs; the rest are not listed."));
            }

            return;
        }

        _index.Add(url.Value, Urls.Count);
        Urls.Add(new MessageUrl(url.Value, url.Display, HostOf(url), RegisteredDomains.Of(url), source, linkText, mismatch is not null, mismatch));
    }
}
