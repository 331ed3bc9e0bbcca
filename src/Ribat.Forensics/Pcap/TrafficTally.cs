using System.Globalization;

namespace Ribat.Forensics.Pcap;

/// <summary>
/// Counts traffic from one or more captures into a <see cref="TrafficSummary"/>. Each packet costs a few additions
/// and two hash lookups, no allocation; captures may be fed in any order, since the series is kept by interval.
/// </summary>
public sealed class TrafficTally
{
    public const int DefaultTop = 20;

    private readonly TrafficSeries _series;
    private readonly AddressTally _sources = new();
    private readonly AddressTally _destinations = new();
    private readonly TrafficProtocols _protocols = new();
    private readonly VectorClassifier _vectors = new();
    private readonly long[] _anomalies = new long[Enum.GetValues<CaptureAnomaly>().Length];
    private readonly List<CaptureFileTraffic> _files = [];
    private long _packets;
    private long _bytes;
    private long _firstTicks = long.MaxValue;
    private long _lastTicks = long.MinValue;

    public TrafficTally()
        : this(TimeSpan.FromSeconds(1))
    {
    }

    public TrafficTally(TimeSpan interval)
    {
        _series = new TrafficSeries(interval);
    }

    /// <summary>Reads every packet of <paramref name="reader"/> and adds it, with the reader's anomalies.</summary>
    public void Read(string name, CaptureReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        while (reader.TryRead(out var packet))
        {
            var decoded = PacketDecoder.Decode(packet);
            Add(packet.TimestampTicks, packet.OriginalLength, decoded, packet.Data.Span);
        }

        var anomalies = reader.Anomalies;
        for (var i = 0; i < _anomalies.Length; i++)
        {
            _anomalies[i] += anomalies[(CaptureAnomaly)i];
        }

        _files.Add(new CaptureFileTraffic(name, reader.Format, reader.PacketCount));
    }

    /// <summary>Adds one packet without its bytes: vectors that check payloads judge it by headers alone.</summary>
    public void Add(long timestampTicks, long originalLength, in DecodedPacket decoded) =>
        Add(timestampTicks, originalLength, decoded, []);

    /// <summary>Adds one packet; <paramref name="originalLength"/> is its length on the wire, <paramref name="data"/> its captured bytes.</summary>
    public void Add(long timestampTicks, long originalLength, in DecodedPacket decoded, ReadOnlySpan<byte> data)
    {
        _packets++;
        _bytes += originalLength;
        _firstTicks = Math.Min(_firstTicks, timestampTicks);
        _lastTicks = Math.Max(_lastTicks, timestampTicks);
        _series.Add(timestampTicks, originalLength);
        _protocols.Add(decoded, originalLength);
        _vectors.Add(decoded, data, originalLength);
        // The decoder sets an IP version only once it has read both addresses.
        if (decoded.Network is NetworkProtocol.IPv4 or NetworkProtocol.IPv6)
        {
            _sources.Add(decoded.Source, originalLength);
            _destinations.Add(decoded.Destination, originalLength);
        }
    }

    public TrafficSummary ToSummary(int top = DefaultTop)
    {
        var series = _series.ToList();
        long peakPackets = 0, peakBytes = 0;
        foreach (var interval in series)
        {
            peakPackets = Math.Max(peakPackets, interval.Packets);
            peakBytes = Math.Max(peakBytes, interval.Bytes);
        }

        var any = _packets > 0;
        var span = any ? TimeSpan.FromTicks(_lastTicks - _firstTicks).TotalSeconds : 0;

        // A capture shorter than one interval would have its rate averaged over time it does not cover (a 23 ms burst
        // of 4,373 packets is not 4,373 packets per second): it is measured over its own span instead, as capinfos does.
        var vectors = _vectors.ToVectors(_packets, _bytes);
        var seconds = span > 0 && span < _series.Interval.TotalSeconds ? span : _series.Interval.TotalSeconds;
        return new TrafficSummary
        {
            Packets = _packets,
            Bytes = _bytes,
            FirstTimestamp = any ? new DateTimeOffset(_firstTicks, TimeSpan.Zero) : null,
            LastTimestamp = any ? new DateTimeOffset(_lastTicks, TimeSpan.Zero) : null,
            DurationSeconds = any ? TimeSpan.FromTicks(_lastTicks - _firstTicks).TotalSeconds : 0,
            Interval = _series.Interval,
            Series = series,
            PeakPacketsPerSecond = peakPackets / seconds,
            PeakBitsPerSecond = peakBytes * 8 / seconds,
            TopSources = _sources.Top(top),
            TopDestinations = _destinations.Top(top),
            DistinctSources = _sources.Count,
            DistinctDestinations = _destinations.Count,
            Protocols = _protocols,
            Vectors = vectors,
            Reflectors = _vectors.ToReflectors(vectors, top),
            CarpetBombing = AttackShape.CarpetBombing(_destinations, _bytes),
            Spoofing = AttackShape.Spoofing(_vectors),
            Anomalies = Anomalies(),
            Files = [.. _files],
            Notes = Notes(),
        };
    }

    private List<CaptureAnomalyCount> Anomalies()
    {
        var seen = new List<CaptureAnomalyCount>();
        for (var i = 0; i < _anomalies.Length; i++)
        {
            if (_anomalies[i] > 0)
            {
                var kind = (CaptureAnomaly)i;
                seen.Add(new CaptureAnomalyCount(kind, _anomalies[i], CaptureAnomalies.Reason(kind)));
            }
        }

        return seen;
    }

    private List<string> Notes()
    {
        var notes = new List<string>();
        if (_series.IsWidened)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"the packets span more than {TrafficSeries.MaxIntervals:N0} intervals of {_series.RequestedInterval.TotalSeconds:0.#######} s; the series uses {_series.Interval.TotalSeconds:0.#######} s intervals instead"));
        }

        if (_sources.IsLarge || _destinations.IsLarge)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{_sources.Count:N0} source and {_destinations.Count:N0} destination addresses were counted exactly, holding roughly {(_sources.Count + _destinations.Count) * 64L / (1024 * 1024)} MiB"));
        }

        notes.AddRange(_vectors.Notes());
        return notes;
    }
}
