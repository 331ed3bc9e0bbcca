using System.Globalization;
using Ribat.Forensics.Enrichment;
using Ribat.Forensics.Pcap;

namespace Ribat.Cli;

/// <summary>
/// Prints a <see cref="TrafficSummary"/> as JSON (<see cref="TrafficReportJson"/>, shared with the server) or as a
/// readable table. Top addresses carry AS and country when an enricher is given.
/// </summary>
internal static class TrafficReport
{
    public static void WriteJson(TrafficSummary summary, Stream output, AddressEnricher? enricher = null) => TrafficReportJson.Write(summary, output, enricher);

    public static void WriteTable(TrafficSummary summary, TextWriter output, AddressEnricher? enricher = null)
    {
        output.WriteLine($"Packets    {summary.Packets.ToString("N0", CultureInfo.InvariantCulture)}");
        output.WriteLine($"Bytes      {summary.Bytes.ToString("N0", CultureInfo.InvariantCulture)}");
        output.WriteLine($"First      {Time(summary.FirstTimestamp)}");
        output.WriteLine($"Last       {Time(summary.LastTimestamp)}");
        output.WriteLine($"Duration   {AnalyzeCommands.Number(summary.DurationSeconds)} s");
        output.WriteLine($"Interval   {AnalyzeCommands.Seconds(summary.Interval)} s, {summary.Series.Count.ToString("N0", CultureInfo.InvariantCulture)} in the series ({(summary.IntervalIsAutomatic ? "chosen from the duration; --interval sets it" : "as asked")})");
        output.WriteLine($"Peak       {AnalyzeCommands.Number(summary.PeakPacketsPerSecond)} pps, {AnalyzeCommands.Number(summary.PeakBitsPerSecond)} bps (busiest {AnalyzeCommands.Seconds(summary.Interval)} s interval of {summary.Series.Count}, or the whole capture when shorter)");
        output.WriteLine();
        output.WriteLine("Protocol    Packets        Bytes");
        foreach (var (name, count) in Protocols(summary.Protocols))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-10}{count.Packets,9:N0}{count.Bytes,13:N0}"));
        }

        WriteTalkers(output, "Top sources", summary.TopSources, summary.DistinctSources, enricher);
        WriteTalkers(output, "Top destinations", summary.TopDestinations, summary.DistinctDestinations, enricher);
        VectorReport.WriteTable(summary, output);
        output.WriteLine();
        foreach (var file in summary.Files)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"File       {file.Name} ({FormatName(file.Format)}, {file.Packets:N0} packets)"));
        }

        foreach (var anomaly in summary.Anomalies)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Anomaly    {anomaly.Count:N0} × {anomaly.Reason}"));
        }

        foreach (var note in Notes(summary, enricher))
        {
            output.WriteLine($"Note       {note}");
        }
    }

    private static IEnumerable<string> Notes(TrafficSummary summary, AddressEnricher? enricher) => TrafficReportJson.Notes(summary, enricher);

    private static void WriteTalkers(TextWriter output, string title, IReadOnlyList<AddressTraffic> talkers, int distinct, AddressEnricher? enricher)
    {
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{title} (of {distinct:N0})"));
        foreach (var talker in talkers)
        {
            var line = string.Create(CultureInfo.InvariantCulture, $"  {talker.Address,-40}{talker.Packets,9:N0}{talker.Bytes,13:N0}");
            if (enricher?.Lookup(talker.Address) is { } origin)
            {
                line += string.Create(CultureInfo.InvariantCulture, $"  {(origin.Asn is { } asn ? "AS" + asn : "-"),-12}{origin.CountryCode ?? "-",-3}{origin.AsOrganization}");
            }

            output.WriteLine(line.TrimEnd());
        }
    }

    private static (string Name, TrafficCount Count)[] Protocols(TrafficProtocols p) => TrafficReportJson.Protocols(p);

    private static string Time(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) ?? "-";

    private static string FormatName(CaptureFormat format) => TrafficReportJson.FormatName(format);
}
