using System.CommandLine;
using System.Diagnostics;
using System.Runtime;
using System.Text;
using Ribat.Forensics.Detection;
using Ribat.Forensics.Hunting;
using Ribat.Forensics.Ioc;
using Ribat.Testing;

namespace Ribat.Bench;

/// <summary>
/// <c>ribat hunt</c>'s pipeline end to end: the whole SigmaHQ rule set of the corpus over a multi-gigabyte EVTX set made
/// by repeating the corpus's EVTX files, then over generated JSON lines. Events/s, MB/s, processor time against wall
/// time (how much of both cores was used) and the peak working set.
/// </summary>
internal static class HuntBenchmark
{
    private const int JsonSeed = 20_261_122;

    private static readonly string[] EvtxFiles = ["security.evtx", "system.evtx", "sysmon.evtx", "sample-with-irregular-bool-values.evtx"];

    public static Command Command()
    {
        var dir = new Option<string>("--dir") { Description = "Folder for the generated logs (made if missing, reused if already big enough; never in the repository).", DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "ribat-hunt-bench") };
        var gigabytes = new Option<double>("--gigabytes") { Description = "Size of the EVTX set, made by repeating the corpus EVTX files.", DefaultValueFactory = _ => 2 };
        var jsonMegabytes = new Option<int>("--json-megabytes") { Description = "Size of the JSON-lines set (two files).", DefaultValueFactory = _ => 512 };
        var workers = new Option<int>("--workers") { Description = "Workers of the hunt (each reads files and matches their events).", DefaultValueFactory = _ => 2 };
        var corpus = new Option<string?>("--corpus") { Description = "The corpus's sigma folder (default: ../shared/corpus/sigma beside the repository)." };
        var iocs = new Option<int>("--iocs") { Description = "Also hunt with this many indicators (hashes, addresses, CIDR blocks, domains, URLs; a few present in the logs) and no rules; 0 to skip.", DefaultValueFactory = _ => 0 };
        var out_ = new Option<string?>("--out") { Description = "Write the results as JSON to this file." };
        var command = new Command("hunt", "The hunt pipeline with the whole SigmaHQ rule set over generated EVTX and JSON-lines sets: events/s, MB/s, cores used, peak memory.")
        {
            dir, gigabytes, jsonMegabytes, workers, corpus, iocs, out_,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var sigma = parsed.GetValue(corpus) ?? SharedCorpus.Path("sigma");
            if (!Directory.Exists(sigma))
            {
                Console.Error.WriteLine($"ribat-bench: no Sigma corpus at {sigma}.");
                return 2;
            }

            var folder = parsed.GetValue(dir)!;
            var evtx = MakeEvtxSet(Path.Combine(folder, "evtx"), (long)(parsed.GetValue(gigabytes) * 1e9), Path.Combine(Path.GetDirectoryName(sigma)!, "evtx"));
            var json = MakeJsonSet(Path.Combine(folder, "jsonl"), parsed.GetValue(jsonMegabytes) * 1_000_000L);
            var clock = Stopwatch.StartNew();
            var load = SigmaRuleLoader.LoadDirectories(Directory.EnumerateDirectories(sigma, "rules*").Order(StringComparer.Ordinal));
            var set = new SigmaRuleSet(load.Rules);
            Console.Error.WriteLine($"rules: {load.Rules.Count:N0} loaded, {load.Correlations.Count} correlations, {load.Failures.Count} refused, in {clock.Elapsed.TotalSeconds:N1} s");
            var options = new HuntOptions { Rules = set, Correlations = load.Correlations, Workers = parsed.GetValue(workers) };

            // One untimed pass over one copy of each file builds the rule set's per-channel buckets and lets the JIT settle.
            await new LogHunt(options).RunAsync(evtx.Take(EvtxFiles.Length).Append(json[0]).ToList(), _ => { }, cancellationToken);
            var runs = new List<HuntRunFigures>
            {
                await MeasureAsync("evtx, whole rule set", evtx, options, cancellationToken),
                await MeasureAsync("json lines, whole rule set", json, options, cancellationToken),
                await MeasureAsync("json lines, no rules (reading, access rules, pipeline)", json, options with { Rules = null, Correlations = [] }, cancellationToken),
            };
            if (parsed.GetValue(iocs) is > 0 and var count)
            {
                clock.Restart();
                var indicators = IocSet.FromIndicators(MakeIndicators(count)).Set;
                Console.Error.WriteLine($"indicators: {indicators.Count:N0} built in {clock.Elapsed.TotalSeconds:N2} s");
                var hunting = options with { Rules = null, Correlations = [], Indicators = indicators };
                runs.Add(await MeasureAsync($"evtx, {count:N0} indicators, no rules", evtx, hunting, cancellationToken));
                runs.Add(await MeasureAsync($"json lines, {count:N0} indicators, no rules", json, hunting, cancellationToken));
            }

            foreach (var run in runs)
            {
                Console.WriteLine(run);
            }

            await ResultFile.WriteAsync(parsed.GetValue(out_), new { FinishedAt = DateTimeOffset.UtcNow, Environment.ProcessorCount, RulesLoaded = load.Rules.Count, Runs = runs }, cancellationToken);
            return 0;
        });
        return command;
    }

    private static async Task<HuntRunFigures> MeasureAsync(string name, List<string> files, HuntOptions options, CancellationToken cancellationToken)
    {
        var bytes = files.Sum(f => new FileInfo(f).Length);
        await Jit.SettledAsync(cancellationToken);
        GC.Collect();
        var process = Process.GetCurrentProcess();
        var jitBefore = JitInfo.GetCompilationTime();
        var cpuBefore = process.TotalProcessorTime;
        var load = Load.Now();
        long rows = 0;
        var clock = Stopwatch.StartNew();
        var summary = await new LogHunt(options).RunAsync(files, _ => rows++, cancellationToken);
        var wall = clock.Elapsed.TotalSeconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        var jit = (JitInfo.GetCompilationTime() - jitBefore).TotalSeconds;
        return new HuntRunFigures(name, files.Count, bytes, summary.EventsRead, summary.Detections, rows, wall, cpu, summary.EventsRead / wall, summary.EventsRead / cpu,
            bytes / 1e6 / wall, bytes / 1e6 / cpu, cpu / wall, process.PeakWorkingSet64 / 1048576.0, load, jit);
    }

    /// <summary>
    /// Indicators as a feed holds them: SHA-256, MD5 and SHA-1 digests, IPv4 addresses, a few CIDR blocks, domains and URLs,
    /// nearly all absent from the logs; the source address of every 4,096th generated JSON line (the generator's sequence
    /// replayed) is there so the hunt also reports.
    /// </summary>
    private static IEnumerable<IocIndicator> MakeIndicators(int count)
    {
        var random = new Random(20_261_123);
        var bytes = new byte[32];
        for (var i = 0; i < count; i++)
        {
            random.NextBytes(bytes);
            yield return (i % 8) switch
            {
                0 or 1 => new IocIndicator(ObservableType.Sha256, Convert.ToHexStringLower(bytes)),
                2 => new IocIndicator(ObservableType.Md5, Convert.ToHexStringLower(bytes.AsSpan(0, 16))),
                3 => new IocIndicator(ObservableType.Sha1, Convert.ToHexStringLower(bytes.AsSpan(0, 20))),
                4 or 5 => new IocIndicator(ObservableType.IPv4, $"{random.Next(1, 223)}.{random.Next(256)}.{random.Next(256)}.{random.Next(1, 255)}"),
                6 => i % 1024 == 6
                    ? new IocIndicator(ObservableType.Cidr, $"{random.Next(1, 223)}.{random.Next(256)}.0.0/16")
                    : new IocIndicator(ObservableType.Domain, $"c{i}.bad{i % 997}.example"),
                _ => new IocIndicator(ObservableType.Url, $"http://dl{i}.bad{i % 997}.example/p/{i}.bin"),
            };
        }

        var lines = new Random(JsonSeed);
        for (var line = 0; line < 4096 * 256; line++)
        {
            var ip = $"{lines.Next(1, 223)}.{lines.Next(256)}.{lines.Next(256)}.{lines.Next(1, 255)}";
            lines.Next(1024, 65535);
            if (line % 4096 == 0)
            {
                yield return new IocIndicator(ObservableType.IPv4, ip);
            }
        }
    }

    private static List<string> MakeEvtxSet(string folder, long size, string corpus)
    {
        Directory.CreateDirectory(folder);
        var files = Directory.GetFiles(folder, "*.evtx").Order(StringComparer.Ordinal).ToList();
        var total = files.Sum(f => new FileInfo(f).Length);
        for (var i = files.Count; total < size; i++)
        {
            var source = Path.Combine(corpus, EvtxFiles[i % EvtxFiles.Length]);
            var target = Path.Combine(folder, $"{i:D5}-{Path.GetFileName(source)}");
            File.Copy(source, target);
            files.Add(target);
            total += new FileInfo(target).Length;
        }

        Console.Error.WriteLine($"evtx set: {files.Count:N0} files, {total / 1e9:N2} GB in {folder}");
        return files;
    }

    private static List<string> MakeJsonSet(string folder, long size)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(JsonSeed);
        string[] users = ["root", "admin", "alice", "bob", "oracle", "deploy"];
        string[] paths = ["/index.html", "/wp-login.php", "/api/v1/items?id=42&sort=asc", "/css/site.css", "/"];
        var files = new List<string>();
        for (var f = 0; f < 2; f++)
        {
            var path = Path.Combine(folder, $"events-{f}.jsonl");
            files.Add(path);
            if (File.Exists(path) && new FileInfo(path).Length >= size / 2)
            {
                continue;
            }

            using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
            long written = 0;
            for (var i = 0; written < size / 2; i++)
            {
                var ip = $"{random.Next(1, 223)}.{random.Next(256)}.{random.Next(256)}.{random.Next(1, 255)}";
                var line = $"{{\"@timestamp\":\"2024-05-01T10:{i / 60 % 60:00}:{i % 60:00}.{i % 1000:000}Z\",\"event\":{{\"kind\":\"event\",\"category\":[\"network\",\"web\"]}},\"source\":{{\"ip\":\"{ip}\",\"port\":{random.Next(1024, 65535)}}},\"user\":{{\"name\":\"{users[i % users.Length]}\"}},\"http\":{{\"request\":{{\"method\":\"GET\"}},\"response\":{{\"status_code\":{(i % 7 == 0 ? 404 : 200)}}}}},\"url\":{{\"path\":\"{paths[i % paths.Length]}\"}},\"message\":\"request {i} served\"}}";
                writer.Write(line);
                writer.Write('\n');
                written += line.Length + 1;
            }
        }

        Console.Error.WriteLine($"json set: 2 files, {files.Sum(f => new FileInfo(f).Length) / 1e6:N0} MB in {folder}");
        return files;
    }

    private sealed record HuntRunFigures(
        string Name, int Files, long Bytes, long Events, long Detections, long Rows, double WallSeconds, double CpuSeconds,
        double EventsPerSecond, double EventsPerCpuSecond, double MegabytesPerSecond, double MegabytesPerCpuSecond, double CoresUsed,
        double PeakWorkingSetMiB, double LoadAverage, double JitSeconds)
    {
        public override string ToString() =>
            $"{Name}: {Files:N0} files, {Bytes / 1e6:N0} MB, {Events:N0} events, {Detections:N0} detections in {WallSeconds:N1} s wall / {CpuSeconds:N1} s CPU\n" +
            $"  {EventsPerSecond:N0} events/s wall, {EventsPerCpuSecond:N0} events per CPU-second; {MegabytesPerSecond:N1} MB/s wall, {MegabytesPerCpuSecond:N1} MB per CPU-second; " +
            $"{CoresUsed:N2} cores busy on average; peak working set {PeakWorkingSetMiB:N0} MiB (load average {LoadAverage:N1} at start); " +
            $"{JitSeconds:N2} s compiling during the run";
    }
}
