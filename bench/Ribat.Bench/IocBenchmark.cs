using System.CommandLine;
using System.Diagnostics;
using Ribat.Forensics.Hunting;
using Ribat.Forensics.Ioc;
using Ribat.Forensics.Logs;

namespace Ribat.Bench;

/// <summary>
/// <c>Ribat.Bench ioc</c>: building an <see cref="IocSet"/>, exact look-ups, matching events, and the free-text
/// pattern scan against GNU grep and ripgrep on the same file. Times are wall clock and this process's CPU time;
/// a peer's CPU time is what bash's <c>time</c> reports for it.
/// </summary>
internal static class IocBenchmark
{
    public static Command Create()
    {
        var indicators = new Option<int>("--indicators") { Description = "Indicators in the set.", DefaultValueFactory = _ => 1_000_000 };
        var lookups = new Option<int>("--lookups") { Description = "Timed exact look-ups (half present, half absent).", DefaultValueFactory = _ => 10_000_000 };
        var events = new Option<int>("--events") { Description = "Sysmon-like events to match.", DefaultValueFactory = _ => 200_000 };
        var patterns = new Option<int>("--patterns") { Description = "Literal patterns for the free-text scan.", DefaultValueFactory = _ => 10_000 };
        var textMiB = new Option<int>("--text-mib") { Description = "Size of the generated log text, in MiB.", DefaultValueFactory = _ => 1024 };
        var work = new Option<string>("--work") { Description = "Directory for the generated text and patterns (kept and reused between runs).", DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "ribat-ioc-bench") };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the generated data.", DefaultValueFactory = _ => 20_261_122UL };
        var peerTimeout = new Option<int>("--peer-timeout") { Description = "Seconds after which a peer tool is stopped (ripgrep 13 with -i and thousands of patterns can run for hours).", DefaultValueFactory = _ => 600 };
        var output = new Option<string?>("--out") { Description = "Write the results as JSON to this file." };
        var command = new Command("ioc", "IOC matching: set build time, exact look-ups per core, event matching, and the free-text scan against grep -F and rg -F.")
        {
            indicators, lookups, events, patterns, textMiB, work, seed, peerTimeout, output,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var random = new SplitMix(parsed.GetValue(seed));
            var list = new List<IocIndicator>(parsed.GetValue(indicators));
            for (var i = 0; i < list.Capacity; i++)
            {
                list.Add(IocBenchData.Indicator(ref random, i));
            }

            var build = Measure(() => IocSet.FromIndicators(list));
            var set = build.Result.Set;
            Console.WriteLine($"build: {list.Count:N0} indicators ({set.DistinctValues:N0} distinct, {build.Result.Problems.Count} refused) in {build.Wall:F3} s wall, {build.Cpu:F3} s CPU");

            var (exact, batched) = ExactLookups(set, list, parsed.GetValue(lookups), ref random);
            var matching = MatchEvents(set, list, parsed.GetValue(events), ref random);
            var scans = FreeText.Run(parsed.GetValue(work)!, parsed.GetValue(textMiB), parsed.GetValue(patterns), parsed.GetValue(seed), parsed.GetValue(peerTimeout), cancellationToken);
            await ResultFile.WriteAsync(parsed.GetValue(output), new IocRun("ioc", DateTimeOffset.UtcNow, Environment.ProcessorCount, list.Count, set.DistinctValues,
                build.Wall, build.Cpu, exact, batched, matching, scans), cancellationToken);
            return 0;
        });
        return command;
    }

    /// <summary>Look-ups made before the timed runs, each way.</summary>
    private const int WarmUpLookups = 2_000_000;

    /// <summary>The same probes looked up one by one and then in batches; both runs must find the same number.</summary>
    private static (Throughput OneByOne, Throughput Batched) ExactLookups(IocSet set, List<IocIndicator> list, int count, ref SplitMix random)
    {
        // The probed values lie one after another in one buffer, as a reader's values lie in the block it parsed: a
        // string per probe scattered over the heap would make every probe a cache miss before the set is even asked.
        var values = new string[Math.Min(count, 2_000_000)];
        var types = new ObservableType[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var like = list[random.Below(list.Count)];
            types[i] = like.Type;
            values[i] = (i & 1) == 0 ? like.Value : IocBenchData.Absent(ref random, like, i);
        }

        var text = string.Concat(values).AsMemory();
        var probes = new IocProbe[values.Length];
        for (int i = 0, at = 0; i < values.Length; at += values[i].Length, i++)
        {
            probes[i] = new IocProbe(types[i], text.Slice(at, values[i].Length));
        }

        var answers = new bool[probes.Length];
        long OneByOne(long total)
        {
            var found = 0L;
            for (var done = 0L; done < total; done += probes.Length)
            {
                foreach (var probe in probes.AsSpan(0, (int)Math.Min(probes.Length, total - done)))
                {
                    found += set.Contains(probe.Type, probe.Value.Span) ? 1 : 0;
                }
            }

            return found;
        }

        long Batched(long total)
        {
            var found = 0L;
            for (var done = 0L; done < total; done += probes.Length)
            {
                found += set.Contains(probes.AsSpan(0, (int)Math.Min(probes.Length, total - done)), answers);
            }

            return found;
        }

        // Both ways once untimed, then a wait for the JIT's background compilations: each timed run measures the
        // look-ups at their final tier, not the JIT compiling them (about a tenth of a second, a tenth of the batched run).
        OneByOne(Math.Min(count, WarmUpLookups));
        Batched(Math.Min(count, WarmUpLookups));
        Jit.SettledAsync(CancellationToken.None).GetAwaiter().GetResult();
        var oneByOne = Measure(() => OneByOne(count));
        Jit.SettledAsync(CancellationToken.None).GetAwaiter().GetResult();
        var batched = Measure(() => Batched(count));
        if (batched.Result != oneByOne.Result)
        {
            Console.WriteLine($"MISMATCH: batched look-ups found {batched.Result:N0}, one by one {oneByOne.Result:N0}.");
        }

        return (Report("exact look-ups", count, oneByOne), Report("exact look-ups, batched", count, batched));
    }

    private static Throughput Report(string what, long count, Timed<long> timed)
    {
        var result = new Throughput(count, timed.Wall, timed.Cpu, count / timed.Wall, count / timed.Cpu);
        Console.WriteLine($"{what}: {count:N0} ({timed.Result:N0} found) in {timed.Wall:F3} s wall, {timed.Cpu:F3} s CPU: "
            + $"{result.PerSecondWall / 1e6:F1} M/s wall, {result.PerCpuSecond / 1e6:F1} M/s per core");
        return result;
    }

    private static Throughput MatchEvents(IocSet set, List<IocIndicator> list, int count, ref SplitMix random)
    {
        var events = new LogEvent[count];
        long characters = 0;
        for (var i = 0; i < count; i++)
        {
            events[i] = IocBenchData.Event(ref random, i, list, hitEvery: 100);
            foreach (var field in events[i].Fields)
            {
                characters += field.Value?.Length ?? 0;
            }
        }

        var matcher = new IocMatcher(set);
        var hits = new List<IocHit>();
        var timed = Measure(() =>
        {
            var total = 0L;
            foreach (var logEvent in events)
            {
                hits.Clear();
                total += matcher.Match(logEvent, hits);
            }

            return total;
        });
        var result = new Throughput(count, timed.Wall, timed.Cpu, count / timed.Wall, count / timed.Cpu);
        Console.WriteLine($"event matching: {count:N0} events of 10 fields ({characters / (double)count:F0} characters each), {timed.Result:N0} hits, "
            + $"{timed.Wall:F3} s wall, {timed.Cpu:F3} s CPU: {result.PerSecondWall:N0} events/s wall, {result.PerCpuSecond:N0} per core, "
            + $"{characters * 2 / timed.Cpu / 1e6:F0} MB/s of UTF-16 per core");
        return result;
    }

    internal static Timed<T> Measure<T>(Func<T> work)
    {
        GC.Collect();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = work();
        clock.Stop();
        process.Refresh();
        return new Timed<T>(result, clock.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpu).TotalSeconds);
    }

    internal sealed record Timed<T>(T Result, double Wall, double Cpu);

    public sealed record Throughput(long Operations, double WallSeconds, double CpuSeconds, double PerSecondWall, double PerCpuSecond);

    public sealed record IocRun(string Benchmark, DateTimeOffset At, int Cores, int Indicators, int Distinct, double BuildWallSeconds,
        double BuildCpuSeconds, Throughput ExactLookups, Throughput BatchedLookups, Throughput EventMatching, IReadOnlyList<FreeText.Scan> FreeTextScans);

}
