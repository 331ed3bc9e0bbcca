using System.Globalization;
using System.Text.Json;
using Ribat.Forensics.Enrichment;

namespace Ribat.Forensics.Pcap;

/// <summary>
/// A <see cref="TrafficSummary"/> as JSON (snake_case, written as it goes so a long series is never held twice): what
/// <c>ribat analyze pcap --format json</c> prints and what the server keeps as a capture's finding. Top addresses and
/// reflectors carry AS and country when an enricher is given.
/// </summary>
public static class TrafficReportJson
{
    public static void Write(TrafficSummary summary, Stream output, AddressEnricher? enricher = null)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("packets", summary.Packets);
        json.WriteNumber("bytes", summary.Bytes);
        WriteTime(json, "first_timestamp", summary.FirstTimestamp);
        WriteTime(json, "last_timestamp", summary.LastTimestamp);
        json.WriteNumber("duration_seconds", summary.DurationSeconds);
        json.WriteNumber("interval_seconds", summary.Interval.TotalSeconds);
        json.WriteBoolean("interval_automatic", summary.IntervalIsAutomatic);
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
        WriteShape(json, summary);
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

    /// <summary>The summary's notes, and one on lookups that met a damaged database record: known only once written.</summary>
    public static IEnumerable<string> Notes(TrafficSummary summary, AddressEnricher? enricher)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var notes = summary.Notes.ToList();
        if (AddressOriginJson.DamageNote(enricher) is { } damage)
        {
            notes.Add(damage);
        }

        return notes;
    }

    public static (string Name, TrafficCount Count)[] Protocols(TrafficProtocols p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return
        [
            ("ipv4", p.IPv4), ("ipv6", p.IPv6), ("tcp", p.Tcp), ("udp", p.Udp), ("icmp", p.Icmp), ("icmpv6", p.Icmpv6),
            ("other_ip", p.OtherIp), ("non_ip", p.NonIp), ("fragments", p.Fragments),
        ];
    }

    public static string FormatName(CaptureFormat format) => format switch
    {
        CaptureFormat.PcapNanoseconds => "pcap-ns",
        CaptureFormat.PcapNg => "pcapng",
        _ => "pcap",
    };

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
        if (enricher is not null)
        {
            json.WriteString("as_organization", origin.AsOrganization);
        }
    }

    /// <summary>The <c>carpet_bombing</c> and <c>spoofing</c> members of the JSON report.</summary>
    private static void WriteShape(Utf8JsonWriter json, TrafficSummary summary)
    {
        json.WriteStartArray("carpet_bombing");
        foreach (var carpet in summary.CarpetBombing)
        {
            json.WriteStartObject();
            json.WriteString("prefix", carpet.Prefix);
            json.WriteNumber("destinations", carpet.Destinations);
            json.WriteNumber("packets", carpet.Packets);
            json.WriteNumber("bytes", carpet.Bytes);
            json.WriteNumber("share", carpet.Share);
            json.WriteNumber("top_destination_share", carpet.TopDestinationShare);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        var spoofing = summary.Spoofing;
        json.WriteStartObject("spoofing");
        json.WriteBoolean("likely", spoofing.Likely);
        json.WriteNumber("flood_sources", spoofing.FloodSources);
        json.WriteNumber("few_packet_source_share", spoofing.FewPacketSourceShare);
        json.WriteNumber("ipv4_slash8_blocks", spoofing.Ipv4Slash8Count);
        json.WriteNumber("bogon_sources", spoofing.BogonSources);
        json.WriteNumber("bogon_packets", spoofing.BogonPackets);
        json.WriteNumber("ttl_spread_sources", spoofing.TtlSpreadSources);
        json.WriteStartArray("reasons");
        foreach (var reason in spoofing.Reasons)
        {
            json.WriteStringValue(reason);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

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

    private static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
