namespace Ribat.Forensics.Ioc;

/// <summary>
/// The registered domain behind an observable, for grouping values by who controls them: every URL, e-mail
/// address and host name under <c>example.co.uk</c> has the registered domain <c>example.co.uk</c>.
/// </summary>
public static class RegisteredDomains
{
    /// <summary>
    /// The registered domain of a domain, host name, URL (its host) or e-mail address (its domain), by
    /// <see cref="PublicSuffixList.Default"/>; <c>null</c> for other types, IP hosts and names that are themselves
    /// public suffixes.
    /// </summary>
    public static string? Of(Canonical value) => Of(value, PublicSuffixList.Default);

    public static string? Of(Canonical value, PublicSuffixList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var host = HostOf(value);
        return host is null ? null : list.GetRegisteredDomain(host);
    }

    /// <summary>The host name inside a canonical value, or <c>null</c> when it has none or its host is an IP address.</summary>
    internal static string? HostOf(Canonical value)
    {
        var text = value.Value;
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        switch (value.Type)
        {
            case ObservableType.Domain or ObservableType.Hostname:
                return text;
            case ObservableType.Email:
                var at = text.LastIndexOf('@');
                return at < 0 ? null : text[(at + 1)..];
            case ObservableType.Url:
                return UrlHost(text);
            default:
                return null;
        }
    }

    private static string? UrlHost(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return null;
        }

        var authority = url.AsSpan(schemeEnd + 3);
        var authorityEnd = authority.IndexOfAny('/', '?', '#');
        if (authorityEnd >= 0)
        {
            authority = authority[..authorityEnd];
        }

        var at = authority.LastIndexOf('@');
        var host = at < 0 ? authority : authority[(at + 1)..];
        if (host.IsEmpty || host[0] == '[')
        {
            return null; // a bracketed IPv6 literal
        }

        var colon = host.IndexOf(':');
        if (colon >= 0)
        {
            host = host[..colon];
        }

        // A canonical host whose last label is all digits is an IPv4 address (a domain's TLD never is).
        var lastDot = host.LastIndexOf('.');
        return host.IsEmpty || host[(lastDot + 1)..].IndexOfAnyExceptInRange('0', '9') < 0 ? null : host.ToString();
    }
}
