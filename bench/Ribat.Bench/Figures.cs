using System.Diagnostics;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ribat.Bench;

/// <summary>Latencies in milliseconds, by nearest rank: p99 of 10,000 samples is the 9,900th smallest.</summary>
public sealed record LatencySummary(int Count, double P50, double P95, double P99, double Max, double Mean)
{
    public static LatencySummary Of(List<double> milliseconds)
    {
        if (milliseconds.Count == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0, 0);
        }

        var sorted = milliseconds.Order().ToArray();
        double Rank(double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];
        return new LatencySummary(sorted.Length, Round(Rank(0.50)), Round(Rank(0.95)), Round(Rank(0.99)), Round(sorted[^1]), Round(sorted.Average()));
    }

    private static double Round(double value) => Math.Round(value, 3);

    public override string ToString() => $"p50 {P50,7:F2}  p95 {P95,7:F2}  p99 {P99,7:F2}  max {Max,8:F2}";
}

/// <summary>
/// Time spent ingesting, and what the store made of it. <see cref="CpuSeconds"/> is the processor time this process
/// used meanwhile (on PostgreSQL the server's share is not in it).
/// </summary>
public sealed record IngestFigures(long Observables, long Recorded, long Duplicates, long Rejected, int Batches, int Reports, double Seconds, double CpuSeconds)
{
    public double PerSecond => Seconds > 0 ? Math.Round(Observables / Seconds) : 0;

    /// <summary>With <c>--search-while-ingesting</c>: the searches made while this step's batches were recorded.</summary>
    public LatencySummary? SearchesMeanwhile { get; init; }

    public static IngestFigures Sum(IEnumerable<IngestFigures> parts)
    {
        var all = parts.ToList();
        return new IngestFigures(all.Sum(p => p.Observables), all.Sum(p => p.Recorded), all.Sum(p => p.Duplicates), all.Sum(p => p.Rejected),
            all.Sum(p => p.Batches), all.Sum(p => p.Reports), Math.Round(all.Sum(p => p.Seconds), 3), Math.Round(all.Sum(p => p.CpuSeconds), 3));
    }
}

/// <summary>
/// Look-ups at one store size: (a) the index probes alone, (b) the use case as a user calls it. The CPU figures are
/// this process's processor time per look-up, which a busy machine inflates far less than the latencies.
/// </summary>
public sealed record LookupFigures(
    int Count,
    double ProbesCpuMs,
    double UseCaseCpuMs,
    int PresentAsked,
    int PresentFound,
    int AbsentAsked,
    int AbsentFound,
    int OverCorrelating,
    LatencySummary Probes,
    LatencySummary UseCase,
    LatencySummary UseCasePresent,
    LatencySummary UseCaseAbsent,
    IReadOnlyDictionary<string, LatencySummary> UseCaseByType);

/// <summary>
/// One store size. <see cref="LoadBefore"/> and <see cref="LoadAfter"/> are the machine's one-minute load average
/// around the step: on a shared machine they say whether the figures had the cores to themselves.
/// </summary>
public sealed record StepResult(long Size, long StoredRows, IngestFigures Ingest, StoreSize Store, LookupFigures Lookups, double LoadBefore, double LoadAfter);

public sealed record MachineInfo(string Cpu, int Cores, double MemoryGiB, string Os, string Runtime, string Gc, IReadOnlyDictionary<string, string> Database)
{
    public static MachineInfo Describe(IReadOnlyDictionary<string, string> database)
    {
        var cpu = "unknown";
        if (File.Exists("/proc/cpuinfo"))
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }

        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        var gc = System.Runtime.GCSettings.IsServerGC ? "server" : "workstation";
        return new MachineInfo(cpu, Environment.ProcessorCount, Math.Round(memory, 1), RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, gc, database);
    }
}

public sealed record CorrelationRun(
    string Benchmark,
    string Provider,
    DateTimeOffset StartedAt,
    MachineInfo Machine,
    ulong Seed,
    int BatchSize,
    int MaxPostings,
    int MaxRelated,
    string IngestIncludes,
    string ProbesInclude,
    string UseCaseIncludes,
    IReadOnlyList<StepResult> Steps,
    IngestFigures Overall);

public sealed record HotValue(string Type, string Value, long Postings, double MispPairs, double MispLegacyRows);

public sealed record SkewRun(
    string Benchmark,
    string Provider,
    DateTimeOffset StartedAt,
    MachineInfo Machine,
    ulong Seed,
    int Reports,
    int BackgroundPerReport,
    int MaxPostings,
    IngestFigures Ingest,
    long StoredRows,
    StoreSize Store,
    IReadOnlyList<HotValue> Hot,
    long RibatPostings,
    double MispPairs,
    double MispLegacyRows,
    string MispSource,
    bool HotAnsweredOverCorrelating,
    LatencySummary HotLookup,
    LatencySummary BackgroundLookup);

internal static class Load
{
    /// <summary>The one-minute load average, or -1 where the system does not publish it.</summary>
    public static double Now()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
        catch (UnauthorizedAccessException)
        {
            return -1;
        }
    }
}

internal static class ResultFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static async Task WriteAsync<T>(string? path, T run, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(run, Json) + "\n", cancellationToken);
        Console.WriteLine($"Results written to {path}");
    }
}

/// <summary>The JIT, as a benchmark sees it between timed runs.</summary>
internal static class Jit
{
    /// <summary>
    /// Waits (at most ten seconds) until the JIT has compiled nothing for half a second: methods a run made hot are
    /// compiled again at tier 1 on a background thread after it ends, and without this wait that work was counted in the
    /// next run's processor time (the JSON run after the EVTX one in the hunt benchmark; the look-ups themselves in the
    /// IOC benchmark).
    /// </summary>
    public static async Task SettledAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var compiled = JitInfo.GetCompiledMethodCount();
        var quiet = 0;
        while (quiet < 5 && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100, cancellationToken);
            var now = JitInfo.GetCompiledMethodCount();
            quiet = now == compiled ? quiet + 1 : 0;
            compiled = now;
        }
    }
}
