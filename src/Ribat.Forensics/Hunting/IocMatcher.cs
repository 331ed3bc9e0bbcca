using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Hunting;

/// <summary>
/// Finds the indicators of an <see cref="IocSet"/> in log events. Every field is read: a value that is one token
/// (an address, a digest, a host name, a URL, an e-mail address) is looked up as it is; a longer value (a command
/// line, a message) is cut into candidate tokens at non-token characters, and each candidate is looked up by its
/// shape. A domain indicator also matches its subdomains and the host of a URL or e-mail address; a CIDR block
/// matches the addresses inside it. A token matches only whole: <c>1.2.3.45</c> is not <c>1.2.3.4</c> and
/// <c>notevil.example</c> is not a subdomain of <c>evil.example</c>.
/// Stateless: one matcher serves any number of threads. Nothing is allocated unless something matches, except for
/// a URL that is not written canonically (upper-case host, explicit default port), which is canonicalised first.
/// </summary>
/// <remarks>Every stack buffer of the look-ups is written before it is read, so none is cleared first.</remarks>
[System.Runtime.CompilerServices.SkipLocalsInit]
public sealed partial class IocMatcher(IocSet set)
{
    /// <summary>Tokens longer than this are not looked up (no indicator is this long; a URL is at most 8192).</summary>
    public const int MaxTokenLength = Ioc.Observables.MaxInputLength;

    public IocSet Set { get; } = set ?? throw new ArgumentNullException(nameof(set));

    /// <summary>The hits in <paramref name="logEvent"/>, each indicator at most once per field.</summary>
    public List<IocHit> Match(LogEvent logEvent)
    {
        var hits = new List<IocHit>();
        Match(logEvent, hits);
        return hits;
    }

    /// <summary>Appends the hits in <paramref name="logEvent"/> to <paramref name="hits"/>; returns how many were added.</summary>
    public int Match(LogEvent logEvent, List<IocHit> hits)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(hits);
        var before = hits.Count;
        foreach (var field in logEvent.Fields)
        {
            if (field.Value is { Length: > 0 } value)
            {
                MatchField(field.Name, value, hits);
            }
        }

        return hits.Count - before;
    }

    /// <summary>Appends the hits in one field's value; returns how many were added.</summary>
    public int MatchField(string name, string value, List<IocHit> hits)
    {
        ArgumentNullException.ThrowIfNull(hits);
        if (string.IsNullOrEmpty(value))
        {
            return 0;
        }

        var sink = new Sink(name ?? string.Empty, value, hits);
        ScanValue(ref sink);
        return hits.Count - sink.First;
    }

    /// <summary>Where hits of one field go; remembers where the field's hits start to report each indicator once.</summary>
    private struct Sink(string field, string value, List<IocHit> hits)
    {
        public readonly string Field = field;
        public readonly string Value = value;
        public readonly List<IocHit> Hits = hits;
        public readonly int First = hits.Count;
    }

    private void Report(ref Sink sink, int entry, int start, int end)
    {
        string? text = null;
        for (; entry >= 0; entry = Set.NextSame(entry))
        {
            var indicator = Set.Indicator(entry);
            if (AlreadyReported(ref sink, indicator))
            {
                continue;
            }

            text ??= sink.Value.Substring(start, end - start);
            sink.Hits.Add(new IocHit(indicator, sink.Field, text));
        }
    }

    private static bool AlreadyReported(ref Sink sink, IocIndicator indicator)
    {
        for (var i = sink.First; i < sink.Hits.Count; i++)
        {
            if (ReferenceEquals(sink.Hits[i].Indicator, indicator))
            {
                return true;
            }
        }

        return false;
    }
}
