using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Ribat.Forensics.Evtx;

namespace Ribat.Bench;

/// <summary>One tool's pass over the file set: wall time and the processor time it used.</summary>
public sealed record EvtxPass(string Tool, long Bytes, long Records, double Seconds, double CpuSeconds, long AllocatedBytes = 0, int Collections = 0)
{
    public double MegabytesPerSecond => Math.Round(Bytes / 1e6 / Seconds, 1);

    public double RecordsPerSecond => Math.Round(Records / Seconds);

    /// <summary>Throughput per core: bytes over processor seconds, whatever the number of cores used.</summary>
    public double MegabytesPerCpuSecond => Math.Round(Bytes / 1e6 / CpuSeconds, 1);
}

public sealed record EvtxRun(string Benchmark, DateTimeOffset StartedAt, int Cores, int Files, long Bytes, string Peer, IReadOnlyList<EvtxPass> Passes);

/// <summary>
/// Times Ribat's EVTX parser over a file set against libevtx's <c>evtxexport</c> on the same files. Ribat is timed
/// three ways: records with their element trees (the parse), plus the flat <c>LogEvent</c> a hunt uses, plus JSON
/// as <c>evtx_dump</c> writes it. <c>evtxexport -f xml</c> runs one process per file, one after the other, its
/// output thrown away; its processor time is read from its parent shell's children counters.
/// </summary>
internal static class EvtxBenchmark
{
    public static Command Command()
    {
        var paths = new Argument<string[]>("paths") { Description = "EVTX files or directories holding them (searched recursively).", Arity = ArgumentArity.OneOrMore };
        var rounds = new Option<int>("--rounds") { Description = "Timed passes per tool; the fastest is reported.", DefaultValueFactory = _ => 3 };
        var peer = new Option<string>("--peer") { Description = "The evtxexport executable, or 'none' to time Ribat alone.", DefaultValueFactory = _ => "evtxexport" };
        var output = new Option<string?>("--out") { Description = "Write the results as JSON to this file." };
        var command = new Command("evtx", "Parse EVTX files with Ribat and with evtxexport; report MB/s, records/s and MB per CPU-second (per core).")
        {
            paths, rounds, peer, output,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var files = Expand(parsed.GetValue(paths)!);
            if (files.Count == 0)
            {
                Console.Error.WriteLine("No .evtx file found under the given paths.");
                return 2;
            }

            var run = Run(files, Math.Max(1, parsed.GetValue(rounds)), parsed.GetValue(peer)!);
            Print(run);
            await ResultFile.WriteAsync(parsed.GetValue(output), run, cancellationToken);
            return 0;
        });
        return command;
    }

    private static List<string> Expand(string[] paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*.evtx", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
        }

        return files;
    }

    private static EvtxRun Run(List<string> files, int rounds, string peer)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var bytes = files.Sum(f => new FileInfo(f).Length);
        Console.Error.WriteLine($"{files.Count} files, {bytes / 1e6:F1} MB, {Environment.ProcessorCount} cores, best of {rounds}");

        // One untimed pass: JIT and the page cache, so every tool reads the same warm files.
        TimeRibat(files, Mode.Parse);
        var passes = new List<EvtxPass>();
        foreach (var mode in new[] { Mode.Parse, Mode.Flatten, Mode.Json })
        {
            passes.Add(Best(Enumerable.Range(0, rounds).Select(_ => TimeRibat(files, mode))));
            Console.Error.WriteLine($"  {passes[^1].Tool}: {passes[^1].MegabytesPerSecond} MB/s");
        }

        if (!string.Equals(peer, "none", StringComparison.OrdinalIgnoreCase))
        {
            passes.Add(Best(Enumerable.Range(0, rounds).Select(_ => TimePeer(files, peer))));
            Console.Error.WriteLine($"  {passes[^1].Tool}: {passes[^1].MegabytesPerSecond} MB/s");
        }

        return new EvtxRun("evtx", startedAt, Environment.ProcessorCount, files.Count, bytes, peer, passes);
    }

    private static EvtxPass Best(IEnumerable<EvtxPass> passes) => passes.MinBy(p => p.Seconds)!;

    private enum Mode
    {
        Parse,
        Flatten,
        Json,
    }

    private static EvtxPass TimeRibat(List<string> files, Mode mode)
    {
        GC.Collect();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var collections = GC.CollectionCount(0);
        var clock = Stopwatch.StartNew();
        long bytes = 0, records = 0, sink = 0;
        foreach (var file in files)
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.SequentialScan);
            bytes += stream.Length;
            var reader = new EvtxReader(stream);
            foreach (var record in reader.ReadRecords())
            {
                records++;
                sink += mode switch
                {
                    Mode.Flatten => EvtxEvents.ToLogEvent(record, file).Fields.Length,
                    Mode.Json => EvtxJson.Render(record).Length,
                    _ => record.Event.Children.Length,
                };
            }
        }

        clock.Stop();
        process.Refresh();
        GC.KeepAlive(sink);
        var name = mode switch
        {
            Mode.Flatten => "ribat parse + LogEvent",
            Mode.Json => "ribat parse + JSON",
            _ => "ribat parse",
        };
        return new EvtxPass(name, bytes, records, clock.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpu).TotalSeconds, GC.GetTotalAllocatedBytes(precise: true) - allocated, GC.CollectionCount(0) - collections);
    }

    private static EvtxPass TimePeer(List<string> files, string peer)
    {
        // The shell runs evtxexport once per file and then prints its own /proc stat: fields 16 and 17 are the
        // user and system time of its waited-for children, in clock ticks.
        var list = Path.GetTempFileName();
        File.WriteAllLines(list, files);
        var script = $"while IFS= read -r f; do '{peer}' -f xml \"$f\"; done < '{list}' | grep -c '^<Event '; cat /proc/$$/stat";
        var start = new ProcessStartInfo("/bin/sh", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        var clock = Stopwatch.StartNew();
        using var shell = Process.Start(start)!;
        var lines = shell.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        shell.WaitForExit();
        clock.Stop();
        File.Delete(list);
        var records = long.Parse(lines[0], CultureInfo.InvariantCulture);
        var stat = lines[1][(lines[1].LastIndexOf(')') + 2)..].Split(' ');
        var ticks = double.Parse(stat[13], CultureInfo.InvariantCulture) + double.Parse(stat[14], CultureInfo.InvariantCulture);
        var bytes = files.Sum(f => new FileInfo(f).Length);
        return new EvtxPass("evtxexport -f xml", bytes, records, clock.Elapsed.TotalSeconds, ticks / 100.0);
    }

    private static void Print(EvtxRun run)
    {
        Console.WriteLine();
        Console.WriteLine($"{"tool",-26}{"records",12}{"seconds",10}{"MB/s",10}{"records/s",12}{"CPU s",9}{"MB/CPU-s",10}{"alloc B/rec",12}{"GCs",6}");
        foreach (var pass in run.Passes)
        {
            Console.WriteLine($"{pass.Tool,-26}{pass.Records,12:N0}{pass.Seconds,10:F2}{pass.MegabytesPerSecond,10:F1}{pass.RecordsPerSecond,12:N0}{pass.CpuSeconds,9:F2}{pass.MegabytesPerCpuSecond,10:F1}{(pass.Records == 0 ? 0 : pass.AllocatedBytes / pass.Records),12:N0}{pass.Collections,6}");
        }

        var peer = run.Passes.FirstOrDefault(p => p.Tool.StartsWith("evtxexport", StringComparison.Ordinal));
        if (peer is not null)
        {
            foreach (var pass in run.Passes.Where(p => p != peer))
            {
                Console.WriteLine($"{pass.Tool} against evtxexport: {peer.Seconds / pass.Seconds:F1}x wall, {pass.MegabytesPerCpuSecond / peer.MegabytesPerCpuSecond:F1}x per core");
            }
        }
    }
}
