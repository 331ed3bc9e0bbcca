using System.CommandLine;
using System.Globalization;
using Ribat.Forensics.Enrichment;
using Ribat.Forensics.Pcap;

namespace Ribat.Cli;

/// <summary>
/// <c>ribat analyze pcap</c>: a traffic summary of packet captures, read on the spot. Needs no data directory or
/// database, since nothing is stored.
/// </summary>
internal static class AnalyzeCommands
{
    // Large sequential reads: captures run to gigabytes and are read once, front to back.
    private const int ReadBufferSize = 1 << 20;

    private const double MaxIntervalSeconds = 366 * 24 * 3600;

    public static Command Create()
    {
        var analyze = new Command("analyze", "Analyse evidence files on this machine without storing them.");
        analyze.Subcommands.Add(Pcap());
        analyze.Subcommands.Add(FileCommand.Create());
        analyze.Subcommands.Add(EmailCommand.Create());
        analyze.Subcommands.Add(MoneyCommand.Create());
        return analyze;
    }

    private static Command Pcap()
    {
        var files = new Argument<string[]>("FILE") { Description = "pcap or pcapng files (recognised by content, not name), merged into one summary; several are read in parallel, one per core.", Arity = ArgumentArity.OneOrMore };
        var format = new Option<string>("--format") { Description = "table (default) or json.", DefaultValueFactory = _ => "table", HelpName = "FORMAT" };
        var interval = new Option<double?>("--interval")
        {
            Description = "Length of each series interval in seconds, fractions allowed (0.001 is a millisecond). Without it a round " +
                "step is chosen from the captures' duration: 1 s for captures of 50 s to an hour, finer for shorter ones (at least " +
                "50 intervals, down to 1 µs), 10 s to 1 h for longer ones (at most 3,600). Either is widened if the captures span " +
                "over 1,000,000 intervals.",
            HelpName = "SECONDS",
        };
        var chart = new Option<string?>("--chart") { Description = "Also draw packets and megabits per second over time to this PNG file (replaced if it exists).", HelpName = "FILE.png" };
        var top = new Option<int>("--top") { Description = "How many top sources and destinations to list (default 20).", DefaultValueFactory = _ => TrafficTally.DefaultTop, HelpName = "N" };
        var databases = new GeoDatabaseOptions();
        var pcap = new Command("pcap",
            "Summarise captures: packets, bytes (on-the-wire lengths), time span, packets and bytes per interval, peak rates, " +
            "top sources and destinations by bytes, protocol mix and file anomalies. Top addresses get their AS number and " +
            "country from the MaxMind-format databases given (as for 'ribat enrich'); without any, asn and country are null. " +
            "Every file and database is checked before any capture is read: if one is missing or unfit, nothing is " +
            "analysed and the exit code is 2.")
        {
            files, format, interval, top, chart,
        };
        databases.AddTo(pcap);
        pcap.SetAction(parsed =>
        {
            var output = parsed.GetValue(format)!.ToLowerInvariant();
            if (output is not ("table" or "json"))
            {
                return CliOutput.Fail($"--format must be table or json, not '{parsed.GetValue(format)}'.");
            }

            var seconds = parsed.GetValue(interval);
            if (seconds is { } asked && !(asked >= 1e-7 && asked <= MaxIntervalSeconds))
            {
                return CliOutput.Fail($"--interval must be between 0.0000001 and {MaxIntervalSeconds} seconds, not {asked.ToString(CultureInfo.InvariantCulture)}.");
            }

            var limit = parsed.GetValue(top);
            if (limit is < 0 or > 10_000)
            {
                return CliOutput.Fail("--top must be between 0 and 10000.");
            }

            var picture = parsed.GetValue(chart);
            if (picture is not null && CheckChart(picture) is { } unwritable)
            {
                return CliOutput.Fail(unwritable);
            }

            var paths = parsed.GetValue(files)!;
            if (Check(paths) is { } problem)
            {
                return CliOutput.Fail(problem);
            }

            var (enricher, unfit) = databases.Open(parsed);
            if (unfit is not null)
            {
                return CliOutput.Fail(unfit);
            }

            using var origins = enricher;
            var tally = seconds is { } fixedSeconds
                ? new TrafficTally(TimeSpan.FromTicks(Math.Max(1, (long)Math.Round(fixedSeconds * TimeSpan.TicksPerSecond))))
                : TrafficTally.WithAutomaticInterval();
            // Changed since they were checked: still one line, still nothing printed.
            if (CaptureSet.Read(tally, [.. paths.Select(path => new CaptureSource(path, () => Open(path)))], Environment.ProcessorCount) is { } failed)
            {
                return CliOutput.Fail(failed);
            }

            var summary = tally.ToSummary(limit);
            if (picture is not null && SaveChart(summary, picture) is { } notSaved)
            {
                return CliOutput.Fail(notSaved);
            }

            if (output == "json")
            {
                TrafficReport.WriteJson(summary, Console.OpenStandardOutput(), origins);
            }
            else
            {
                TrafficReport.WriteTable(summary, Console.Out, origins);
            }

            return ExitCodes.Ok;
        });
        return pcap;
    }

    /// <summary>The first file that is missing, unreadable or not a capture, as one line; null when all are fit.</summary>
    private static string? Check(string[] paths)
    {
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                return $"{path} is a folder; name the capture files in it (for example {Path.Combine(path, "*.pcap")}).";
            }

            if (!File.Exists(path))
            {
                return $"{path} does not exist.";
            }

            try
            {
                using var stream = Open(path);
                var opened = CaptureReader.Open(stream);
                if (opened.Reader is null)
                {
                    return $"{path}: {opened.Error}";
                }

                opened.Reader.Dispose();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return $"cannot read {path}: {ex.Message}";
            }
        }

        return null;
    }

    private static string? CheckChart(string path)
    {
        if (!path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        {
            return $"--chart writes a PNG picture; name the file with .png, not '{path}'.";
        }

        if (Directory.Exists(path))
        {
            return $"--chart {path} is a directory.";
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return Directory.Exists(folder) ? null : $"--chart: the folder {folder} does not exist.";
    }

    private static string? SaveChart(TrafficSummary summary, string path)
    {
        try
        {
            TrafficChart.Save(summary, path);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"cannot write the chart {path}: {ex.Message}";
        }
    }

    private static FileStream Open(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, ReadBufferSize, FileOptions.SequentialScan);

    internal static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>An interval in seconds without rounding a microsecond step to zero.</summary>
    internal static string Seconds(TimeSpan interval) => interval.TotalSeconds.ToString("0.#######", CultureInfo.InvariantCulture);
}
