namespace Ribat.Forensics.Pcap;

/// <summary>
/// Packets and bytes per interval, on a grid aligned to the first packet added. A packet earlier than that one (a
/// capture that is not in time order, or a later file that starts earlier) extends the grid backwards, so the series
/// never needs the packets sorted. Memory is bounded: when the packets span more than <see cref="MaxIntervals"/>
/// intervals the interval is doubled, merging neighbours, until they fit.
/// </summary>
public sealed class TrafficSeries
{
    /// <summary>Two longs per interval: 16 MB at most, whatever the capture's clock says.</summary>
    public const int MaxIntervals = 1_000_000;

    private const int InitialCapacity = 64;

    private long[] _packets = new long[InitialCapacity];
    private long[] _bytes = new long[InitialCapacity];

    // Interval index held in slot 0 of the arrays; indices are relative to the origin and may be negative.
    private long _first;
    private long _low;
    private long _high;
    private bool _started;

    public TrafficSeries(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval.Ticks, 1, nameof(interval));
        RequestedInterval = interval;
        Interval = interval;
    }

    public TimeSpan RequestedInterval { get; }

    /// <summary>The interval in use: <see cref="RequestedInterval"/>, or a power-of-two multiple of it after widening.</summary>
    public TimeSpan Interval { get; private set; }

    public bool IsWidened => Interval != RequestedInterval;

    /// <summary>The first packet's time, where interval 0 starts.</summary>
    public long OriginTicks { get; private set; }

    public int Count => _started ? (int)(_high - _low + 1) : 0;

    public void Add(long ticks, long bytes)
    {
        if (!_started)
        {
            _started = true;
            OriginTicks = ticks;
            _first = _low = _high = 0;
        }

        var index = IndexOf(ticks);
        while (!Reserve(index))
        {
            Widen();
            index = IndexOf(ticks);
        }

        var slot = (int)(index - _first);
        _packets[slot]++;
        _bytes[slot] += bytes;
    }

    /// <summary>Every interval from the earliest to the latest packet, empty ones as zeros.</summary>
    public IReadOnlyList<TrafficInterval> ToList()
    {
        var list = new TrafficInterval[Count];
        for (var i = 0; i < list.Length; i++)
        {
            var index = _low + i;
            var slot = (int)(index - _first);
            var start = new DateTimeOffset(OriginTicks + (index * Interval.Ticks), TimeSpan.Zero);
            list[i] = new TrafficInterval(start, _packets[slot], _bytes[slot]);
        }

        return list;
    }

    // Floor division: a packet before the origin belongs to a negative interval, not to interval 0.
    private long IndexOf(long ticks)
    {
        var offset = ticks - OriginTicks;
        var index = Math.DivRem(offset, Interval.Ticks, out var remainder);
        return remainder < 0 ? index - 1 : index;
    }

    /// <summary>Makes room for <paramref name="index"/>; false when that would exceed <see cref="MaxIntervals"/>.</summary>
    private bool Reserve(long index)
    {
        var low = Math.Min(_low, index);
        var high = Math.Max(_high, index);
        if (high - low + 1 > MaxIntervals)
        {
            return false;
        }

        if (index < _first || index >= _first + _packets.Length)
        {
            var span = high - low + 1;
            var capacity = (int)Math.Min(MaxIntervals, Math.Max(span, 2L * _packets.Length));
            // Leave the spare room on the side the series is growing towards.
            var first = index < _first ? high - capacity + 1 : low;
            Move(first, capacity);
        }

        _low = low;
        _high = high;
        return true;
    }

    private void Move(long first, int capacity)
    {
        var packets = new long[capacity];
        var bytes = new long[capacity];
        var count = (int)(_high - _low + 1);
        Array.Copy(_packets, _low - _first, packets, _low - first, count);
        Array.Copy(_bytes, _low - _first, bytes, _low - first, count);
        _packets = packets;
        _bytes = bytes;
        _first = first;
    }

    private void Widen()
    {
        Interval = TimeSpan.FromTicks(Interval.Ticks * 2);
        var low = FloorHalf(_low);
        var high = FloorHalf(_high);
        var packets = new long[_packets.Length];
        var bytes = new long[_bytes.Length];
        for (var index = _low; index <= _high; index++)
        {
            var from = (int)(index - _first);
            var to = (int)(FloorHalf(index) - low);
            packets[to] += _packets[from];
            bytes[to] += _bytes[from];
        }

        _packets = packets;
        _bytes = bytes;
        _first = _low = low;
        _high = high;
    }

    private static long FloorHalf(long index) => index >> 1;
}

/// <summary>One interval of a <see cref="TrafficSeries"/>.</summary>
public readonly record struct TrafficInterval(DateTimeOffset Start, long Packets, long Bytes);
