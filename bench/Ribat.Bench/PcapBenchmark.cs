using System.Buffers.Binary;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Ribat.Forensics.Pcap;

namespace Ribat.Bench;

/// <summary>
/// <c>bench pcap</c>: the traffic summary of <c>ribat analyze pcap</c> over one large capture built from the corpus's
/// real attack captures, against tshark's IP conversation table and tcpdump merely reading and rewriting the same
/// file. The file is read once beforehand so both sides read from the page cache: the figures are processing
/// speed, which is what the disk must outrun. One untimed run precedes the timed ones. With <c>--files N</c> it reads
/// the capture N times as N files, as <c>ribat analyze pcap</c> does with several (one reader per file on every core),
/// and then once more in turn on one thread, so the two are compared in the same run.
/// </summary>
internal static class PcapBenchmark
{
    private const int ReadBufferSize = 1 << 20;

    public static Command Create()
    {
        var file = new Option<string>("--file") { Description = "Capture to analyse; generated from the corpus captures when missing.", DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "ribat-bench.pcap") };
        var size = new Option<int>("--size-mb") { Description = "Size of the generated capture in MiB.", DefaultValueFactory = _ => 2048 };
        var corpus = new Option<string>("--corpus") { Description = "Folder of the corpus captures to repeat.", DefaultValueFactory = _ => Path.Combine("..", "shared", "corpus", "pcap") };
        var runs = new Option<int>("--runs") { Description = "Timed Ribat runs; the median is reported.", DefaultValueFactory = _ => 3 };
        var peers = new Option<bool>("--peers") { Description = "Also time tshark -z conv,ip, tcpdump -w /dev/null and capinfos on the same file (slow: tshark takes minutes on 2 GiB).", DefaultValueFactory = _ => true };
        var output = new Option<string?>("--out") { Description = "Write the results as JSON to this file." };
        var files = new Option<int>("--files") { Description = "Read the capture as this many files in parallel (and in turn, for comparison) instead of once.", DefaultValueFactory = _ => 1 };
        var command = new Command("pcap", "Time the capture summary of 'ribat analyze pcap' against tshark on one large capture.")
        {
            file, size, corpus, runs, peers, output, files,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var path = parsed.GetValue(file)!;
            if (!File.Exists(path))
            {
                Generate(parsed.GetValue(corpus)!, path, parsed.GetValue(size) * 1024L * 1024);
            }

            Warm(path);
            var copies = Math.Max(1, parsed.GetValue(files));
            if (copies > 1)
            {
                Several(path, copies, Math.Max(1, parsed.GetValue(runs)));
                return;
            }

            TimeRibat(path); // untimed: lets the JIT reach its optimised code, as it would on a long capture
            var ribat = new List<PcapRun>();
            for (var i = 0; i < Math.Max(1, parsed.GetValue(runs)); i++)
            {
                ribat.Add(TimeRibat(path));
                Console.WriteLine($"ribat      {ribat[^1]}");
            }

            var median = ribat.OrderBy(r => r.Seconds).ElementAt(ribat.Count / 2);
            // Taken before the peers run; they are other processes, so this is Ribat's own peak over every run.
            var peak = Process.GetCurrentProcess().PeakWorkingSet64;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set {peak / (1024 * 1024)} MiB"));
            PeerRun? tshark = null, tcpdump = null, capinfos = null;
            if (parsed.GetValue(peers))
            {
                tshark = TimePeer("tshark", $"-n -r {path} -q -z conv,ip");
                tcpdump = TimePeer("tcpdump", $"-r {path} -w /dev/null");
                capinfos = TimePeer("capinfos", $"-c -u {path}");
                Console.WriteLine($"tshark     {tshark}");
                Console.WriteLine($"tcpdump    {tcpdump}");
                Console.WriteLine($"capinfos   {capinfos}");
            }

            var result = new PcapResult(
                DateTimeOffset.UtcNow, Environment.ProcessorCount, new FileInfo(path).Length, peak, median, ribat, tshark, tcpdump, capinfos,
                Ratio(tshark, median), Ratio(tcpdump, median), Ratio(capinfos, median));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"median: {median.GigabytesPerSecond:F2} GB/s, {median.MillionPacketsPerSecond:F2} Mpps (one thread); {result.TimesFasterThanTshark}x tshark, {result.TimesFasterThanTcpdump}x tcpdump, {result.TimesFasterThanCapinfos}x capinfos, by wall time"));
            await ResultFile.WriteAsync(parsed.GetValue(output), result, cancellationToken);
        });
        return command;
    }

    private static double? Ratio(PeerRun? peer, PcapRun ribat) =>
        peer is { Seconds: > 0, ExitCode: 0 } ? Math.Round(peer.Seconds / ribat.Seconds, 2) : null;

    private static PcapRun TimeRibat(string path)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ReadBufferSize, FileOptions.SequentialScan);
        using var reader = CaptureReader.Open(stream).Reader ?? throw new InvalidOperationException($"{path} is not a capture");
        var tally = new TrafficTally();
        tally.Read(path, reader);
        var summary = tally.ToSummary();
        var seconds = clock.Elapsed.TotalSeconds;
        var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        return new PcapRun(summary.Packets, stream.Length, Math.Round(seconds, 3), Math.Round(used, 3), summary.Vectors.Count > 0 ? summary.Vectors[0].Name : null);
    }

    /// <summary>The capture read as <paramref name="copies"/> files: on every core, then in turn on one thread.</summary>
    private static void Several(string path, int copies, int runs)
    {
        TimeSeveral(path, copies, Environment.ProcessorCount); // untimed, as for one file
        foreach (var threads in new[] { Environment.ProcessorCount, 1 })
        {
            var timed = Enumerable.Range(0, runs).Select(_ => TimeSeveral(path, copies, threads)).OrderBy(r => r.Seconds).ToList();
            var median = timed[timed.Count / 2];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{copies} files, {threads} thread(s): median {median.Seconds:F3} s wall, {median.CpuSeconds:F3} s CPU, cores busy {median.CpuSeconds / median.Seconds:F2}, {median.GigabytesPerSecond:F2} GB/s, {median.MillionPacketsPerSecond:F2} Mpps ({string.Join(", ", timed.Select(r => r.Seconds.ToString("F3", CultureInfo.InvariantCulture)))} s)"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MiB; load average {File.ReadAllText("/proc/loadavg").Trim()}"));
    }

    private static PcapRun TimeSeveral(string path, int copies, int threads)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var tally = TrafficTally.WithAutomaticInterval();
        var sources = Enumerable.Range(0, copies)
            .Select(i => new CaptureSource($"{path}#{i}", () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ReadBufferSize, FileOptions.SequentialScan)))
            .ToList();
        if (CaptureSet.Read(tally, sources, threads) is { } failed)
        {
            throw new InvalidOperationException(failed);
        }

        var summary = tally.ToSummary();
        var seconds = clock.Elapsed.TotalSeconds;
        var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        return new PcapRun(summary.Packets, new FileInfo(path).Length * copies, Math.Round(seconds, 3), Math.Round(used, 3), summary.Vectors.Count > 0 ? summary.Vectors[0].Name : null);
    }

    private static PeerRun TimePeer(string tool, string arguments)
    {
        var start = new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        var clock = Stopwatch.StartNew();
        try
        {
            using var process = Process.Start(start)!;
            var drain = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            _ = drain.Result + errors.Result;
            clock.Stop();
            var version = FirstLine(tool, "--version");
            return new PeerRun(tool, version, Math.Round(clock.Elapsed.TotalSeconds, 3), process.ExitCode);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return new PeerRun(tool, "not installed", 0, -1);
        }
    }

    private static string FirstLine(string tool, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true })!;
        var line = process.StandardOutput.ReadLine() ?? "";
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return line.Trim();
    }

    private static void Warm(string path)
    {
        var buffer = new byte[ReadBufferSize];
        using var stream = File.OpenRead(path);
        while (stream.Read(buffer) > 0)
        {
        }
    }

    /// <summary>Writes the corpus captures' packets over and over, one second later each round, as one classic pcap.</summary>
    private static void Generate(string corpus, string path, long size)
    {
        var packets = new List<(long Ticks, uint Original, byte[] Data)>();
        foreach (var capture in Directory.GetFiles(corpus, "*.pcap*").Order(StringComparer.Ordinal))
        {
            using var stream = File.OpenRead(capture);
            using var reader = CaptureReader.Open(stream).Reader;
            if (reader is null)
            {
                continue;
            }

            long first = -1;
            while (reader.TryRead(out var packet))
            {
                if (packet.LinkType != LinkTypes.Ethernet)
                {
                    continue;
                }

                first = first < 0 ? packet.TimestampTicks : first;
                packets.Add((packet.TimestampTicks - first, packet.OriginalLength, packet.Data.ToArray()));
            }
        }

        if (packets.Count == 0)
        {
            throw new InvalidOperationException($"no Ethernet captures in {corpus}");
        }

        Console.WriteLine($"generating {path} ({size / (1024 * 1024)} MiB) from {packets.Count:N0} corpus packets");
        using var output = new BufferedStream(File.Create(path), ReadBufferSize);
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], LinkTypes.Ethernet);
        output.Write(header);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;
        Span<byte> record = stackalloc byte[16];
        for (var round = 0L; output.Position < size; round++)
        {
            foreach (var (ticks, original, data) in packets)
            {
                var at = start + (round * TimeSpan.TicksPerSecond) + ticks;
                var unix = (at - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;
                BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(unix / 1_000_000));
                BinaryPrimitives.WriteUInt32LittleEndian(record[4..], (uint)(unix % 1_000_000));
                BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)data.Length);
                BinaryPrimitives.WriteUInt32LittleEndian(record[12..], original);
                output.Write(record);
                output.Write(data);
            }
        }
    }
}

internal sealed record PcapRun(long Packets, long Bytes, double Seconds, double CpuSeconds, string? MainVector)
{
    public double GigabytesPerSecond => Math.Round(Bytes / Seconds / 1e9, 3);

    public double MillionPacketsPerSecond => Math.Round(Packets / Seconds / 1e6, 3);

    /// <summary>Per second of processor time: what one core does, however busy the machine was meanwhile.</summary>
    public double GigabytesPerCpuSecond => CpuSeconds > 0 ? Math.Round(Bytes / CpuSeconds / 1e9, 3) : 0;

    public double MillionPacketsPerCpuSecond => CpuSeconds > 0 ? Math.Round(Packets / CpuSeconds / 1e6, 3) : 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Packets:N0} packets in {Seconds:F2} s: {GigabytesPerSecond:F2} GB/s, {MillionPacketsPerSecond:F2} Mpps; per cpu second {GigabytesPerCpuSecond:F2} GB, {MillionPacketsPerCpuSecond:F2} M packets");
}

internal sealed record PeerRun(string Tool, string Version, double Seconds, int ExitCode)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Version}: {Seconds:F2} s, exit {ExitCode}");
}

internal sealed record PcapResult(
    DateTimeOffset RunAt,
    int Cores,
    long FileBytes,
    long PeakWorkingSetBytes,
    PcapRun Median,
    IReadOnlyList<PcapRun> Runs,
    PeerRun? Tshark,
    PeerRun? Tcpdump,
    PeerRun? Capinfos,
    double? TimesFasterThanTshark,
    double? TimesFasterThanTcpdump,
    double? TimesFasterThanCapinfos);
