using System.Threading.Channels;
using Ribat.Forensics.Detection;

namespace Ribat.Forensics.Hunting;

/// <summary>
/// Hunts through logs: files, folders and archives (by <c>Logs/LogSources</c>), EVTX through <c>Evtx/EvtxReader</c>
/// and text logs through <c>Logs/LogFileReader</c>, each event through the Sigma rules, the indicators and, when it is
/// a logon, the unauthorized-access rules.
/// <para>
/// Stages: <see cref="HuntOptions.Workers"/> workers take whole files in turn, cut their events into batches and match
/// each batch themselves, each with its own <see cref="SigmaScanner"/> (a scanner keeps per-event state; the rule set
/// and the <see cref="IocMatcher"/> are shared, both are safe across threads), so an event is matched on the thread
/// that read it, while its values are still in that core's cache, and no batch waits for another thread to wake. A
/// worker left without a file matches batches the others hand over through a bounded channel; a reader hands one over
/// only while such a helper waits and the channel has room, and otherwise matches it itself, so it never waits on
/// the channel. A bounded channel of detections feeds the one writer, the caller's <c>write</c>; when it is full the
/// workers wait, so memory stays the same however fast or slow the writer is.
/// </para>
/// <para>
/// What needs time order across files is spilled, not held: detections of rules a correlation refers to, logon
/// events (only the fields the access rules read) and, for a timeline, every event go to sorted runs on disk
/// (<see cref="SpillRuns"/>), merged at the end. Memory is the batches in flight, one spill buffer per matcher and
/// purpose, the correlator's and access detector's bounded state, and one line per unreadable file or skip reason;
/// the temporary folder grows with the logons, the correlated detections and, for a timeline, the whole input.
/// </para>
/// </summary>
public sealed partial class LogHunt
{
    private const int BatchSize = 256;
    private readonly HuntOptions _options;
    private readonly SigmaCorrelator? _correlator;
    private readonly HashSet<string> _correlated = new(StringComparer.OrdinalIgnoreCase);
    private readonly int _minRank;
    private readonly HuntSummary _summary = new();
    private int _filesTotal;
    private int _filesDone;
    private long _events;
    private long _detections;
    private int _started;

    public LogHunt(HuntOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } invalid)
        {
            throw new ArgumentException(invalid, nameof(options));
        }

        _options = options;
        _minRank = options.MinLevel is null ? 0 : HuntLevels.Rank(options.MinLevel);
        if (options.Rules is { } rules && options.Correlations.Count > 0)
        {
            _correlator = new SigmaCorrelator(options.Correlations, rules.Rules);
            CorrelatedRuleIds(options, rules);
        }
    }

    /// <summary>Correlation rules left out because they refer to rules that were not loaded.</summary>
    public IReadOnlyList<SigmaLoadFailure> CorrelationFailures => _correlator?.Failures ?? [];

    public HuntProgress Progress =>
        new(Volatile.Read(ref _filesDone), Volatile.Read(ref _filesTotal), Interlocked.Read(ref _events), Interlocked.Read(ref _detections));

    /// <summary>
    /// Hunts through <paramref name="paths"/>. <paramref name="write"/> gets each reported row, never from two threads
    /// at once: detections as they are found (then correlation and access findings at the end), or the timeline at the
    /// end. An exception from it stops the hunt and is thrown here. Runs once per instance.
    /// </summary>
    public async Task<HuntSummary> RunAsync(IReadOnlyList<string> paths, Action<HuntHit> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(write);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("A hunt runs once; make a new one.");
        }

        var files = ListFiles(paths);
        _summary.Files = files.Count;
        Volatile.Write(ref _filesTotal, files.Count);
        var temp = Path.Combine(_options.TempDirectory, "ribat-hunt-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(temp);
        try
        {
            var spills = new Spills(temp, _options, _correlator is not null);
            await RunStagesAsync(files, spills, write, cancellationToken);
            Finish(spills, write);
            _summary.SpilledRuns = spills.Written;
            return _summary;
        }
        finally
        {
            TryDelete(temp);
        }
    }

    private async Task RunStagesAsync(List<string> files, Spills spills, Action<HuntHit> write, CancellationToken cancellationToken)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = cancel.Token;
        var batches = Channel.CreateBounded<EventBatch>(new BoundedChannelOptions(_options.Workers * 4) { FullMode = BoundedChannelFullMode.Wait });
        var hits = Channel.CreateBounded<HuntHit>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        var handover = new Handover(batches, _options.Workers);
        var nextFile = -1;
        var workers = new Task[_options.Workers];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Factory.StartNew(() => Work(files, () => Interlocked.Increment(ref nextFile), handover, new Matcher(this, spills, hits.Writer, token), token),
                token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        _ = Task.WhenAll(workers).ContinueWith(t => hits.Writer.TryComplete(t.Exception?.GetBaseException()), TaskScheduler.Default);
        try
        {
            await foreach (var hit in hits.Reader.ReadAllAsync(token))
            {
                Emit(hit, write);
            }
        }
        catch
        {
            await cancel.CancelAsync();
            await Task.WhenAll(workers).ContinueWith(_ => { }, TaskScheduler.Default);
            throw;
        }

        await Task.WhenAll(workers);
    }

    private bool Reported(HuntHit hit) =>
        hit.Kind is not (HuntKind.Sigma or HuntKind.Correlation)
        || (HuntLevels.Rank(hit.Level) >= _minRank && (hit.Kind != HuntKind.Sigma || _correlator?.IsSuppressed(hit.RuleId!) != true));

    private void CorrelatedRuleIds(HuntOptions options, SigmaRuleSet rules)
    {
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var rule in rules.Rules)
        {
            byName.TryAdd(rule.Id, rule.Id);
            if (rule.Name is not null)
            {
                byName.TryAdd(rule.Name, rule.Id);
            }
        }

        foreach (var correlation in options.Correlations)
        {
            foreach (var reference in correlation.Rules)
            {
                if (byName.TryGetValue(reference, out var id))
                {
                    _correlated.Add(id);
                }
            }
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A run still open on a platform that cannot delete it; the temporary folder is the operating system's to clean.
        }
    }

    /// <summary>The sorted runs of one hunt: correlation inputs, logon events and the timeline, each only when needed.</summary>
    private sealed class Spills(string folder, HuntOptions options, bool correlate)
    {
        public SpillRuns? Correlated { get; } = correlate ? new SpillRuns(folder, "correlated", options) : null;

        public SpillRuns? Logons { get; } = options.DetectAccess ? new SpillRuns(folder, "logons", options) : null;

        public SpillRuns? Timeline { get; } = options.Timeline ? new SpillRuns(folder, "timeline", options) : null;

        public int Written => (Correlated?.Written ?? 0) + (Logons?.Written ?? 0) + (Timeline?.Written ?? 0);
    }

    /// <summary>
    /// Batches handed from a worker still reading to workers left without a file. The channel completes when the last
    /// worker stops reading (with its exception when one failed), so a helper matches every batch handed over.
    /// </summary>
    private sealed class Handover(Channel<EventBatch> batches, int readers)
    {
        private int _readers = readers;
        private int _helpers;

        public ChannelReader<EventBatch> Reader => batches.Reader;

        /// <summary>Hands <paramref name="batch"/> to a helper when one waits and the channel has room; false when the caller must match it.</summary>
        public bool TryHandOver(EventBatch batch) => Volatile.Read(ref _helpers) > 0 && batches.Writer.TryWrite(batch);

        public void Failed(Exception error) => batches.Writer.TryComplete(error);

        /// <summary>A worker stops reading and starts helping.</summary>
        public void DoneReading()
        {
            Interlocked.Increment(ref _helpers);
            if (Interlocked.Decrement(ref _readers) == 0)
            {
                batches.Writer.TryComplete();
            }
        }
    }

    /// <summary>Events of one log, in order: the <paramref name="First"/> event is the log's <paramref name="First"/>-th.</summary>
    private sealed record EventBatch(int File, int Member, long First, Logs.LogEvent[] Events, int Count);
}
