using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Detection;

internal sealed record SigmaWindowResult(int Count, List<LogEvent> Events);

/// <summary>The state of one correlation for one group-by key. Every window keeps at most
/// <see cref="SigmaCorrelator.MaxKeptEvents"/> events for the detection; counts are exact.</summary>
internal abstract class SigmaGroupWindow
{
    public DateTimeOffset LastSeen { get; protected set; }

    public static SigmaGroupWindow Create(SigmaCorrelationRule rule, int rules) => rule.Type switch
    {
        SigmaCorrelationType.EventCount => new CountWindow(),
        SigmaCorrelationType.ValueCount => new ValueWindow(),
        SigmaCorrelationType.Temporal => new TemporalWindow(rules, ordered: false),
        _ => new TemporalWindow(rules, ordered: true),
    };

    /// <summary>Adds an event; returns what fired, if anything.</summary>
    public abstract SigmaWindowResult? Add(LogEvent logEvent, DateTimeOffset time, int position, SigmaCorrelationRule rule, SigmaRule[] rules);

    /// <summary>The input ended: judge an open lt/lte/eq window.</summary>
    public abstract SigmaWindowResult? Close(SigmaCorrelationRule rule);

    protected static void Keep(List<LogEvent> kept, LogEvent logEvent)
    {
        if (kept.Count < SigmaCorrelator.MaxKeptEvents)
        {
            kept.Add(logEvent);
        }
    }

    /// <summary><c>event_count</c> and <c>value_count</c> share the two window shapes; they differ in what they count.</summary>
    private abstract class CountingWindow : SigmaGroupWindow
    {
        private readonly Queue<(DateTimeOffset Time, LogEvent Event, string? Value)> _sliding = new();
        private List<LogEvent> _tumbling = [];
        private DateTimeOffset _start;
        private int _tumblingCount;

        protected abstract int Measure();

        protected abstract void Count(string? value, int delta);

        protected abstract string? ValueOf(LogEvent logEvent, SigmaCorrelationRule rule);

        protected abstract void Reset();

        public override SigmaWindowResult? Add(LogEvent logEvent, DateTimeOffset time, int position, SigmaCorrelationRule rule, SigmaRule[] rules)
        {
            LastSeen = time;
            var value = ValueOf(logEvent, rule);
            if (rule.Type == SigmaCorrelationType.ValueCount && value is null)
            {
                return null;
            }

            return rule.Condition.IsUpperBound ? AddTumbling(logEvent, time, value, rule) : AddSliding(logEvent, time, value, rule);
        }

        private SigmaWindowResult? AddSliding(LogEvent logEvent, DateTimeOffset time, string? value, SigmaCorrelationRule rule)
        {
            while (_sliding.Count > 0 && _sliding.Peek().Time < time - rule.Timespan)
            {
                Count(_sliding.Dequeue().Value, -1);
            }

            _sliding.Enqueue((time, logEvent, value));
            Count(value, +1);
            if (!rule.Condition.Holds(Measure()))
            {
                return null;
            }

            var events = new List<LogEvent>();
            foreach (var entry in _sliding)
            {
                Keep(events, entry.Event);
            }

            if (events.Count == SigmaCorrelator.MaxKeptEvents)
            {
                events[^1] = logEvent;
            }

            var fired = new SigmaWindowResult(_sliding.Count, events);
            _sliding.Clear();
            Reset();
            return fired;
        }

        private SigmaWindowResult? AddTumbling(LogEvent logEvent, DateTimeOffset time, string? value, SigmaCorrelationRule rule)
        {
            SigmaWindowResult? fired = null;
            if (_tumblingCount > 0 && time > _start + rule.Timespan)
            {
                fired = Close(rule);
            }

            if (_tumblingCount == 0)
            {
                _start = time;
            }

            _tumblingCount++;
            Keep(_tumbling, logEvent);
            Count(value, +1);
            return fired;
        }

        public override SigmaWindowResult? Close(SigmaCorrelationRule rule)
        {
            if (_tumblingCount == 0)
            {
                return null;
            }

            var fired = rule.Condition.Holds(Measure()) ? new SigmaWindowResult(_tumblingCount, _tumbling) : null;
            _tumbling = [];
            _tumblingCount = 0;
            Reset();
            return fired;
        }
    }

    private sealed class CountWindow : CountingWindow
    {
        private int _count;

        protected override int Measure() => _count;

        protected override void Count(string? value, int delta) => _count += delta;

        protected override string? ValueOf(LogEvent logEvent, SigmaCorrelationRule rule) => null;

        protected override void Reset() => _count = 0;
    }

    private sealed class ValueWindow : CountingWindow
    {
        private readonly Dictionary<string, int> _values = new(StringComparer.Ordinal);

        protected override int Measure() => _values.Count;

        protected override void Count(string? value, int delta)
        {
            if (value is null)
            {
                return;
            }

            var now = _values.GetValueOrDefault(value) + delta;
            if (now <= 0)
            {
                _values.Remove(value);
            }
            else
            {
                _values[value] = now;
            }
        }

        protected override string? ValueOf(LogEvent logEvent, SigmaCorrelationRule rule) =>
            logEvent.TryGet(rule.Field!, out var value) ? value : null;

        protected override void Reset() => _values.Clear();
    }

    /// <summary>
    /// <c>temporal</c>: the last time each listed rule fired; <c>temporal_ordered</c>: for each position, the latest start
    /// of a chain through the rules before it, so an in-order run within the span is found in one step per event.
    /// </summary>
    private sealed class TemporalWindow(int rules, bool ordered) : SigmaGroupWindow
    {
        private readonly DateTimeOffset?[] _seen = new DateTimeOffset?[rules];
        private readonly DateTimeOffset?[] _chainStart = new DateTimeOffset?[rules];
        private List<LogEvent> _events = [];
        private int _count;

        public override SigmaWindowResult? Add(LogEvent logEvent, DateTimeOffset time, int position, SigmaCorrelationRule rule, SigmaRule[] rules)
        {
            LastSeen = time;
            var oldest = time - rule.Timespan;
            _count++;
            Keep(_events, logEvent);
            if (ordered)
            {
                // The same rule may hold several positions; walking them downwards keeps one event from filling two.
                for (var p = rules.Length - 1; p >= 0; p--)
                {
                    if (!ReferenceEquals(rules[p], rules[position]))
                    {
                        continue;
                    }

                    var start = p == 0 ? time : _chainStart[p - 1];
                    if (start is { } s && s >= oldest && (_chainStart[p] is null || s > _chainStart[p]))
                    {
                        _chainStart[p] = s;
                    }
                }

                return _chainStart[^1] is { } begun && begun >= oldest ? Fire() : null;
            }

            _seen[position] = time;
            var distinct = 0;
            foreach (var seen in _seen)
            {
                distinct += seen is { } t && t >= oldest ? 1 : 0;
            }

            return rule.Condition.Holds(distinct) ? Fire() : null;
        }

        private SigmaWindowResult Fire()
        {
            var fired = new SigmaWindowResult(_count, _events);
            Array.Clear(_seen);
            Array.Clear(_chainStart);
            _events = [];
            _count = 0;
            return fired;
        }

        public override SigmaWindowResult? Close(SigmaCorrelationRule rule) => null;
    }
}
