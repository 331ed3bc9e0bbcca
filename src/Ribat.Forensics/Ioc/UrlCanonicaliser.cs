namespace Ribat.Forensics.Ioc;

/// <summary>
/// URLs and e-mail addresses. A URL keeps its path, query and fragment byte for byte (case matters there);
/// scheme and host are lower-cased, the host canonicalised like a domain or IP, the default port dropped and an
/// empty path written as '/'. An e-mail keeps its local part (RFC 5321 lets servers treat it case-sensitively)
/// and lower-cases its domain.
/// </summary>
internal static class UrlCanonicaliser
{
    public static bool TryUrl(string text, out Canonical value, out string reason)
    {
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            return Observables.Fail(out value, out reason, "not a valid URL: missing 'scheme://'.");
        }

        var scheme = text[..schemeEnd].ToLowerInvariant();
        if (!char.IsAsciiLetter(scheme[0]) || !IsSchemeText(scheme))
        {
            return Observables.Fail(out value, out reason, "not a valid URL: the scheme must be a letter followed by letters, digits, '+', '-' or '.'.");
        }

        var rest = text.AsSpan(schemeEnd + 3);
        var authorityEnd = rest.IndexOfAny('/', '?', '#');
        var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        var path = authorityEnd < 0 ? ReadOnlySpan<char>.Empty : rest[authorityEnd..];
        foreach (var c in rest)
        {
            if (char.IsControl(c) || c == ' ')
            {
                return Observables.Fail(out value, out reason, "not a valid URL: it contains a space or control character.");
            }
        }

        var at = authority.LastIndexOf('@');
        var userInfo = at < 0 ? ReadOnlySpan<char>.Empty : authority[..(at + 1)];
        var hostPort = at < 0 ? authority : authority[(at + 1)..];
        if (!TrySplitHostPort(hostPort, out var hostText, out var port, out reason))
        {
            value = default;
            return false;
        }

        if (!TryCanonicalHost(hostText, out var host, out var displayHost, out reason))
        {
            value = default;
            return false;
        }

        var portText = port.IsEmpty || IsDefaultPort(scheme, port) ? string.Empty : ":" + port.ToString();
        var pathText = path.IsEmpty && scheme is "http" or "https" ? "/" : path.ToString();
        var prefix = scheme + "://" + userInfo.ToString();
        return Observables.Ok(out value, out reason,
            new Canonical(ObservableType.Url, prefix + host + portText + pathText, prefix + displayHost + portText + pathText));
    }

    public static bool TryEmail(string text, out Canonical value, out string reason)
    {
        var at = text.LastIndexOf('@');
        if (at < 0)
        {
            return Observables.Fail(out value, out reason, "not a valid e-mail address: missing '@'.");
        }

        var local = text[..at];
        if (local.Length is 0 or > 64)
        {
            return Observables.Fail(out value, out reason, "not a valid e-mail address: the local part must be 1 to 64 characters.");
        }

        if (local[0] == '.' || local[^1] == '.' || local.Contains("..", StringComparison.Ordinal))
        {
            return Observables.Fail(out value, out reason, "not a valid e-mail address: the local part has a leading, trailing or doubled '.'.");
        }

        foreach (var c in local)
        {
            if (!char.IsAsciiLetterOrDigit(c) && !"!#$%&'*+-/=?^_`{|}~.".Contains(c))
            {
                return Observables.Fail(out value, out reason, $"not a valid e-mail address: unexpected character '{c}' in the local part.");
            }
        }

        if (!HostCanonicaliser.TryNormalise(text[(at + 1)..], requireTwoLabels: true, out var domain, out reason))
        {
            return Observables.Fail(out value, out reason, "not a valid e-mail address: " + reason);
        }

        return Observables.Ok(out value, out reason,
            new Canonical(ObservableType.Email, local + "@" + domain, local + "@" + HostCanonicaliser.ToDisplay(domain)));
    }

    /// <summary>Canonical host of a URL: bracketed IPv6, IPv4 or a host name.</summary>
    internal static bool TryCanonicalHost(ReadOnlySpan<char> hostText, out string host, out string display, out string reason)
    {
        host = display = string.Empty;
        if (hostText.IsEmpty)
        {
            reason = "not a valid URL: empty host.";
            return false;
        }

        if (hostText[0] == '[')
        {
            if (hostText[^1] != ']' || !IpCanonicaliser.TryParseIPv6(hostText[1..^1], out var v6, out reason))
            {
                reason = "not a valid URL: bad bracketed IPv6 host.";
                return false;
            }

            host = display = "[" + IpCanonicaliser.FormatIPv6(v6) + "]";
            return true;
        }

        if (IsDigitsAndDots(hostText))
        {
            if (!IpCanonicaliser.TryParseIPv4(hostText, out var v4, out reason))
            {
                reason = "not a valid URL: " + reason;
                return false;
            }

            host = display = IpCanonicaliser.FormatIPv4(v4);
            return true;
        }

        if (!HostCanonicaliser.TryNormalise(hostText.ToString(), requireTwoLabels: false, out host, out reason))
        {
            reason = "not a valid URL: " + reason;
            return false;
        }

        display = HostCanonicaliser.ToDisplay(host);
        return true;
    }

    private static bool TrySplitHostPort(ReadOnlySpan<char> hostPort, out ReadOnlySpan<char> host, out ReadOnlySpan<char> port, out string reason)
    {
        var bracketEnd = hostPort.LastIndexOf(']');
        var colon = hostPort.LastIndexOf(':');
        if (colon < 0 || colon < bracketEnd)
        {
            host = hostPort;
            port = ReadOnlySpan<char>.Empty;
            reason = string.Empty;
            return true;
        }

        host = hostPort[..colon];
        port = hostPort[(colon + 1)..];
        if (port.IsEmpty)
        {
            reason = string.Empty;
            return true;
        }

        if (port.Length > 5 || !ushort.TryParse(port, System.Globalization.NumberStyles.None, null, out _))
        {
            reason = "not a valid URL: the port must be a number from 0 to 65535.";
            return false;
        }

        // "0080" and "80" are the same port; keep one spelling.
        port = port.TrimStart('0');
        if (port.IsEmpty)
        {
            port = "0";
        }

        reason = string.Empty;
        return true;
    }

    private static bool IsDefaultPort(string scheme, ReadOnlySpan<char> port) => scheme switch
    {
        "http" or "ws" => port.SequenceEqual("80"),
        "https" or "wss" => port.SequenceEqual("443"),
        "ftp" => port.SequenceEqual("21"),
        _ => false,
    };

    private static bool IsSchemeText(string scheme)
    {
        foreach (var c in scheme)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDigitsAndDots(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c) && c != '.')
            {
                return false;
            }
        }

        return true;
    }
}
