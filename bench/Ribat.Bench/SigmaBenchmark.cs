using System.CommandLine;
using System.Diagnostics;
using Ribat.Forensics.Detection;
using Ribat.Forensics.Logs;
using Ribat.Testing;

namespace Ribat.Bench;

/// <summary>
/// The whole SigmaHQ rule set of the shared corpus over Windows events made by replaying SigmaHQ's regression captures
/// (their JSON twins) until the requested count: load and compile time, events per second per core, peak memory.
/// </summary>
internal static class SigmaBenchmark
{
    public static Command Command()
    {
        var events = new Option<int>("--events") { Description = "Events to match, made by repeating the regression captures.", DefaultValueFactory = _ => 1_000_000 };
        var threads = new Option<int>("--threads") { Description = "Threads matching at once, each with its own scanner over a shared rule set.", DefaultValueFactory = _ => 1 };
        var corpus = new Option<string?>("--corpus") { Description = "The corpus's sigma folder (default: ../shared/corpus/sigma beside the repository)." };
        var out_ = new Option<string?>("--out") { Description = "Write the results as JSON to this file." };
        var command = new Command("sigma", "Match the SigmaHQ rule set against replayed regression events: rules loaded, events/s per core, peak memory.")
        {
            events, threads, corpus, out_,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var folder = parsed.GetValue(corpus) ?? SharedCorpus.Path("sigma");
            if (!Directory.Exists(folder))
            {
                Console.Error.WriteLine($"ribat-bench: no Sigma corpus at {folder}.");
                return 2;
            }

            var run = Run(folder, Math.Max(1, parsed.GetValue(events)), Math.Clamp(parsed.GetValue(threads), 1, Environment.ProcessorCount));
            Print(run);
            await ResultFile.WriteAsync(parsed.GetValue(out_), run, cancellationToken);
            return 0;
        });
        return command;
    }

    private static SigmaRun Run(string folder, int count, int threads)
    {
        var clock = Stopwatch.StartNew();
        var roots = Directory.EnumerateDirectories(folder, "rules*").Order(StringComparer.Ordinal).ToList();
        var load = SigmaRuleLoader.LoadDirectories(roots);
        var loadSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var set = new SigmaRuleSet(load.Rules);
        var compileSeconds = clock.Elapsed.TotalSeconds;
        var captures = Directory.EnumerateFiles(Path.Combine(folder, "regression_data"), "*.json", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).SelectMany(EvtxJsonTwin.Read).ToArray();
        var stream = new LogEvent[count];
        for (var i = 0; i < count; i++)
        {
            stream[i] = captures[i % captures.Length];
        }

        // One untimed pass builds the per-channel buckets and their automata, and lets the JIT settle.
        var warm = set.CreateScanner();
        var sink = new List<SigmaDetection>();
        foreach (var logEvent in captures)
        {
            warm.Match(logEvent, sink);
        }

        GC.Collect();
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        clock.Restart();
        var detections = new long[threads];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var scanner = set.CreateScanner();
            var found = new List<SigmaDetection>();
            for (var i = t; i < stream.Length; i += threads)
            {
                scanner.Match(stream[i], found);
                detections[t] += found.Count;
                found.Clear();
            }
        });
        var wall = clock.Elapsed.TotalSeconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        return new SigmaRun(
            DateTimeOffset.UtcNow, Environment.ProcessorCount, Load.Now(), threads,
            load.Files, load.Rules.Count, load.Failures.Count, load.LoadRate, set.Unmapped, loadSeconds, compileSeconds,
            captures.Length, count, detections.Sum(), wall, count / wall, count / cpu / 1.0, cpu,
            (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)count,
            process.PeakWorkingSet64 / 1048576.0,
            [.. load.Failures.Select(f => $"{Path.GetRelativePath(folder, f.Source)}: {f.Reason}")]);
    }

    private static void Print(SigmaRun run)
    {
        Console.WriteLine($"rules: {run.RulesLoaded:N0} of {run.Files:N0} files loaded ({run.LoadRate:P2}), {run.Unmapped:N0} with a log source no EVTX/text map covers");
        foreach (var failure in run.Failures)
        {
            Console.WriteLine($"  not loaded: {failure}");
        }

        Console.WriteLine($"load {run.LoadSeconds:N1} s, compile {run.CompileSeconds:N1} s");
        Console.WriteLine($"events: {run.Events:N0} ({run.DistinctEvents} distinct), {run.Detections:N0} detections, {run.Threads} thread(s)");
        Console.WriteLine($"throughput: {run.EventsPerSecond:N0} events/s wall, {run.EventsPerCpuSecond:N0} events per CPU-second (per core)");
        Console.WriteLine($"allocated {run.BytesAllocatedPerEvent:N0} B/event, peak working set {run.PeakWorkingSetMiB:N0} MiB");
    }

    private sealed record SigmaRun(
        DateTimeOffset FinishedAt, int Cores, double LoadAverage, int Threads,
        int Files, int RulesLoaded, int RulesRefused, double LoadRate, int Unmapped, double LoadSeconds, double CompileSeconds,
        int DistinctEvents, int Events, long Detections, double WallSeconds, double EventsPerSecond, double EventsPerCpuSecond, double CpuSeconds,
        double BytesAllocatedPerEvent, double PeakWorkingSetMiB, List<string> Failures);
}
