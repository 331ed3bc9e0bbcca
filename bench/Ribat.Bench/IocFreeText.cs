using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ribat.Forensics.Hunting;

namespace Ribat.Bench;

/// <summary>
/// The free-text half of <c>Ribat.Bench ioc</c>: counts the lines of one generated file that hold any of the
/// patterns, with <see cref="PatternAutomaton"/> and with <c>grep -c -F -f</c> and <c>rg -c -F -f</c>, case-sensitive
/// and with <c>-i</c>. The counts must agree; the ratio is the peer's wall time over ours.
/// </summary>
internal static class FreeText
{
    public sealed record Scan(string Tool, bool IgnoreCase, long MatchingLines, double WallSeconds, double CpuSeconds, double MiBPerSecond, string Version);

    public static List<Scan> Run(string work, int textMiB, int patternCount, ulong seed, int peerTimeout, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(work);
        var patternsPath = Path.Combine(work, $"patterns-{patternCount}-{seed}.txt");
        var textPath = Path.Combine(work, $"text-{textMiB}mib-{patternCount}-{seed}.log");
        var patterns = IocBenchData.Patterns(seed, patternCount);
        File.WriteAllText(patternsPath, string.Join('\n', patterns) + "\n", new UTF8Encoding(false));
        if (!File.Exists(textPath))
        {
            var clock = Stopwatch.StartNew();
            var lines = IocBenchData.WriteText(textPath + ".part", (long)textMiB << 20, seed, patterns, hitEvery: 1000);
            File.Move(textPath + ".part", textPath);
            Console.WriteLine($"generated {textPath}: {lines:N0} lines in {clock.Elapsed.TotalSeconds:F0} s");
        }

        var mib = new FileInfo(textPath).Length / 1048576.0;
        Console.WriteLine($"free text: {mib:N0} MiB, {patternCount:N0} patterns ({textPath})");
        var scans = new List<Scan>();
        foreach (var ignoreCase in new[] { false, true })
        {
            var ours = Ours(patterns, textPath, ignoreCase, mib, cancellationToken);
            var grep = Peer("grep", $"-c -F{(ignoreCase ? " -i" : string.Empty)} -f", patternsPath, textPath, mib, ignoreCase, peerTimeout);
            var rg = Peer("rg", $"-c -F{(ignoreCase ? " -i" : string.Empty)} -f", patternsPath, textPath, mib, ignoreCase, peerTimeout);
            scans.AddRange([ours, grep, rg]);
            Print(ours, ours);
            Print(grep, ours);
            Print(rg, ours);
        }

        return scans;
    }

    private static Scan Ours(List<string> patterns, string textPath, bool ignoreCase, double mib, CancellationToken cancellationToken)
    {
        var built = IocBenchmark.Measure(() => PatternAutomaton.Build(patterns, ignoreCase));
        Console.WriteLine($"  automaton{(ignoreCase ? " -i" : string.Empty)}: {built.Result.StateCount:N0} states, built in {built.Wall:F3} s");
        var timed = IocBenchmark.Measure(() =>
        {
            using var file = new FileStream(textPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            return built.Result.CountMatchingLines(file, cancellationToken);
        });
        return new Scan("ribat", ignoreCase, timed.Result, timed.Wall + built.Wall, timed.Cpu + built.Cpu, mib / (timed.Wall + built.Wall), ".NET " + Environment.Version);
    }

    /// <summary>
    /// Runs a peer under bash's <c>time</c>, which gives its CPU time (user + system) beside the wall clock, and under
    /// <c>timeout</c>: a peer stopped there reports -1 lines and the time it had used, a lower bound. A peer that is not
    /// installed reports <see cref="NotInstalled"/> lines and zero times, and no ratio is printed for it.
    /// </summary>
    private static Scan Peer(string tool, string arguments, string patternsPath, string textPath, double mib, bool ignoreCase, int peerTimeout)
    {
        if (Capture("bash", $"-c \"command -v {tool}\"").Trim().Length == 0)
        {
            return new Scan(tool, ignoreCase, NotInstalled, 0, 0, 0, "not installed");
        }

        var version = Capture("bash", $"-c \"{tool} --version | head -1\"").Trim();
        var clock = Stopwatch.StartNew();
        var output = Capture("bash", $"-c \"TIMEFORMAT='%U %S'; time LC_ALL=C timeout {peerTimeout} {tool} {arguments} '{patternsPath}' '{textPath}'\"", stderrToo: true);
        clock.Stop();
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var count = long.TryParse(lines.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : -1;
        var times = lines.LastOrDefault()?.Split(' ') ?? [];
        var cpu = times.Length == 2 ? double.Parse(times[0], CultureInfo.InvariantCulture) + double.Parse(times[1], CultureInfo.InvariantCulture) : double.NaN;
        return new Scan(tool, ignoreCase, count, clock.Elapsed.TotalSeconds, cpu, mib / clock.Elapsed.TotalSeconds, version);
    }

    private static string Capture(string file, string arguments, bool stderrToo = false)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return stderrToo ? stdout + "\n" + stderr.Result : stdout;
    }

    /// <summary>The line count of a peer that is not on this machine.</summary>
    public const long NotInstalled = -2;

    private static void Print(Scan scan, Scan ours)
    {
        if (scan.MatchingLines == NotInstalled)
        {
            Console.WriteLine($"  {scan.Tool,-6}{(scan.IgnoreCase ? "-i" : "  ")} NOT INSTALLED: no figure and no ratio (install it and run again)");
            return;
        }

        var ratio = scan == ours ? string.Empty : $"  ours is {scan.WallSeconds / ours.WallSeconds:F2}x faster (wall), {scan.CpuSeconds / ours.CpuSeconds:F2}x (CPU)";
        var agree = scan.MatchingLines == ours.MatchingLines ? string.Empty
            : scan.MatchingLines < 0 ? "  STOPPED at the time limit (ratio is a lower bound)" : "  COUNT DIFFERS";
        Console.WriteLine($"  {scan.Tool,-6}{(scan.IgnoreCase ? "-i" : "  ")} {scan.MatchingLines,12:N0} lines {scan.WallSeconds,8:F2} s wall {scan.CpuSeconds,8:F2} s CPU {scan.MiBPerSecond,8:F0} MiB/s{ratio}{agree}  [{scan.Version}]");
    }
}
