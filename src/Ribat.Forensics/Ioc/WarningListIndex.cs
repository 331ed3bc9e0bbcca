using System.Text.RegularExpressions;

namespace Ribat.Forensics.Ioc;

/// <summary>
/// Answers "which warning lists match this canonical value". Built once, then read-only and safe to share
/// between threads. Matching by kind:
/// cidr — the address (or the whole CIDR block) lies inside a listed block; bare addresses in a list are /32 or /128;
/// hostname — the host or one of its parent domains is listed (label boundary: <c>sub.example.com</c> matches
/// <c>example.com</c>, <c>badexample.com</c> does not); URLs and e-mail addresses are matched by their host;
/// string — exact, case-insensitive; an entry starting with '.' (as in MISP's google list) also matches the
/// subdomains of what follows it; substring — case-insensitive containment; regex — non-backtracking, or with a
/// 100 ms timeout when the pattern needs backtracking features.
/// </summary>
public sealed class WarningListIndex
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    private readonly List<(WarningList List, IpRangeSet V4, IpRangeSet V6)> _cidr = [];
    private readonly Dictionary<string, List<WarningList>> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<WarningList>> _strings = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(WarningList List, string[] Needles)> _substrings = [];
    private readonly List<(WarningList List, Regex Pattern)> _regexes = [];
    private readonly List<string> _problems = [];

    private WarningListIndex()
    {
    }

    public IReadOnlyList<WarningList> Lists { get; private set; } = [];

    /// <summary>Entries that could not be used (a malformed CIDR, an invalid regex), each naming its list.</summary>
    public IReadOnlyList<string> Problems => _problems;

    public static WarningListIndex Build(IEnumerable<WarningList> lists)
    {
        var index = new WarningListIndex();
        var all = lists.ToList();
        index.Lists = all;
        foreach (var list in all)
        {
            switch (list.Kind)
            {
                case WarningListKind.Cidr: index.AddCidr(list); break;
                case WarningListKind.Hostname: index.AddNames(list); break;
                case WarningListKind.String: index.AddStrings(list); break;
                case WarningListKind.Substring:
                    index._substrings.Add((list, list.Entries.Where(e => e.Length > 0).Select(e => e.ToLowerInvariant()).ToArray()));
                    break;
                case WarningListKind.Regex: index.AddRegexes(list); break;
            }
        }

        return index;
    }

    public IReadOnlyList<WarningList> Match(Canonical value) => Match(value.Type, value.Value);

    /// <summary>The lists that match a canonical value of the given type, each at most once.</summary>
    public IReadOnlyList<WarningList> Match(ObservableType type, string canonical)
    {
        var matches = new List<WarningList>();
        AddAll(matches, _strings.GetValueOrDefault(canonical));
        var host = HostOf(type, canonical);
        if (host is not null)
        {
            if (!ReferenceEquals(host, canonical))
            {
                AddAll(matches, _strings.GetValueOrDefault(host));
            }

            MatchHost(host, matches);
        }

        foreach (var (list, needles) in _substrings)
        {
            foreach (var needle in needles)
            {
                if (canonical.Contains(needle, StringComparison.OrdinalIgnoreCase))
                {
                    AddOnce(matches, list);
                    break;
                }
            }
        }

        foreach (var (list, pattern) in _regexes)
        {
            try
            {
                if (pattern.IsMatch(canonical))
                {
                    AddOnce(matches, list);
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // A pattern that cannot decide in time is treated as no match; it was reported as needing backtracking.
            }
        }

        return matches;
    }

    private void MatchHost(string host, List<WarningList> matches)
    {
        if (host.Length > 0 && (char.IsAsciiDigit(host[0]) || host.Contains(':')) && TryBlock(host, out var block))
        {
            foreach (var (list, v4, v6) in _cidr)
            {
                if ((block.IsV6 ? v6 : v4).Contains(block.First, block.Last))
                {
                    AddOnce(matches, list);
                }
            }

            return;
        }

        // Walk the label suffixes: a.b.example.com, b.example.com, example.com, com.
        var suffix = host.AsSpan();
        var strings = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
        var names = _names.GetAlternateLookup<ReadOnlySpan<char>>();
        var first = true;
        while (true)
        {
            if (names.TryGetValue(suffix, out var listed))
            {
                AddAll(matches, listed);
            }

            if (!first && strings.TryGetValue(string.Concat(".", suffix), out var dotted))
            {
                AddAll(matches, dotted);
            }

            first = false;
            var dot = suffix.IndexOf('.');
            if (dot < 0)
            {
                return;
            }

            suffix = suffix[(dot + 1)..];
        }
    }

    /// <summary>The part of a value that host-based lists (cidr, hostname) apply to, or null.</summary>
    private static string? HostOf(ObservableType type, string canonical)
    {
        switch (type)
        {
            case ObservableType.IPv4 or ObservableType.IPv6 or ObservableType.Cidr or ObservableType.Domain or ObservableType.Hostname:
                return canonical;
            case ObservableType.Email:
                return canonical[(canonical.LastIndexOf('@') + 1)..];
            case ObservableType.Url:
                var start = canonical.IndexOf("://", StringComparison.Ordinal) + 3;
                var end = canonical.AsSpan(start).IndexOfAny("/?#");
                var authority = end < 0 ? canonical[start..] : canonical.Substring(start, end);
                authority = authority[(authority.LastIndexOf('@') + 1)..];
                if (authority.StartsWith('['))
                {
                    return authority[1..authority.IndexOf(']')];
                }

                var colon = authority.IndexOf(':');
                return colon < 0 ? authority : authority[..colon];
            default:
                return null;
        }
    }

    private static bool TryBlock(string value, out IpBlock block)
    {
        var text = value.Trim();
        if (!text.Contains('/'))
        {
            text += text.Contains(':') ? "/128" : "/32";
        }

        return IpCanonicaliser.TryParseCidr(text, out block, out _);
    }

    private void AddCidr(WarningList list)
    {
        var v4 = new List<(UInt128, UInt128)>();
        var v6 = new List<(UInt128, UInt128)>();
        foreach (var entry in list.Entries)
        {
            if (!TryBlock(entry, out var block))
            {
                _problems.Add($"{list.Name}: '{entry}' is not an IP address or CIDR block.");
                continue;
            }

            (block.IsV6 ? v6 : v4).Add((block.First, block.Last));
        }

        _cidr.Add((list, new IpRangeSet(v4), new IpRangeSet(v6)));
    }

    private void AddNames(WarningList list)
    {
        foreach (var entry in list.Entries)
        {
            var name = entry.Trim().TrimStart('*').Trim('.');
            if (name.Length == 0)
            {
                _problems.Add($"{list.Name}: empty host name entry.");
                continue;
            }

            if (HostCanonicaliser.TryNormalise(name, requireTwoLabels: false, out var ascii, out _))
            {
                name = ascii;
            }

            Append(_names, name.ToLowerInvariant(), list);
        }
    }

    private void AddStrings(WarningList list)
    {
        foreach (var entry in list.Entries)
        {
            Append(_strings, entry.Trim(), list);
        }
    }

    private void AddRegexes(WarningList list)
    {
        foreach (var entry in list.Entries)
        {
            var (pattern, options) = SplitDelimited(entry);
            try
            {
                _regexes.Add((list, new Regex(pattern, options | RegexOptions.NonBacktracking, RegexTimeout)));
            }
            catch (NotSupportedException)
            {
                _regexes.Add((list, new Regex(pattern, options, RegexTimeout)));
                _problems.Add($"{list.Name}: /{pattern}/ needs backtracking; it runs with a {RegexTimeout.TotalMilliseconds} ms timeout.");
            }
            catch (ArgumentException e)
            {
                _problems.Add($"{list.Name}: /{pattern}/ is not a valid regular expression: {e.Message}");
            }
        }
    }

    /// <summary>MISP regex entries are sometimes written PCRE-style, <c>/pattern/i</c>.</summary>
    private static (string Pattern, RegexOptions Options) SplitDelimited(string entry)
    {
        var options = RegexOptions.CultureInvariant;
        var close = entry.LastIndexOf('/');
        if (entry.Length > 2 && entry[0] == '/' && close > 0 && entry[(close + 1)..].All(char.IsAsciiLetterLower))
        {
            if (entry[(close + 1)..].Contains('i'))
            {
                options |= RegexOptions.IgnoreCase;
            }

            return (entry[1..close], options);
        }

        return (entry, options);
    }

    private static void Append(Dictionary<string, List<WarningList>> map, string key, WarningList list)
    {
        if (!map.TryGetValue(key, out var lists))
        {
            map[key] = lists = [];
        }

        if (!lists.Contains(list))
        {
            lists.Add(list);
        }
    }

    private static void AddAll(List<WarningList> matches, List<WarningList>? lists)
    {
        foreach (var list in lists ?? [])
        {
            AddOnce(matches, list);
        }
    }

    private static void AddOnce(List<WarningList> matches, WarningList list)
    {
        if (!matches.Contains(list))
        {
            matches.Add(list);
        }
    }
}
