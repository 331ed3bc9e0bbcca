using System.Collections.Concurrent;
using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Detection;

/// <summary>
/// Compiled detection rules, indexed so that an event is only tested against the rules whose log source can hold it
/// (by format, EVTX channel and event id), and among those only against rules whose required text the event holds
/// (one Aho–Corasick pass per field). Immutable once built and shared between threads; each thread matches through
/// its own <see cref="SigmaScanner"/>.
/// </summary>
public sealed class SigmaRuleSet
{
    private const int MaxCachedKeys = 4096;
    private readonly List<(SigmaLogTarget Target, SigmaCompiledRule Rule)> _targets = [];
    private readonly HashSet<string> _channels = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<int> _eventIds = [];
    private readonly ConcurrentDictionary<(LogFormat, string, int), SigmaBucket> _buckets = new();

    public SigmaRuleSet(IEnumerable<SigmaRule> rules, SigmaEngineOptions? options = null)
    {
        options ??= SigmaEngineOptions.Default;
        Table = new SigmaFieldTable();
        ChannelSlot = Table.Slot("Channel");
        EventIdSlot = Table.Slot("EventID");
        var index = 0;
        foreach (var rule in rules)
        {
            Rules.Add(rule);
            var compiled = new Dictionary<IReadOnlyDictionary<string, string>, SigmaCompiledRule?>(ReferenceEqualityComparer.Instance);
            SigmaCompiledRule? plain = null;
            var targets = options.LogSources.TargetsFor(rule.LogSource);
            var unmapped = targets.Count == 0;
            if (unmapped)
            {
                // No known log holds this source; such logs (cloud audit trails, proxies) come as JSON Lines or CSV with their own names.
                targets = [Generic(LogFormat.JsonLines), Generic(LogFormat.Csv)];
                Unmapped++;
            }

            foreach (var target in targets)
            {
                SigmaCompiledRule? variant;
                if (target.Renames is null)
                {
                    variant = plain ??= Compile(rule, null, options, index, unmapped);
                }
                else if (!compiled.TryGetValue(target.Renames, out variant))
                {
                    variant = compiled[target.Renames] = Compile(rule, target.Renames, options, index, unmapped);
                }

                if (variant is not null)
                {
                    _targets.Add((target, variant));
                    if (target.Channel is not null)
                    {
                        _channels.Add(target.Channel);
                    }

                    foreach (var id in target.EventIds)
                    {
                        _eventIds.Add(id);
                    }
                }
            }

            index++;
        }
    }

    public List<SigmaRule> Rules { get; } = [];

    /// <summary>Rules whose log source the map does not know; they run on JSON Lines and CSV events only.</summary>
    public int Unmapped { get; }

    internal SigmaFieldTable Table { get; }

    internal int ChannelSlot { get; }

    internal int EventIdSlot { get; }

    public SigmaScanner CreateScanner() => new(this);

    private static SigmaLogTarget Generic(LogFormat format) => new(format, null, [], null);

    /// <summary>
    /// An <paramref name="unmapped"/> rule runs on any JSON Lines or CSV log, so it must see at least one field it names
    /// before it may fire: otherwise a rule built on a negation (Zeek's "not selection") would fire on every line of an
    /// unrelated log.
    /// </summary>
    private SigmaCompiledRule? Compile(SigmaRule rule, IReadOnlyDictionary<string, string>? renames, SigmaEngineOptions options, int index, bool unmapped)
    {
        var compiler = new SigmaDetectionCompiler(Table, renames, options.Placeholders);
        if (compiler.Compile(rule.Detection) is not { } node)
        {
            return null;
        }

        int[]? named = null;
        if (unmapped)
        {
            var slots = new HashSet<int>();
            node.AddSlots(slots);
            named = slots.Count > 0 ? [.. slots] : null;
        }

        return new SigmaCompiledRule(rule, node, index, named);
    }

    /// <summary>The rules for one (format, channel, event id); channels and ids no rule names share one key, so hostile
    /// logs cannot grow the cache.</summary>
    internal SigmaBucket BucketFor(LogFormat format, string? channel, string? eventId)
    {
        var channelKey = channel is not null && _channels.Contains(channel) ? channel.ToLowerInvariant() : "";
        var id = int.TryParse(eventId, out var parsed) && _eventIds.Contains(parsed) ? parsed : -1;
        var key = (format, channelKey, id);
        if (_buckets.TryGetValue(key, out var bucket))
        {
            return bucket;
        }

        bucket = BuildBucket(format, channel, id);
        return _buckets.Count < MaxCachedKeys ? _buckets.GetOrAdd(key, bucket) : bucket;
    }

    private SigmaBucket BuildBucket(LogFormat format, string? channel, int eventId)
    {
        var rules = new List<SigmaCompiledRule>();
        var seen = new HashSet<SigmaCompiledRule>();
        foreach (var (target, rule) in _targets)
        {
            if (target.Format == format
                && (target.Channel is null || string.Equals(target.Channel, channel, StringComparison.OrdinalIgnoreCase))
                && (target.EventIds.Count == 0 || target.EventIds.Contains(eventId))
                && seen.Add(rule))
            {
                rules.Add(rule);
            }
        }

        rules.Sort((a, b) => a.Index.CompareTo(b.Index));
        return new SigmaBucket(rules, Table.Count);
    }
}

internal sealed class SigmaCompiledRule(SigmaRule rule, SigmaNode node, int index, int[]? namedFields = null)
{
    /// <summary>For a rule with no mapped log source: the slots it names, of which an event must carry one; else null.</summary>
    public int[]? NamedFields { get; } = namedFields;

    public SigmaRule Rule { get; } = rule;

    public SigmaNode Node { get; } = node;

    public int Index { get; } = index;
}
