using System.Globalization;

namespace Ribat.Forensics.Pcap;

/// <summary>
/// Counts traffic from one or more captures into a <see cref="TrafficSummary"/>. Each packet costs a few additions
/// and two hash lookups, no allocation; captures may be fed in any order, since the series is kept by interval.
/// Tallies of several captures read apart can be merged (<see cref="Merge"/>, used by <see cref="CaptureSet"/>).
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
        : this(new TrafficSeries(interval))
    {
    }

    private TrafficTally(TrafficSeries series)
    {
        _series = series;
    }

    /// <summary>
    /// A tally whose series interval is a round step chosen from the captures' duration once they are read
    /// (<see cref="TrafficSeries.StepFor"/>): a sub-second burst gets enough points to show its shape.
    /// </summary>
    public static TrafficTally WithAutomaticInterval() => new(TrafficSeries.Automatic());

    /// <summary>Packets added so far.</summary>
    public long Packets => _packets;

    /// <summary>An empty tally with the same interval settings, for captures read apart and merged later.</summary>
    public TrafficTally NewPart()
    {
        var part = new TrafficTally(_series.IsAutomatic ? TrafficSeries.Automatic() : new TrafficSeries(_series.RequestedInterval));
        part._vectors.AwaitEarlierCaptures();
        return part;
    }

    /// <summary>Fixes where the series' interval 0 starts, before any packet: the first packet of the first capture.</summary>
    public void StartSeriesAt(long originTicks) => _series.StartAt(originTicks);

    /// <summary>
    /// Adds <paramref name="later"/>, a part (<see cref="NewPart"/>) holding captures that come after this tally's,
    /// started at the same series origin. The result is what reading those captures here, after these, would give;
    /// see <see cref="CaptureSet"/> for the two bounded tables where it can differ.
    /// </summary>
    public void Merge(TrafficTally later)
    {
        ArgumentNullException.ThrowIfNull(later);
        _packets += later._packets;
        _bytes += later._bytes;
        _firstTicks = Math.Min(_firstTicks, later._firstTicks);
        _lastTicks = Math.Max(_lastTicks, later._lastTicks);
        _series.Merge(later._series);
        _sources.Merge(later._sources);
        _destinations.Merge(later._destinations);
        _protocols.Merge(later._protocols);
        _vectors.Merge(later._vectors);
        for (var i = 0; i < _anomalies.Length; i++)
        {
            _anomalies[i] += later._anomalies[i];
        }

        _files.AddRange(later._files);
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
        var any = _packets > 0;
        var span = any ? TimeSpan.FromTicks(_lastTicks - _firstTicks).TotalSeconds : 0;

        // A capture shorter than one interval would have its rate averaged over time it does not cover (a 23 ms burst
        // of 4,373 packets is not 4,373 packets per second): it is measured over its own span instead, as capinfos does.
        var vectors = _vectors.ToVectors(_packets, _bytes);
        var interval = IntervalInUse();
        var series = interval == _series.Interval ? _series.ToList() : _series.ToList(interval);
        long peakPackets = 0, peakBytes = 0;
        foreach (var step in series)
        {
            peakPackets = Math.Max(peakPackets, step.Packets);
            peakBytes = Math.Max(peakBytes, step.Bytes);
        }

        var seconds = span > 0 && span < interval.TotalSeconds ? span : interval.TotalSeconds;
        return new TrafficSummary
        {
            Packets = _packets,
            Bytes = _bytes,
            FirstTimestamp = any ? new DateTimeOffset(_firstTicks, TimeSpan.Zero) : null,
            LastTimestamp = any ? new DateTimeOffset(_lastTicks, TimeSpan.Zero) : null,
            DurationSeconds = any ? TimeSpan.FromTicks(_lastTicks - _firstTicks).TotalSeconds : 0,
            Interval = interval,
            IntervalIsAutomatic = _series.IsAutomatic,
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
            Notes = Notes(interval),
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

    /// <summary>The interval asked for (or widened), or for an automatic series the step its span calls for.</summary>
    private TimeSpan IntervalInUse()
    {
        if (!_series.IsAutomatic)
        {
            return _series.Interval;
        }

        var chosen = TrafficSeries.StepFor(TimeSpan.FromTicks(_packets > 0 ? _lastTicks - _firstTicks : 0));
        return chosen >= _series.Interval ? chosen : _series.Interval;
    }

    private List<string> Notes(TimeSpan interval)
    {
        var notes = new List<string>();
        var wanted = _series.IsAutomatic ? TrafficSeries.StepFor(TimeSpan.FromTicks(_packets > 0 ? _lastTicks - _firstTicks : 0)) : _series.RequestedInterval;
        if (interval != wanted)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"the packets span more than {TrafficSeries.MaxIntervals:N0} intervals of {wanted.TotalSeconds:0.#######} s; the series uses {interval.TotalSeconds:0.#######} s intervals instead"));
        }

        if (_sources.IsLarge || _destinations.IsLarge)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{_sources.Count:N0} source and {_destinations.Count:N0} destination addresses were counted exactly, holding roughly {(_sources.Count + _destinations.Count) * 64L / (1024 * 1024)} MiB"));
        }

        notes.AddRange(_vectors.Notes());
        return notes;
    }
}
