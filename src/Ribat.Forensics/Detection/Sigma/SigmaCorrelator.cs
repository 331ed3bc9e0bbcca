using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Detection;

/// <summary>
/// Runs correlation rules over the detections of the rules they build on, fed in time order. Per correlation and per
/// group-by key it keeps a bounded window: <c>gt</c>/<c>gte</c> fire as soon as the count within the last
/// <c>timespan</c> reaches the bound (then the group starts over); <c>lt</c>/<c>lte</c>/<c>eq</c> are judged when a
/// window of <c>timespan</c> from its first event closes, or at <see cref="Flush"/>. Temporal rules fire when every
/// listed rule (in order, for <c>temporal_ordered</c>) was seen within the span.
/// </summary>
public sealed class SigmaCorrelator
{
    internal const int MaxGroups = 100_000;
    internal const int MaxKeptEvents = 64;
    private readonly List<Correlation> _correlations = [];
    private readonly Dictionary<string, List<(Correlation Correlation, int Position)>> _byRule = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _suppressed = new(StringComparer.OrdinalIgnoreCase);

    public SigmaCorrelator(IEnumerable<SigmaCorrelationRule> correlations, IEnumerable<SigmaRule> rules)
    {
        var known = new Dictionary<string, SigmaRule>(StringComparer.OrdinalIgnoreCase);
        foreach (var rule in rules)
        {
            known.TryAdd(rule.Id, rule);
            if (rule.Name is not null)
            {
                known.TryAdd(rule.Name, rule);
            }
        }

        foreach (var rule in correlations)
        {
            var missing = rule.Rules.FirstOrDefault(r => !known.ContainsKey(r));
            if (missing is not null)
            {
                Failures.Add(new SigmaLoadFailure(rule.Source, $"correlation '{rule.Title}' refers to '{missing}', which is no loaded detection rule (by id or name)."));
                continue;
            }

            var correlation = new Correlation(rule, [.. rule.Rules.Select(r => known[r])]);
            _correlations.Add(correlation);
            for (var position = 0; position < correlation.Rules.Length; position++)
            {
                var id = correlation.Rules[position].Id;
                if (!_byRule.TryGetValue(id, out var list))
                {
                    _byRule[id] = list = [];
                }

                list.Add((correlation, position));
                if (!rule.Generate)
                {
                    _suppressed.Add(id);
                }
            }
        }
    }

    /// <summary>Correlations that refer to rules not loaded; they are left out.</summary>
    public List<SigmaLoadFailure> Failures { get; } = [];

    public int Count => _correlations.Count;

    /// <summary>Detections without a timestamp cannot be placed in a window; they are counted here and left out.</summary>
    public long Untimed { get; private set; }

    /// <summary>True when the rule feeds a correlation that does not ask for its own detections (<c>generate: false</c>, the default).</summary>
    public bool IsSuppressed(string ruleId) => _suppressed.Contains(ruleId);

    /// <summary>Feeds one detection of a detection rule; correlations it completes are added to <paramref name="output"/>.</summary>
    public void Feed(SigmaDetection detection, List<SigmaDetection> output)
    {
        if (!_byRule.TryGetValue(detection.RuleId, out var uses))
        {
            return;
        }

        if (detection.Event.Timestamp is not { } time)
        {
            Untimed++;
            return;
        }

        foreach (var (correlation, position) in uses)
        {
            correlation.Feed(detection.Event, time, position, output);
        }
    }

    /// <summary>Closes every open window (end of the input), judging the lt/lte/eq correlations on what they hold.</summary>
    public void Flush(List<SigmaDetection> output)
    {
        foreach (var correlation in _correlations)
        {
            correlation.Flush(output);
        }
    }

    private sealed class Correlation(SigmaCorrelationRule rule, SigmaRule[] rules)
    {
        private readonly Dictionary<string, SigmaGroupWindow> _groups = new(StringComparer.Ordinal);

        public SigmaRule[] Rules { get; } = rules;

        public void Feed(LogEvent logEvent, DateTimeOffset time, int position, List<SigmaDetection> output)
        {
            var key = GroupKey(logEvent, Rules[position]);
            if (!_groups.TryGetValue(key, out var group))
            {
                if (_groups.Count >= MaxGroups)
                {
                    Evict(time);
                }

                _groups[key] = group = SigmaGroupWindow.Create(rule, Rules.Length);
            }

            if (group.Add(logEvent, time, position, rule, Rules) is { } fired)
            {
                output.Add(Detection(fired, key));
            }
        }

        public void Flush(List<SigmaDetection> output)
        {
            foreach (var (key, group) in _groups)
            {
                if (group.Close(rule) is { } fired)
                {
                    output.Add(Detection(fired, key));
                }
            }

            _groups.Clear();
        }

        private SigmaDetection Detection(SigmaWindowResult fired, string key) =>
            new(rule.Id, rule.Title, rule.Level, rule.Tags, fired.Events[^1], fired.Count, fired.Events, key);

        /// <summary>Past the group cap, groups idle for longer than the span are dropped (an lt/lte/eq window among them
        /// is lost unjudged; the cap only binds on hostile or enormous inputs).</summary>
        private void Evict(DateTimeOffset now)
        {
            foreach (var (key, group) in _groups)
            {
                if (group.LastSeen < now - rule.Timespan)
                {
                    _groups.Remove(key);
                }
            }

            if (_groups.Count >= MaxGroups)
            {
                _groups.Clear();
            }
        }

        private string GroupKey(LogEvent logEvent, SigmaRule from)
        {
            if (rule.GroupBy.Count == 0)
            {
                return "";
            }

            var parts = new string?[rule.GroupBy.Count];
            for (var i = 0; i < parts.Length; i++)
            {
                var field = rule.GroupBy[i];
                if (rule.Aliases.TryGetValue(field, out var perRule)
                    && (perRule.TryGetValue(from.Id, out var aliased) || (from.Name is not null && perRule.TryGetValue(from.Name, out aliased))))
                {
                    field = aliased;
                }

                logEvent.TryGet(field, out parts[i]);
            }

            return string.Join('\u001f', parts);
        }
    }
}
