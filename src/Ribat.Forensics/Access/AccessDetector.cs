using System.Net;
using Ribat.Forensics.Enrichment;
using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Access;

/// <summary>
/// Finds unauthorized access in logon events fed in time order (<see cref="Observe"/>), from any mix of Windows
/// Security logs and Linux authentication logs: brute force, password spraying, success after failures, an account's
/// first-seen origin and logons at unusual hours. A burst is one finding, extended while it goes on. Memory is bounded
/// by <see cref="AccessDetectionOptions.MaxTrackedKeys"/>; events without a time, or earlier than one already seen, are
/// counted rather than trusted to a window.
/// </summary>
public sealed partial class AccessDetector
{
    private readonly AccessDetectionOptions _options;
    private readonly AddressEnricher? _enricher;
    private readonly List<FindingBuilder> _findings = [];
    private readonly Dictionary<string, SourceState> _sources = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(string Source, string Account), Queue<(DateTimeOffset Time, AccessEvidence Evidence)>> _pairs = new(PairComparer.Instance);
    private readonly Dictionary<string, HashSet<string>> _origins = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(string Account, DateOnly Day), FindingBuilder> _offHours = new(PairComparer.DayInstance);
    private DateTimeOffset _latest = DateTimeOffset.MinValue;

    /// <param name="enricher">When given, first-seen origins compare countries or autonomous systems; without it, addresses.</param>
    public AccessDetector(AccessDetectionOptions? options = null, AddressEnricher? enricher = null)
    {
        _options = options ?? new AccessDetectionOptions();
        if (_options.Validate() is { } invalid)
        {
            throw new ArgumentException(invalid, nameof(options));
        }

        _enricher = enricher;
    }

    /// <summary>Events that were logon attempts.</summary>
    public long Attempts { get; private set; }

    /// <summary>Attempts earlier than one already seen: still counted, but windows are measured from the latest time.</summary>
    public long OutOfOrder { get; private set; }

    public void Observe(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        if (!LogonAttempts.TryRead(logEvent, out var attempt))
        {
            return;
        }

        Attempts++;
        if (attempt.Time < _latest)
        {
            OutOfOrder++;
            attempt = attempt with { Time = _latest };
        }

        _latest = attempt.Time;
        Bound();
        if (attempt.Success)
        {
            OnSuccess(attempt);
        }
        else
        {
            OnFailure(attempt);
        }
    }

    /// <summary>The findings so far, in the order they began.</summary>
    public IReadOnlyList<AccessFinding> Findings()
    {
        var findings = new AccessFinding[_findings.Count];
        for (var i = 0; i < findings.Length; i++)
        {
            findings[i] = _findings[i].Build();
        }

        return findings;
    }

    private void OnFailure(LogonAttempt attempt)
    {
        if (!_sources.TryGetValue(attempt.Source, out var state))
        {
            state = new SourceState();
            _sources[attempt.Source] = state;
        }

        DetectBruteForce(state, attempt);
        DetectSpraying(state, attempt);
        var key = (attempt.Source, attempt.Account);
        if (!_pairs.TryGetValue(key, out var failures))
        {
            failures = new Queue<(DateTimeOffset, AccessEvidence)>();
            _pairs[key] = failures;
        }

        failures.Enqueue((attempt.Time, attempt.Evidence));
        Prune(failures, attempt.Time - _options.SuccessWindow);
    }

    private void OnSuccess(LogonAttempt attempt)
    {
        if (_pairs.Remove((attempt.Source, attempt.Account), out var failures))
        {
            Prune(failures, attempt.Time - _options.SuccessWindow);
            if (failures.Count >= _options.FailuresBeforeSuccess)
            {
                var finding = Begin(AccessFindingKind.SuccessAfterFailures, attempt.Account, attempt.Source, failures.Peek().Time,
                    $"{failures.Count} failures, then a success ({attempt.Detail})");
                foreach (var (time, evidence) in failures)
                {
                    finding.Add(time, attempt.Account, evidence);
                }

                finding.Add(attempt.Time, attempt.Account, attempt.Evidence);
            }
        }

        DetectFirstSeen(attempt);
        DetectOffHours(attempt);
    }

    private static void Prune(Queue<(DateTimeOffset Time, AccessEvidence Evidence)> queue, DateTimeOffset since)
    {
        while (queue.Count > 0 && queue.Peek().Time < since)
        {
            queue.Dequeue();
        }
    }

    private FindingBuilder Begin(AccessFindingKind kind, string? account, string source, DateTimeOffset first, string detail)
    {
        var finding = new FindingBuilder(kind, account, source, first, detail, _options.MaxEvidence);
        _findings.Add(finding);
        return finding;
    }

    /// <summary>When the tracked keys reach the cap, state no window can still use is dropped; if that is not enough, all of it.</summary>
    private void Bound()
    {
        if (_sources.Count + _pairs.Count + _origins.Count + _offHours.Count < _options.MaxTrackedKeys)
        {
            return;
        }

        var longest = new[] { _options.BruteForceWindow, _options.SprayWindow, _options.SuccessWindow }.Max();
        var horizon = _latest - longest;
        foreach (var (key, state) in _sources)
        {
            if (state.LastSeen < horizon)
            {
                _sources.Remove(key);
            }
        }

        foreach (var (key, queue) in _pairs)
        {
            Prune(queue, horizon);
            if (queue.Count == 0)
            {
                _pairs.Remove(key);
            }
        }

        _offHours.Clear();
        if (_sources.Count + _pairs.Count + _origins.Count >= _options.MaxTrackedKeys)
        {
            _sources.Clear();
            _pairs.Clear();
            _origins.Clear();
        }
    }

    private string OriginOf(string source)
    {
        if (_enricher is null || _options.FirstSeenBy == FirstSeenBy.Address || !IPAddress.TryParse(source, out var address))
        {
            return source;
        }

        var origin = _enricher.Lookup(address);
        return _options.FirstSeenBy == FirstSeenBy.Asn
            ? origin.Asn is { } asn ? $"AS{asn}" : "unknown AS"
            : origin.CountryCode ?? "unknown country";
    }
}
