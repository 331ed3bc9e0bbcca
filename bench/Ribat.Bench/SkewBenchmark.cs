using System.Diagnostics;
using Microsoft.Extensions.Options;
using Ribat.Core.Indicators;

namespace Ribat.Bench;

public sealed record SkewSettings(int Hot, int Reports, int BackgroundPerReport, int Lookups, ulong Seed);

/// <summary>
/// A few values that everybody reports (a sinkhole address, a bullet-proof host, a commodity loader's digest…),
/// each held by one indicator in every report, beside ordinary background values. It counts the postings Ribat
/// stores for them against the rows a pairwise correlation table would need, and times a search for a hot value,
/// which must answer "over-correlating" after reading at most the posting cap.
/// </summary>
internal sealed class SkewBenchmark(BenchStore store, Community community, ObservableGenerator generator, SkewSettings settings)
{
    public const string MispSource =
        "MISP/MISP app/Model/Correlation.php (afterSaveCorrelation, createCorrelationEntry): the current engine writes one "
        + "default_correlations row per pair of attributes in different events, the higher attribute id on the '1_' side; the "
        + "engine it replaced (app/Model/Attribute.php __afterSaveCorrelation, table 'correlations') wrote two rows per pair, one "
        + "per direction. app/Model/OverCorrelatingValue.php: above MISP.correlation_limit (20 unless configured) a value is "
        + "blocked and not correlated at all.";

    private static readonly Observable[] HotValues =
    [
        new("ipv4", "45.137.21.9"),
        new("domain", "update-check.duckdns-bench.org"),
        new("sha256", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
        new("url", "https://cdn.files-bench.top/loader/setup.exe"),
        new("email", "invoice@billing-bench.com"),
        new("md5", "44d88612fea8a8f36de82e1278abb02f"),
        new("btc-address", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"),
        new("sha1", "3395856ce81f2b7382dee72602f798b642f14140"),
    ];

    public async Task<SkewRun> RunAsync(DateTimeOffset startedAt, MachineInfo machine, CancellationToken cancellationToken)
    {
        var hot = HotValues.Take(settings.Hot).ToArray();
        var ingest = await IngestAsync(hot, cancellationToken);
        var stored = await store.IndicatorCountAsync(cancellationToken);
        var space = await store.SizeAsync(cancellationToken);

        var keys = hot.Select(h => Key(h)).ToArray();
        var postings = await store.PostingsAsync(keys, cancellationToken);
        var hotFigures = hot.Select((h, i) =>
        {
            var n = postings.GetValueOrDefault(keys[i]);
            return new HotValue(h.Type, h.Value, n, n * (n - 1) / 2.0, n * (double)(n - 1));
        }).ToList();

        var (hotLatency, allOver) = await LookUpAsync(hot.Select(h => h.Value).ToList(), cancellationToken);
        var random = new SplitMix(settings.Seed ^ 0xBAC6);
        var background = Enumerable.Range(0, settings.Lookups).Select(_ => generator.At((long)(random.Next() % (ulong)(settings.Reports * (long)settings.BackgroundPerReport))).Value).ToList();
        var (backgroundLatency, _) = await LookUpAsync(background, cancellationToken);

        return new SkewRun(
            "skew",
            store.Provider,
            startedAt,
            machine,
            settings.Seed,
            settings.Reports,
            settings.BackgroundPerReport,
            store.Get<IOptions<CorrelationOptions>>().Value.MaxPostings,
            ingest,
            stored,
            space,
            hotFigures,
            hotFigures.Sum(h => h.Postings),
            hotFigures.Sum(h => h.MispPairs),
            hotFigures.Sum(h => h.MispLegacyRows),
            MispSource,
            allOver,
            hotLatency,
            backgroundLatency);
    }

    private static long Key(Observable value) =>
        IndicatorTypes.TryCanonicalise(value.Type, value.Value, out var canonical, out var reason)
            ? canonical!.ValueKey
            : throw new InvalidOperationException($"{value.Type} {value.Value}: {reason}");

    /// <summary>One report per holder: MISP correlates only attributes of different events, so each report adds one holder.</summary>
    private async Task<IngestFigures> IngestAsync(Observable[] hot, CancellationToken cancellationToken)
    {
        var record = store.Get<RecordIndicators>();
        var reports = store.Get<Reports>();
        long next = 0, observables = 0, recorded = 0, duplicates = 0, rejected = 0;
        var elapsed = TimeSpan.Zero;
        var cpu = TimeSpan.Zero;
        var progressAt = Stopwatch.GetTimestamp();
        for (var r = 0; r < settings.Reports; r++)
        {
            var inputs = new List<IndicatorInput>(hot.Length + settings.BackgroundPerReport);
            inputs.AddRange(hot.Select((h, i) => Community.Input(h, (r * 31L) + i)));
            for (var i = 0; i < settings.BackgroundPerReport; i++, next++)
            {
                inputs.Add(Community.Input(generator.At(next), next));
            }

            var owner = community.Owner(r);
            var terms = community.Terms(r);
            var started = Stopwatch.GetTimestamp();
            var cpuStarted = Environment.CpuUsage.TotalTime;
            var report = Community.Ok(await reports.CreateAsync(owner, new ReportInput($"Campaign report {r}", Sharing: terms), cancellationToken));
            var result = Community.Ok(await record.HandleAsync(owner, new RecordIndicatorsRequest(inputs, terms, report.Id), cancellationToken: cancellationToken));
            elapsed += Stopwatch.GetElapsedTime(started);
            cpu += Environment.CpuUsage.TotalTime - cpuStarted;
            observables += inputs.Count;
            recorded += result.Recorded;
            duplicates += result.Duplicates;
            rejected += result.Issues.Count;
            if (Stopwatch.GetElapsedTime(progressAt) > TimeSpan.FromSeconds(15))
            {
                progressAt = Stopwatch.GetTimestamp();
                Console.Error.WriteLine($"  {r + 1:N0} reports, {observables / elapsed.TotalSeconds:N0} observables/s, {(r + 1) / elapsed.TotalSeconds:N0} reports/s");
            }
        }

        return new IngestFigures(observables, recorded, duplicates, rejected, settings.Reports, settings.Reports, Math.Round(elapsed.TotalSeconds, 3), Math.Round(cpu.TotalSeconds, 3));
    }

    private async Task<(LatencySummary Latency, bool AllOverCorrelating)> LookUpAsync(IReadOnlyList<string> values, CancellationToken cancellationToken)
    {
        var correlate = store.Get<Correlate>();
        for (var i = 0; i < Math.Min(50, settings.Lookups); i++)
        {
            await correlate.HandleAsync(community.Viewers[i % community.Viewers.Count], values[i % values.Count], cancellationToken: cancellationToken);
        }

        var latencies = new List<double>(settings.Lookups);
        var allOver = true;
        for (var i = 0; i < settings.Lookups; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var answer = Community.Ok(await correlate.HandleAsync(community.Viewers[i % community.Viewers.Count], values[i % values.Count], cancellationToken: cancellationToken));
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            allOver &= answer.Values.Count > 0 && answer.Values.All(v => v.OverCorrelating);
        }

        return (LatencySummary.Of(latencies), allOver);
    }
}
