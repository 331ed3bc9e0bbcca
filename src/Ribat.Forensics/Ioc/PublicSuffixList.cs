using System.Collections.Frozen;
using System.Globalization;

namespace Ribat.Forensics.Ioc;

/// <summary>
/// The Public Suffix List (publicsuffix.org) and its algorithm: which part of a host name is a public suffix
/// (<c>co.uk</c>, <c>github.io</c>) and which is the registered domain an owner controls (<c>example.co.uk</c>).
/// The list ships embedded (<c>BuiltIn/public_suffix_list.dat</c>, MPL-2.0) and is loaded once, on first use, into
/// a frozen hash table; Unicode rules are stored as punycode so that canonical hosts look up directly.
/// </summary>
/// <remarks>
/// Input is a canonical host as <see cref="Observables.TryCanonicalise"/> produces it: ASCII, IDN labels as
/// punycode, no trailing dot. Upper-case ASCII is tolerated (the result is lower-cased); a non-ASCII host, an
/// empty label or an empty input has no public suffix and no registered domain.
/// </remarks>
public sealed class PublicSuffixList
{
    internal const string ResourceName = "Ribat.Forensics.Ioc.PublicSuffix.public_suffix_list.dat";

    private static readonly Lazy<RuleTable> BuiltInRules = new(LoadBuiltIn);
    private static readonly Lazy<PublicSuffixList> BuiltIn = new(() => new PublicSuffixList(BuiltInRules.Value, true));
    private static readonly Lazy<PublicSuffixList> BuiltInIcann = new(() => new PublicSuffixList(BuiltInRules.Value, false));

    private readonly RuleTable _rules;
    private readonly RuleKind _honoured;

    private PublicSuffixList(RuleTable rules, bool honourPrivateRules)
    {
        _rules = rules;
        HonoursPrivateRules = honourPrivateRules;
        _honoured = honourPrivateRules ? RuleKind.AllSections : RuleKind.IcannSection;
    }

    /// <summary>The shipped list with both its ICANN and PRIVATE sections honoured, as browsers do.</summary>
    public static PublicSuffixList Default => BuiltIn.Value;

    /// <summary>
    /// The shipped list with only its ICANN section: <c>user.github.io</c> then belongs to <c>github.io</c>. Use it to
    /// group by who bought a name from a registry rather than by who controls a site.
    /// </summary>
    public static PublicSuffixList IcannOnly => BuiltInIcann.Value;

    public bool HonoursPrivateRules { get; }

    /// <summary>Number of rules loaded (all sections).</summary>
    public int RuleCount => _rules.Count;

    /// <summary>Parses list text in the publicsuffix.org format (tests and operators bringing a newer list).</summary>
    public static PublicSuffixList Parse(string text, bool honourPrivateRules = true) =>
        new(RuleTable.Parse(text), honourPrivateRules);

    /// <summary>
    /// The registered domain of <paramref name="host"/>: its public suffix plus one label. A host that is itself a
    /// public suffix (<c>co.uk</c>, <c>com</c>) has none. Returns <paramref name="host"/> itself, without allocating,
    /// when the host is its own registered domain.
    /// </summary>
    public bool TryGetRegisteredDomain(string? host, out string registeredDomain)
    {
        registeredDomain = string.Empty;
        if (host is null || !TryMatch(host, out _, out var registeredStart) || registeredStart < 0)
        {
            return false;
        }

        registeredDomain = Slice(host, registeredStart);
        return true;
    }

    public string? GetRegisteredDomain(string? host) => TryGetRegisteredDomain(host, out var domain) ? domain : null;

    /// <summary>The public suffix of <paramref name="host"/> (at least its last label, by the implicit <c>*</c> rule).</summary>
    public string? GetPublicSuffix(string? host) =>
        host is not null && TryMatch(host, out var suffixStart, out _) ? Slice(host, suffixStart) : null;

    /// <summary>True when <paramref name="host"/> is exactly its own registered domain (allocation-free).</summary>
    public bool IsRegisteredDomain(ReadOnlySpan<char> host) => TryMatch(host, out _, out var registeredStart) && registeredStart == 0;

    /// <summary>True when <paramref name="host"/> is itself a public suffix (allocation-free).</summary>
    public bool IsPublicSuffix(ReadOnlySpan<char> host) => TryMatch(host, out var suffixStart, out _) && suffixStart == 0;

    private static string Slice(string host, int start)
    {
        var part = start == 0 ? host : host[start..];
        return part.AsSpan().ContainsAnyInRange('A', 'Z') ? part.ToLowerInvariant() : part;
    }

    /// <summary>
    /// The PSL algorithm. Every rule that matches is considered: an exception rule wins and its public suffix is the
    /// rule less its leftmost label; otherwise the rule with the most labels wins; with no match the implicit
    /// <c>*</c> rule makes the last label the public suffix. <paramref name="registeredStart"/> is -1 when the host
    /// is no longer than its public suffix.
    /// </summary>
    private bool TryMatch(ReadOnlySpan<char> host, out int suffixStart, out int registeredStart)
    {
        suffixStart = registeredStart = -1;
        if (host.IsEmpty || host.Length > 253 || !System.Text.Ascii.IsValid(host))
        {
            return false;
        }

        var rules = _rules.Lookup;
        var suffixLabels = 1;
        var labels = 0;
        var exceptionLabels = 0;
        var end = host.Length;
        while (end >= 0)
        {
            var dot = end == 0 ? -1 : host[..end].LastIndexOf('.');
            var labelStart = dot + 1;
            if (labelStart == end)
            {
                return false; // an empty label: leading dot, trailing dot or ".."
            }

            labels++;
            var kind = rules.TryGetValue(host[labelStart..], out var found) ? found & _honoured : RuleKind.None;
            if ((kind & RuleKind.Exception) != 0 && exceptionLabels == 0)
            {
                exceptionLabels = labels;
            }

            if ((kind & RuleKind.Normal) != 0)
            {
                suffixLabels = Math.Max(suffixLabels, labels);
            }

            if ((kind & RuleKind.Wildcard) != 0 && dot >= 0)
            {
                suffixLabels = Math.Max(suffixLabels, labels + 1);
            }

            if (dot < 0)
            {
                break;
            }

            end = dot;
        }

        if (exceptionLabels > 0)
        {
            suffixLabels = exceptionLabels - 1;
        }

        suffixStart = StartOfLastLabels(host, suffixLabels);
        registeredStart = suffixLabels < labels ? StartOfLastLabels(host, suffixLabels + 1) : -1;
        return true;
    }

    private static int StartOfLastLabels(ReadOnlySpan<char> host, int count)
    {
        var start = host.Length;
        for (var i = 0; i < count; i++)
        {
            var dot = host[..start].LastIndexOf('.');
            if (dot < 0)
            {
                return 0;
            }

            start = i == count - 1 ? dot + 1 : dot;
        }

        return start;
    }

    private static RuleTable LoadBuiltIn()
    {
        using var stream = typeof(PublicSuffixList).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Built-in public suffix list {ResourceName} is missing.");
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        return RuleTable.Parse(reader.ReadToEnd());
    }

    [Flags]
    internal enum RuleKind : byte
    {
        None = 0,
        NormalIcann = 1,
        NormalPrivate = 2,
        WildcardIcann = 4,
        WildcardPrivate = 8,
        ExceptionIcann = 16,
        ExceptionPrivate = 32,
        Normal = NormalIcann | NormalPrivate,
        Wildcard = WildcardIcann | WildcardPrivate,
        Exception = ExceptionIcann | ExceptionPrivate,
        IcannSection = NormalIcann | WildcardIcann | ExceptionIcann,
        AllSections = IcannSection | NormalPrivate | WildcardPrivate | ExceptionPrivate,
    }

    /// <summary>Rules keyed by their name without <c>*.</c> or <c>!</c>; one name may carry several kinds.</summary>
    private sealed class RuleTable
    {
        private static readonly IdnMapping Idn = new() { AllowUnassigned = true, UseStd3AsciiRules = false };

        private RuleTable(FrozenDictionary<string, RuleKind> rules)
        {
            Count = rules.Count;
            Lookup = rules.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public int Count { get; }

        public FrozenDictionary<string, RuleKind>.AlternateLookup<ReadOnlySpan<char>> Lookup { get; }

        public static RuleTable Parse(string text)
        {
            var rules = new Dictionary<string, RuleKind>(StringComparer.OrdinalIgnoreCase);
            var isPrivate = false;
            foreach (var rawLine in text.AsSpan().EnumerateLines())
            {
                var line = rawLine.Trim();
                if (line.StartsWith("//"))
                {
                    isPrivate = line.Contains("===BEGIN PRIVATE DOMAINS===", StringComparison.Ordinal) || (isPrivate
                        && !line.Contains("===END PRIVATE DOMAINS===", StringComparison.Ordinal));
                    continue;
                }

                // A rule is the line up to its first whitespace; the rest is ignored, as the format says.
                var space = line.IndexOfAny(' ', '\t');
                var rule = space < 0 ? line : line[..space];
                if (rule.IsEmpty)
                {
                    continue;
                }

                var kind = isPrivate ? RuleKind.NormalPrivate : RuleKind.NormalIcann;
                if (rule.StartsWith("!"))
                {
                    rule = rule[1..];
                    kind = isPrivate ? RuleKind.ExceptionPrivate : RuleKind.ExceptionIcann;
                }
                else if (rule.StartsWith("*."))
                {
                    rule = rule[2..];
                    kind = isPrivate ? RuleKind.WildcardPrivate : RuleKind.WildcardIcann;
                }

                var name = ToAscii(rule);
                rules[name] = rules.GetValueOrDefault(name) | kind;
            }

            return new RuleTable(rules.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase));
        }

        private static string ToAscii(ReadOnlySpan<char> rule)
        {
            if (System.Text.Ascii.IsValid(rule))
            {
                return rule.ToString().ToLowerInvariant();
            }

            try
            {
                return Idn.GetAscii(rule.ToString()).ToLowerInvariant();
            }
            catch (ArgumentException exception)
            {
                // Shipped data that cannot be converted is a build defect, not an expected failure.
                throw new InvalidOperationException($"Public suffix rule '{rule}' cannot be converted to punycode.", exception);
            }
        }
    }
}
