using System.Threading.Channels;
using Ribat.Forensics.Access;
using Ribat.Forensics.Detection;
using Ribat.Forensics.Ioc;
using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Hunting;

public sealed partial class LogHunt
{
    /// <summary>The only fields the access rules read (<c>Access/LogonAttempts</c>); a spilled logon keeps these alone.</summary>
    private static readonly HashSet<string> LogonFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "EventID", "Channel", "Computer", "TargetUserName", "LogonType", "IpAddress", "WorkstationName", "Workstation", "Status",
        "event", "user", "target_user", "source_ip", "host", "service",
    };

    /// <summary>One worker's matching: its own scanner and lists, the shared rule set and indicator matcher.</summary>
    private sealed class Matcher(LogHunt hunt, Spills spills, ChannelWriter<HuntHit> output, CancellationToken token)
    {
        private readonly SigmaScanner? _scanner = hunt._options.Rules?.CreateScanner();
        private readonly IocMatcher? _indicators = hunt._options.Indicators is { } set ? new IocMatcher(set) : null;
        private readonly SpillBuffer? _correlated = spills.Correlated?.CreateBuffer();
        private readonly SpillBuffer? _logons = spills.Logons?.CreateBuffer();
        private readonly SpillBuffer? _timeline = spills.Timeline?.CreateBuffer();
        private readonly List<SigmaDetection> _detections = [];
        private readonly List<IocHit> _iocHits = [];
        private string?[] _cleanValues = new string?[64];
        private readonly List<string> _matched = [];
        private readonly HuntSummary _tally = new();

        public void Match(EventBatch batch)
        {
            var before = _tally.Detections;
            for (var i = 0; i < batch.Count; i++)
            {
                token.ThrowIfCancellationRequested();
                var logEvent = batch.Events[i];
                var key = SpillKey.For(logEvent.Timestamp, batch.File, batch.Member, batch.First + i);
                _matched.Clear();
                Sigma(logEvent, key);
                Indicators(logEvent);
                if (_logons is not null && LogonAttempts.TryRead(logEvent, out _))
                {
                    _logons.Add(key, new HuntHit(HuntKind.Event, Slim(logEvent)));
                }

                _timeline?.Add(key, new HuntHit(HuntKind.Event, logEvent) { Matched = _matched.Count == 0 ? [] : [.. _matched] });
            }

            Interlocked.Add(ref hunt._detections, _tally.Detections - before);
        }

        private void Sigma(LogEvent logEvent, SpillKey key)
        {
            if (_scanner is null)
            {
                return;
            }

            _detections.Clear();
            _scanner.Match(logEvent, _detections);
            foreach (var detection in _detections)
            {
                var hit = new HuntHit(HuntKind.Sigma, logEvent) { RuleId = detection.RuleId, RuleTitle = detection.Title, Level = detection.Level, Tags = detection.Tags };
                if (hunt._correlated.Contains(detection.RuleId))
                {
                    _correlated!.Add(key, hit);
                }

                Found(hit);
                _matched.Add(detection.RuleId);
            }
        }

        private void Indicators(LogEvent logEvent)
        {
            if (_indicators is null)
            {
                return;
            }

            _iocHits.Clear();
            var fields = logEvent.Fields;
            if (_cleanValues.Length < fields.Length)
            {
                Array.Resize(ref _cleanValues, fields.Length);
            }

            for (var i = 0; i < fields.Length; i++)
            {
                // A value holds the same indicators wherever it is found, and readers hand out the same string for a value a
                // field repeats (a user, a process, a host): one that held none at this position last time is not tokenised again.
                if (fields[i].Value is { Length: > 0 } value && !ReferenceEquals(_cleanValues[i], value)
                    && _indicators.MatchField(fields[i].Name, value, _iocHits) == 0)
                {
                    _cleanValues[i] = value;
                }
            }

            foreach (var found in _iocHits)
            {
                var indicator = found.Indicator;
                var type = indicator.Type.ToName();
                Found(new HuntHit(HuntKind.Ioc, logEvent)
                {
                    RuleId = "ioc/" + type,
                    RuleTitle = indicator.Label is null ? $"Indicator {indicator.Value}" : $"Indicator {indicator.Value} ({indicator.Label})",
                    Level = "high",
                    Indicator = indicator.Value,
                    IndicatorType = type,
                    IndicatorId = indicator.Id,
                    Field = found.Field,
                });
                _matched.Add("ioc:" + indicator.Value);
            }
        }

        private void Found(HuntHit hit)
        {
            _tally.Count(hit);
            if (hunt._options.Timeline || !hunt.Reported(hit))
            {
                return;
            }

            if (!output.TryWrite(hit))
            {
                output.WriteAsync(hit, token).AsTask().GetAwaiter().GetResult();
            }
        }

        public void Finish()
        {
            _correlated?.Flush();
            _logons?.Flush();
            _timeline?.Flush();
            lock (hunt._summary)
            {
                var summary = hunt._summary;
                summary.Detections += _tally.Detections;
                foreach (var (kind, count) in _tally.DetectionsByKind)
                {
                    summary.DetectionsByKind[kind] = summary.DetectionsByKind.GetValueOrDefault(kind) + count;
                }

                foreach (var (level, count) in _tally.DetectionsByLevel)
                {
                    summary.DetectionsByLevel[level] = summary.DetectionsByLevel.GetValueOrDefault(level) + count;
                }
            }
        }

        private static LogEvent Slim(LogEvent logEvent)
        {
            var kept = new List<LogField>(8);
            foreach (var field in logEvent.Fields)
            {
                if (LogonFields.Contains(field.Name))
                {
                    kept.Add(field);
                }
            }

            return new LogEvent(logEvent.Format, logEvent.SourceFile, logEvent.RecordId, logEvent.Timestamp, [.. kept]);
        }
    }
}
