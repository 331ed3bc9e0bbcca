using System.Diagnostics;
using Microsoft.Extensions.Options;
using Ribat.Core.Indicators;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Bench;

public sealed record CorrelationSettings(IReadOnlyList<long> Sizes, int Batch, int Lookups, int Warmup, ulong Seed, bool SearchWhileIngesting = false);

/// <summary>
/// Grows the store step by step through <see cref="RecordIndicators"/> (the path an import or the API takes) and,
/// at each size, times correlation look-ups of values the store holds and of new values, two ways: the index
/// probes alone, and the <see cref="Correlate"/> use case as the search box calls it.
/// </summary>
internal sealed class CorrelationBenchmark(BenchStore store, Community community, ObservableGenerator generator, CorrelationSettings settings)
{
    public const string IngestIncludes =
        "RecordIndicators.HandleAsync per batch (and creating the batch's report when it has one): opening the viewer's session, "
        + "parsing, refanging and canonicalising every value, the correlation keys (64-bit value key, address, registered domain), "
        + "the warning-list check (all of this on every core for a large batch), de-duplication within the batch and against the owner's stored rows "
        + "(one probe of the correlation index per row, skipped for a report that holds nothing yet), "
        + "the insert with every index maintained (prepared statement on SQLite, binary COPY on PostgreSQL), the audit entry and the commit. "
        + "Generating the input rows is outside the timer.";

    public const string ProbesInclude =
        "For each candidate type of the query: the holders probe (value key, sharing predicate, newest first, cap + 1) and each "
        + "related probe (containing networks by key, addresses inside a network by range, same registered domain). "
        + "The viewer's session is opened and the query canonicalised outside the timer.";

    public const string UseCaseIncludes =
        "Correlate.HandleAsync as the search box calls it: guessing the type, opening the viewer's session (reads their sharing groups), "
        + "every probe, reports, sightings, the grants and owner names for the answer's rows, building the answer, "
        + "and writing the search's audit entry (its own committed transaction).";

    private readonly List<StepResult> _steps = [];
    private long _next;
    private long _batch;

    public async Task<IReadOnlyList<StepResult>> RunAsync(CancellationToken cancellationToken)
    {
        foreach (var size in settings.Sizes)
        {
            var loadBefore = Load.Now();
            Console.Error.WriteLine($"[{store.Provider}] growing the store to {size:N0} observables (load {loadBefore:F1})");
            var ingest = await GrowAsync(size, cancellationToken);
            Console.Error.WriteLine($"[{store.Provider}] {ingest.Observables:N0} observables in {ingest.Seconds:F1} s: {ingest.PerSecond:N0}/s; measuring the store");
            if (ingest.SearchesMeanwhile is { } searches)
            {
                Console.Error.WriteLine($"[{store.Provider}] {searches.Count:N0} searches meanwhile: {searches}");
            }

            var stored = await store.IndicatorCountAsync(cancellationToken);
            var space = await store.SizeAsync(cancellationToken);
            Console.Error.WriteLine($"[{store.Provider}] {stored:N0} rows, {space.TotalBytes / 1048576.0:N0} MiB; look-ups");
            var lookups = await LookUpAsync(size, cancellationToken);
            var step = new StepResult(size, stored, ingest, space, lookups, loadBefore, Load.Now());
            _steps.Add(step);
            Table.PrintStep(store.Provider, step);
        }

        return _steps;
    }

    private async Task<IngestFigures> GrowAsync(long target, CancellationToken cancellationToken)
    {
        var record = store.Get<RecordIndicators>();
        var reports = store.Get<Reports>();
        long observables = 0, recorded = 0, duplicates = 0, rejected = 0;
        int batches = 0, reportCount = 0;
        var elapsed = TimeSpan.Zero;
        var cpu = TimeSpan.Zero;
        var progressAt = Stopwatch.GetTimestamp();
        using var stopSearching = new CancellationTokenSource();
        var searchTimes = new List<double>();
        var searching = settings.SearchWhileIngesting && _next > 0 ? SearchAsync(_next, searchTimes, stopSearching.Token) : Task.CompletedTask;
        while (_next < target)
        {
            var count = (int)Math.Min(settings.Batch, target - _next);
            var inputs = new List<IndicatorInput>(count);
            for (var i = 0; i < count; i++)
            {
                inputs.Add(Community.Input(generator.At(_next + i), _next + i));
            }

            var owner = community.Owner(_batch);
            var terms = community.Terms(_batch);
            var started = Stopwatch.GetTimestamp();
            var cpuStarted = Environment.CpuUsage.TotalTime;
            Guid? reportId = null;
            if (_batch % 5 == 4)
            {
                // Every fifth batch arrives as a report (a MISP event, a feed pull kept as one object).
                reportId = Community.Ok(await reports.CreateAsync(owner, new ReportInput($"Feed pull {_batch}", Sharing: terms), cancellationToken)).Id;
                reportCount++;
            }

            var result = Community.Ok(await record.HandleAsync(owner, new RecordIndicatorsRequest(inputs, terms, reportId), cancellationToken: cancellationToken));
            elapsed += Stopwatch.GetElapsedTime(started);
            cpu += Environment.CpuUsage.TotalTime - cpuStarted;

            if (result.Issues.Count > 0 && rejected == 0)
            {
                Console.Error.WriteLine($"  first rejected row: line {result.Issues[0].Line}: {result.Issues[0].Reason}");
            }

            observables += count;
            recorded += result.Recorded;
            duplicates += result.Duplicates;
            rejected += result.Issues.Count;
            batches++;
            _next += count;
            _batch++;
            if (Stopwatch.GetElapsedTime(progressAt) > TimeSpan.FromSeconds(15))
            {
                progressAt = Stopwatch.GetTimestamp();
                Console.Error.WriteLine($"  {_next:N0} observables, {observables / elapsed.TotalSeconds:N0}/s this step");
            }
        }

        await stopSearching.CancelAsync();
        await searching;
        return new IngestFigures(observables, recorded, duplicates, rejected, batches, reportCount, Math.Round(elapsed.TotalSeconds, 3), Math.Round(cpu.TotalSeconds, 3))
        {
            SearchesMeanwhile = settings.SearchWhileIngesting && searchTimes.Count > 0 ? LatencySummary.Of(searchTimes) : null,
        };
    }

    /// <summary>
    /// An analyst at the search box while the store grows (<c>--search-while-ingesting</c>): one search every 20 ms,
    /// values the store held when the step began, each timed as the use case is.
    /// </summary>
    private Task SearchAsync(long stored, List<double> milliseconds, CancellationToken stop) => Task.Run(async () =>
    {
        var correlate = store.Get<Correlate>();
        var stream = 7UL;
        while (!stop.IsCancellationRequested)
        {
            foreach (var question in Plan(stored, 200, stream++))
            {
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                var started = Stopwatch.GetTimestamp();
                Community.Ok(await correlate.HandleAsync(question.Viewer, question.Query, cancellationToken: CancellationToken.None));
                milliseconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                try
                {
                    await Task.Delay(20, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    });

    private sealed record Question(string Query, string Type, bool Present, Actor Viewer);

    /// <summary>
    /// Half the questions are values the store holds (an index already ingested, whoever owns it: the viewer may
    /// not be allowed to see it), half are new values; each generated type in turn; three viewers in turn.
    /// </summary>
    private List<Question> Plan(long stored, int count, ulong stream)
    {
        var random = new SplitMix(ObservableGenerator.Mix(settings.Seed ^ 0x100C, stream));
        var types = ObservableGenerator.Types;
        var questions = new List<Question>(count);
        for (var i = 0; i < count; i++)
        {
            var type = types[i % types.Length].Type;
            var present = i / types.Length % 2 == 0;
            var viewer = community.Viewers[i / (2 * types.Length) % community.Viewers.Count];
            Observable value;
            if (present)
            {
                do
                {
                    value = generator.At((long)(random.Next() % (ulong)stored));
                }
                while (value.Type != type);
            }
            else
            {
                value = generator.Fresh(ObservableGenerator.AbsentBase + (long)(stream << 32) + i, type);
            }

            questions.Add(new Question(value.Value, type, present, viewer));
        }

        return questions;
    }

    private async Task<LookupFigures> LookUpAsync(long stored, CancellationToken cancellationToken)
    {
        var correlate = store.Get<Correlate>();
        var sharing = store.Get<SharingAccess>();
        var options = store.Get<IOptions<CorrelationOptions>>().Value;

        foreach (var question in Plan(stored, settings.Warmup, 1))
        {
            Community.Ok(await correlate.HandleAsync(question.Viewer, question.Query, cancellationToken: cancellationToken));
            await ProbeAsync(sharing, question, options, cancellationToken);
        }

        var probes = new List<double>(settings.Lookups);
        var cpuStarted = Environment.CpuUsage.TotalTime;
        foreach (var question in Plan(stored, settings.Lookups, 2))
        {
            probes.Add(await ProbeAsync(sharing, question, options, cancellationToken));
        }

        var probesCpu = (Environment.CpuUsage.TotalTime - cpuStarted).TotalMilliseconds / settings.Lookups;
        cpuStarted = Environment.CpuUsage.TotalTime;

        var all = new List<double>(settings.Lookups);
        var present = new List<double>();
        var absent = new List<double>();
        var byType = new Dictionary<string, List<double>>();
        int presentFound = 0, absentFound = 0, over = 0;
        foreach (var question in Plan(stored, settings.Lookups, 3))
        {
            var started = Stopwatch.GetTimestamp();
            var answer = Community.Ok(await correlate.HandleAsync(question.Viewer, question.Query, cancellationToken: cancellationToken));
            var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            all.Add(milliseconds);
            (question.Present ? present : absent).Add(milliseconds);
            (byType.TryGetValue(question.Type, out var list) ? list : byType[question.Type] = []).Add(milliseconds);
            var found = answer.Values.Any(v => v.Holders > 0);
            presentFound += question.Present && found ? 1 : 0;
            absentFound += !question.Present && found ? 1 : 0;
            over += answer.Values.Any(v => v.OverCorrelating || v.Related.Any(r => r.OverCorrelating)) ? 1 : 0;
        }

        var useCaseCpu = (Environment.CpuUsage.TotalTime - cpuStarted).TotalMilliseconds / settings.Lookups;
        return new LookupFigures(
            all.Count,
            Math.Round(probesCpu, 3),
            Math.Round(useCaseCpu, 3),
            present.Count,
            presentFound,
            absent.Count,
            absentFound,
            over,
            LatencySummary.Of(probes),
            LatencySummary.Of(all),
            LatencySummary.Of(present),
            LatencySummary.Of(absent),
            byType.ToDictionary(t => t.Key, t => LatencySummary.Of(t.Value)));
    }

    private static async Task<double> ProbeAsync(SharingAccess sharing, Question question, CorrelationOptions options, CancellationToken cancellationToken)
    {
        var candidates = IndicatorTypes.Guess(question.Query).DistinctBy(c => c.ValueKey).ToList();
        await using var session = await sharing.OpenAsync(question.Viewer, cancellationToken);
        var started = Stopwatch.GetTimestamp();
        foreach (var candidate in candidates)
        {
            await CorrelationProbes.HoldersAsync(session.Db, candidate, options.MaxPostings, cancellationToken);
            foreach (var (_, query) in CorrelationProbes.Related(session.Db, candidate, options.MaxRelated))
            {
                await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(query, cancellationToken);
            }
        }

        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
}
