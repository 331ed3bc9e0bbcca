using System.Globalization;
using System.Text.Json;
using Ribat.Forensics.Enrichment;
using Ribat.Forensics.Pcap;

namespace Ribat.Cli;

/// <summary>
/// Prints a <see cref="TrafficSummary"/> as JSON (snake_case, written as it goes so a long series is never held
/// twice) or as a readable table. Top addresses carry AS and country when an enricher is given.
/// </summary>
internal static class TrafficReport
{
    public static void WriteJson(TrafficSummary summary, Stream output, AddressEnricher? enricher = null)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("packets", summary.Packets);
        json.WriteNumber("bytes", summary.Bytes);
        WriteTime(json, "first_timestamp", summary.FirstTimestamp);
        WriteTime(json, "last_timestamp", summary.LastTimestamp);
        json.WriteNumber("duration_seconds", summary.DurationSeconds);
        json.WriteNumber("interval_seconds", summary.Interval.TotalSeconds);
        json.WriteNumber("peak_pps", summary.PeakPacketsPerSecond);
        json.WriteNumber("peak_bps", summary.PeakBitsPerSecond);
        json.WriteStartArray("series");
        foreach (var interval in summary.Series)
        {
            json.WriteStartObject();
            WriteTime(json, "start", interval.Start);
            json.WriteNumber("packets", interval.Packets);
            json.WriteNumber("bytes", interval.Bytes);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        WriteTalkers(json, "top_sources", summary.TopSources, enricher);
        WriteTalkers(json, "top_destinations", summary.TopDestinations, enricher);
        json.WriteNumber("distinct_sources", summary.DistinctSources);
        json.WriteNumber("distinct_destinations", summary.DistinctDestinations);
        WriteVectors(json, summary.Vectors);
        WriteReflectors(json, summary.Reflectors, enricher);
        VectorReport.WriteShape(json, summary);
        json.WriteStartObject("protocols");
        foreach (var (name, count) in Protocols(summary.Protocols))
        {
            json.WriteStartObject(name);
            json.WriteNumber("packets", count.Packets);
            json.WriteNumber("bytes", count.Bytes);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteStartArray("anomalies");
        foreach (var anomaly in summary.Anomalies)
        {
            json.WriteStartObject();
            json.WriteString("reason", anomaly.Reason);
            json.WriteNumber("count", anomaly.Count);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("files");
        foreach (var file in summary.Files)
        {
            json.WriteStartObject();
            json.WriteString("path", file.Name);
            json.WriteString("format", FormatName(file.Format));
            json.WriteNumber("packets", file.Packets);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("notes");
        foreach (var note in Notes(summary, enricher))
        {
            json.WriteStringValue(note);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        output.Write("\n"u8);
    }

    public static void WriteTable(TrafficSummary summary, TextWriter output, AddressEnricher? enricher = null)
    {
        output.WriteLine($"Packets    {summary.Packets.ToString("N0", CultureInfo.InvariantCulture)}");
        output.WriteLine($"Bytes      {summary.Bytes.ToString("N0", CultureInfo.InvariantCulture)}");
        output.WriteLine($"First      {Time(summary.FirstTimestamp)}");
        output.WriteLine($"Last       {Time(summary.LastTimestamp)}");
        output.WriteLine($"Duration   {AnalyzeCommands.Number(summary.DurationSeconds)} s");
        output.WriteLine($"Peak       {AnalyzeCommands.Number(summary.PeakPacketsPerSecond)} pps, {AnalyzeCommands.Number(summary.PeakBitsPerSecond)} bps (busiest {AnalyzeCommands.Number(summary.Interval.TotalSeconds)} s interval of {summary.Series.Count}, or the whole capture when shorter)");
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

    /// <summary>The summary's notes, and one on lookups that met a damaged database record: known only once written.</summary>
    private static IEnumerable<string> Notes(TrafficSummary summary, AddressEnricher? enricher)
    {
        var notes = summary.Notes.ToList();
        if (EnrichCommand.DamageNote(enricher) is { } damage)
        {
            notes.Add(damage);
        }

        return notes;
    }

    private static void WriteTalkers(Utf8JsonWriter json, string name, IReadOnlyList<AddressTraffic> talkers, AddressEnricher? enricher)
    {
        json.WriteStartArray(name);
        foreach (var talker in talkers)
        {
            json.WriteStartObject();
            json.WriteString("address", talker.Address.ToString());
            json.WriteNumber("packets", talker.Packets);
            json.WriteNumber("bytes", talker.Bytes);
            WriteOrigin(json, talker.Address, enricher);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteVectors(Utf8JsonWriter json, IReadOnlyList<AttackVector> vectors)
    {
        json.WriteStartArray("vectors");
        foreach (var vector in vectors)
        {
            json.WriteStartObject();
            json.WriteString("name", vector.Name);
            json.WriteNumber("packets", vector.Packets);
            json.WriteNumber("bytes", vector.Bytes);
            json.WriteNumber("share", vector.Share);
            json.WriteStartArray("evidence");
            foreach (var line in vector.Evidence)
            {
                json.WriteStringValue(line);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteReflectors(Utf8JsonWriter json, IReadOnlyList<Reflector> reflectors, AddressEnricher? enricher)
    {
        json.WriteStartArray("reflectors");
        foreach (var reflector in reflectors)
        {
            json.WriteStartObject();
            json.WriteString("address", reflector.Address.ToString());
            json.WriteString("vector", reflector.Vector);
            json.WriteNumber("packets", reflector.Packets);
            json.WriteNumber("bytes", reflector.Bytes);
            json.WriteNumber("ttl_min", reflector.MinTtl);
            json.WriteNumber("ttl_max", reflector.MaxTtl);
            WriteOrigin(json, reflector.Address, enricher);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteOrigin(Utf8JsonWriter json, NetworkAddress address, AddressEnricher? enricher)
    {
        // Present without databases too, so consumers can rely on the shape.
        var origin = enricher?.Lookup(address) ?? AddressOrigin.Unknown;
        if (origin.Asn is { } asn)
        {
            json.WriteNumber("asn", asn);
        }
        else
        {
            json.WriteNull("asn");
        }

        json.WriteString("country", origin.CountryCode);
    }

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

    private static (string Name, TrafficCount Count)[] Protocols(TrafficProtocols p) =>
    [
        ("ipv4", p.IPv4), ("ipv6", p.IPv6), ("tcp", p.Tcp), ("udp", p.Udp), ("icmp", p.Icmp), ("icmpv6", p.Icmpv6),
        ("other_ip", p.OtherIp), ("non_ip", p.NonIp), ("fragments", p.Fragments),
    ];

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            json.WriteString(name, Time(value));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string Time(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) ?? "-";

    private static string FormatName(CaptureFormat format) => format switch
    {
        CaptureFormat.PcapNanoseconds => "pcap-ns",
        CaptureFormat.PcapNg => "pcapng",
        _ => "pcap",
    };
}
