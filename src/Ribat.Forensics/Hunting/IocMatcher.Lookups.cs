using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Hunting;

public sealed partial class IocMatcher
{
    private const int MaxHostLength = 253;
    private const int MaxEmailLength = 320;

    private void MatchAddress(ref Sink sink, UInt128 address, bool isV6, int start, int end)
    {
        var exact = Set.FindAddress(address, isV6);
        if (exact >= 0)
        {
            Report(ref sink, exact, start, end);
        }

        var blocks = isV6 ? Set.V6Blocks : Set.V4Blocks;
        if (blocks.Count == 0)
        {
            return;
        }

        for (var block = blocks.Innermost(address); block >= 0; block = blocks.Parent(block))
        {
            Report(ref sink, blocks.EntryOf(block), start, end);
        }
    }

    private void MatchDigest(ref Sink sink, int start, int end)
    {
        Span<char> lower = stackalloc char[128];
        System.Text.Ascii.ToLower(sink.Value.AsSpan(start, end - start), lower, out var written);
        var entry = Set.FindExact(KeyFamily.Digest, lower[..written]);
        if (entry >= 0)
        {
            Report(ref sink, entry, start, end);
        }
    }

    /// <summary>
    /// A host name and every parent name of two labels or more: <c>a.b.evil.example</c> is looked up as itself,
    /// <c>b.evil.example</c> and <c>evil.example</c>, never as <c>example</c> (a single label matches only itself).
    /// </summary>
    private void MatchHost(ref Sink sink, ReadOnlySpan<char> host, int reportStart, int reportEnd)
    {
        if (host.Length > MaxHostLength || (!Set.HasSingleLabelHosts && !host.Contains('.')) || host.ContainsAnyExcept(HostChars))
        {
            return;
        }

        Span<char> buffer = stackalloc char[MaxHostLength];
        System.Text.Ascii.ToLower(host, buffer, out var written);
        var name = buffer[..written];

        var from = 0;
        while (true)
        {
            var entry = Set.FindExact(KeyFamily.Host, name[from..]);
            if (entry >= 0)
            {
                Report(ref sink, entry, reportStart, reportEnd);
            }

            var dot = name[from..].IndexOf('.');
            if (dot < 0 || name[(from + dot + 1)..].IndexOf('.') < 0)
            {
                return;
            }

            from += dot + 1;
        }
    }

    private void MatchEmail(ref Sink sink, int start, int end, int at)
    {
        var value = sink.Value.AsSpan();
        var domain = value[(at + 1)..end];
        if (Set.HasEmails && end - start <= MaxEmailLength)
        {
            // Canonical e-mail: the local part as written, the domain in lower case.
            Span<char> buffer = stackalloc char[MaxEmailLength];
            value[start..(at + 1)].CopyTo(buffer);
            System.Text.Ascii.ToLower(domain, buffer[(at + 1 - start)..], out var written);
            var entry = Set.FindExact(KeyFamily.Email, buffer[..(at + 1 - start + written)]);
            if (entry >= 0)
            {
                Report(ref sink, entry, start, end);
            }
        }

        if (Set.HasHosts)
        {
            MatchHost(ref sink, domain, start, end);
        }
    }

    private void MatchUrl(ref Sink sink, int start, int end)
    {
        if (end - start > MaxTokenLength)
        {
            return;
        }

        var url = sink.Value.AsSpan(start, end - start);
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var authorityStart = schemeEnd + 3;
        var authorityLength = url[authorityStart..].IndexOfAny('/', '?', '#');
        var authority = authorityLength < 0 ? url[authorityStart..] : url.Slice(authorityStart, authorityLength);
        if (Set.HasUrls)
        {
            MatchWholeUrl(ref sink, url, schemeEnd, authority, hasPath: authorityLength >= 0, start, end);
        }

        var at = authority.LastIndexOf('@');
        var hostPort = at < 0 ? authority : authority[(at + 1)..];
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']');
            if (close > 1 && IpText.TryParseIPv6(hostPort[1..close], out var v6))
            {
                MatchAddress(ref sink, v6, isV6: true, start, end);
            }

            return;
        }

        var colon = hostPort.IndexOf(':');
        var host = colon < 0 ? hostPort : hostPort[..colon];
        host = host.EndsWith('.') ? host[..^1] : host;
        if (IpText.TryParseIPv4(host, out var v4))
        {
            MatchAddress(ref sink, v4, isV6: false, start, end);
        }
        else if (Set.HasHosts && !host.IsEmpty)
        {
            MatchHost(ref sink, host, start, end);
        }
    }

    /// <summary>
    /// A URL already written as its canonical form is looked up as it is; any other spelling (upper-case scheme or
    /// host, a port, a trailing dot, no path) goes through the canonicaliser, which allocates.
    /// </summary>
    private void MatchWholeUrl(ref Sink sink, ReadOnlySpan<char> url, int schemeEnd, ReadOnlySpan<char> authority, bool hasPath,
        int start, int end)
    {
        var scheme = url[..schemeEnd];
        var plain = !scheme.ContainsAnyExcept(LowerSchemeChars) && !authority.IsEmpty && !authority.ContainsAnyExcept(PlainAuthorityChars)
            && !authority.EndsWith('.') && (hasPath || scheme is not ("http" or "https"));
        int entry;
        if (plain)
        {
            entry = Set.FindExact(KeyFamily.Url, url);
        }
        else
        {
            entry = Observables.TryCanonicalise(ObservableType.Url, url.ToString(), out var canonical, out _)
                ? Set.FindExact(KeyFamily.Url, canonical.Value)
                : -1;
        }

        if (entry >= 0)
        {
            Report(ref sink, entry, start, end);
        }
    }

    private static readonly System.Buffers.SearchValues<char> HostChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_");

    private static readonly System.Buffers.SearchValues<char> LowerSchemeChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789+-.");

    /// <summary>Lower-case host characters, plus the user-information characters that the canonical form keeps.</summary>
    private static readonly System.Buffers.SearchValues<char> PlainAuthorityChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789.-_~!$&'()*+,;=%@");
}
