using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ribat.Forensics.Detection.Yara;
using Ribat.Forensics.Files;

namespace Ribat.Bench;

/// <summary>
/// <c>files</c>: file hashing and YARA scanning against the peer tools on the same bytes in the same run —
/// MD5+SHA-1+SHA-256 in one pass, SHA-256 alone against <c>openssl dgst -sha256</c> on one core, and a YARA scan
/// of a folder on two threads against <c>yara -p 2</c> with the same rules. Each figure is the best of
/// <c>--rounds</c>, after a warm-up read that brings the files into the page cache.
/// </summary>
internal static class FilesBenchmark
{
    private const int Chunk = 1 << 20;

    public static Command Create()
    {
        var sizeMb = new Option<int>("--size-mb") { Description = "Size of the file hashed, in MiB.", DefaultValueFactory = _ => 1024 };
        var files = new Option<int>("--files") { Description = "Files in the folder YARA scans (1 MiB each).", DefaultValueFactory = _ => 400 };
        var rules = new Option<int>("--rules") { Description = "YARA rules generated (text, hex and regex strings).", DefaultValueFactory = _ => 200 };
        var rounds = new Option<int>("--rounds") { Description = "Timed rounds per figure; the best is kept.", DefaultValueFactory = _ => 3 };
        var work = new Option<string?>("--dir") { Description = "Directory for the generated data (default: the temp directory); removed afterwards." };
        var yaraOnly = new Option<bool>("--yara-only") { Description = "Time the YARA scan alone (no hashing figures)." };
        var command = new Command("files", "Hashing throughput and YARA scan speed against openssl and yara on the same data.")
        {
            sizeMb, files, rules, rounds, work, yaraOnly,
        };
        command.SetAction(parsed =>
        {
            var root = parsed.GetValue(work) is { } parent
                ? Directory.CreateDirectory(Path.Combine(parent, $"ribat-bench-files-{Environment.ProcessId}")).FullName
                : Directory.CreateTempSubdirectory("ribat-bench-files-").FullName;
            try
            {
                var count = Math.Max(1, parsed.GetValue(rounds));
                if (!parsed.GetValue(yaraOnly))
                {
                    RunHashing(root, parsed.GetValue(sizeMb), count);
                }

                RunYara(root, parsed.GetValue(files), parsed.GetValue(rules), count);
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }

            return 0;
        });
        return command;
    }

    private static void RunHashing(string root, int sizeMb, int rounds)
    {
        var big = Path.Combine(root, "big.bin");
        WriteRandom(big, (long)sizeMb << 20, 1);
        var gib = ((long)sizeMb << 20) / (double)(1 << 30);
        Console.WriteLine($"{Environment.ProcessorCount} cores, {sizeMb:N0} MiB file, best of {rounds}");
        Best(rounds, () => Hash(big, DigestKinds.None));

        var onePass = Best(rounds, () => Hash(big, DigestKinds.Md5 | DigestKinds.Sha1 | DigestKinds.Sha256));
        Console.WriteLine($"MD5+SHA-1+SHA-256 one pass:        {gib / onePass:0.00} GiB/s (target >= 0.6)");
        var all = Best(rounds, () => Analyze(big));
        Console.WriteLine($"full analysis (5 digests, strings): {gib / all:0.00} GiB/s");

        var sha256 = Best(rounds, () => Sha256(big));
        var openssl = Best(rounds, () => Peer("taskset", $"-c 0 openssl dgst -sha256 {big}"));
        Console.WriteLine($"SHA-256 one core:                  {gib / sha256:0.00} GiB/s; openssl {Rate(gib, openssl)} -> {Ratio(openssl, sha256)} (target >= 0.9)");
    }

    private static void RunYara(string root, int fileCount, int ruleCount, int rounds)
    {
        var folder = Path.Combine(root, "scan");
        var ruleFile = Path.Combine(root, "rules.yar");
        WriteScanData(folder, fileCount);
        File.WriteAllText(ruleFile, Rules(ruleCount));
        if (YaraRuleSet.Unavailable is { } missing)
        {
            Console.WriteLine($"YARA: skipped ({missing})");
            return;
        }

        // Rounds alternate between the two sides, so a change in the machine's load falls on both; medians are reported.
        var (matched, strings, _) = Scan(ruleFile, folder);
        var ours = new List<Timing>();
        var peer = new List<Timing>();
        for (var round = 0; round < rounds; round++)
        {
            ours.Add(Scan(ruleFile, folder).Time);
            if (TimedPeer("yara", $"-p 2 -r '{ruleFile}' '{folder}'") is { } yara)
            {
                peer.Add(yara);
            }
        }

        var mib = (double)fileCount;
        var wall = Median(ours, t => t.Wall);
        var cpu = Median(ours, t => t.Cpu);
        Console.WriteLine($"YARA scan, 2 threads, {ruleCount} rules, {fileCount} files, median of {rounds}: {mib / wall:N0} MiB/s, {mib / cpu:N0} MiB/CPU-s " +
            $"({matched:N0} rule matches, {strings:N0} matched strings reported)");
        if (peer.Count == 0)
        {
            Console.WriteLine("yara -p 2: not installed");
            return;
        }

        var peerWall = Median(peer, t => t.Wall);
        var peerCpu = Median(peer, t => t.Cpu);
        Console.WriteLine($"yara -p 2 -r, median of {rounds}: {mib / peerWall:N0} MiB/s, {mib / peerCpu:N0} MiB/CPU-s -> " +
            $"{(peerWall / wall).ToString("0.00x", CultureInfo.InvariantCulture)} by wall time, {(peerCpu / cpu).ToString("0.00x", CultureInfo.InvariantCulture)} by CPU time (target >= 0.95)");
        Console.WriteLine("  rounds (wall/CPU s): ours " + string.Join(", ", ours.Select(t => t.ToString())) + "; yara " + string.Join(", ", peer.Select(t => t.ToString())));
    }

    private readonly record struct Timing(double Wall, double Cpu)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Wall:0.00}/{Cpu:0.00}");
    }

    private static double Median(List<Timing> timings, Func<Timing, double> pick)
    {
        var sorted = timings.Select(pick).Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Rate(double gib, double seconds) => double.IsNaN(seconds) ? "not installed" : $"{gib / seconds:0.00} GiB/s";

    private static string Ratio(double peer, double ours) => double.IsNaN(peer) ? "-" : (peer / ours).ToString("0.00x", CultureInfo.InvariantCulture);

    private static double Best(int rounds, Func<double> run)
    {
        var best = double.MaxValue;
        for (var i = 0; i < rounds; i++)
        {
            var seconds = run();
            if (double.IsNaN(seconds))
            {
                return double.NaN;
            }

            best = Math.Min(best, seconds);
        }

        return best;
    }

    private static double Hash(string path, DigestKinds kinds)
    {
        var buffer = new byte[Chunk];
        var clock = Stopwatch.StartNew();
        using var digests = new FileDigests(kinds);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        int read;
        while ((read = stream.ReadAtLeast(buffer, Chunk, throwOnEndOfStream: false)) > 0)
        {
            digests.Append(buffer, read);
        }

        digests.Finish();
        return clock.Elapsed.TotalSeconds;
    }

    private static double Analyze(string path)
    {
        var clock = Stopwatch.StartNew();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        FileAnalyzer.Analyze(stream);
        return clock.Elapsed.TotalSeconds;
    }

    private static double Sha256(string path)
    {
        var buffer = new byte[Chunk];
        var clock = Stopwatch.StartNew();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        int read;
        while ((read = stream.ReadAtLeast(buffer, Chunk, throwOnEndOfStream: false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        hash.GetHashAndReset();
        return clock.Elapsed.TotalSeconds;
    }

    // Rules compiled and files scanned, as `yara` does in its run, so the two times measure the same work. CPU time is
    // this process's, both scanning threads and the collector's included.
    private static (int Matches, long Strings, Timing Time) Scan(string ruleFile, string folder)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var (set, problems) = YaraRuleSet.Compile([ruleFile]);
        if (set is null)
        {
            throw new InvalidOperationException("generated rules do not compile: " + string.Join("; ", problems.Select(p => p.Message)));
        }

        using var rules = set;
        var files = Directory.GetFiles(folder);
        var matches = 0;
        long strings = 0;
        Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = 2 }, () => (Scanner: new YaraScanner(rules), Count: 0, Strings: 0L),
            (file, _, local) =>
            {
                var result = local.Scanner.Scan(file);
                var listed = 0L;
                foreach (var match in result.Matches)
                {
                    listed += match.Strings.Count;
                }

                return (local.Scanner, local.Count + result.Matches.Count, local.Strings + listed);
            },
            local =>
            {
                local.Scanner.Dispose();
                Interlocked.Add(ref matches, local.Count);
                Interlocked.Add(ref strings, local.Strings);
            });
        var wall = clock.Elapsed.TotalSeconds;
        return (matches, strings, new Timing(wall, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds));
    }

    /// <summary>A peer run under bash's <c>time</c> for its CPU time (user + system), its output discarded; null when it failed.</summary>
    private static Timing? TimedPeer(string tool, string arguments)
    {
        var start = new ProcessStartInfo("bash", ["-c", $"TIMEFORMAT='%U %S'; time {tool} {arguments} > /dev/null"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["LC_ALL"] = "C";
        var clock = Stopwatch.StartNew();
        try
        {
            using var process = Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            var wall = clock.Elapsed.TotalSeconds;
            var times = error.Trim().Split('\n')[^1].Split(' ');
            return process.ExitCode == 0 && times.Length == 2
                ? new Timing(wall, double.Parse(times[0], CultureInfo.InvariantCulture) + double.Parse(times[1], CultureInfo.InvariantCulture))
                : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static double Peer(string tool, string arguments)
    {
        var start = new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        var clock = Stopwatch.StartNew();
        try
        {
            using var process = Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? clock.Elapsed.TotalSeconds : double.NaN;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return double.NaN;
        }
    }

    private static void WriteRandom(string path, long size, int seed)
    {
        var random = new Random(seed);
        var buffer = new byte[Chunk];
        using var stream = File.Create(path);
        for (long written = 0; written < size; written += buffer.Length)
        {
            random.NextBytes(buffer);
            stream.Write(buffer, 0, (int)Math.Min(buffer.Length, size - written));
        }
    }

    // Half random bytes, half text with words the rules look for, so some rules match and atoms are exercised.
    private static void WriteScanData(string folder, int count)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(2);
        var text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 60_000).Select(i => Words[random.Next(Words.Length)] + " ")));
        var buffer = new byte[1 << 20];
        for (var i = 0; i < count; i++)
        {
            random.NextBytes(buffer);
            if (i % 2 == 0)
            {
                text.AsSpan(0, Math.Min(text.Length, buffer.Length / 2)).CopyTo(buffer.AsSpan(random.Next(buffer.Length / 2)));
            }

            File.WriteAllBytes(Path.Combine(folder, $"f{i:D4}.bin"), buffer);
        }
    }

    private static readonly string[] Words = ["invoice", "powershell", "kernel32", "http://", "cmd.exe", "password", "mimikatz", "beacon", "payload", "bitcoin", "report", "evidence"];

    private static string Rules(int count)
    {
        var rules = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var word = Words[i % Words.Length];
            rules.Append(CultureInfo.InvariantCulture, $"rule r{i} {{ strings: $a = \"{word}-{i}\" $b = \"{word}\" nocase $c = {{ {i & 0xFF:X2} {(i * 7) & 0xFF:X2} ?? {(i * 13) & 0xFF:X2} 4D 5A }} $d = /{word.Replace("/", "\\/", StringComparison.Ordinal)}[0-9]{{2,4}}x/ condition: ($a or $c or $d) or #b > {1000 + i} }}\n");
        }

        return rules.ToString();
    }
}
