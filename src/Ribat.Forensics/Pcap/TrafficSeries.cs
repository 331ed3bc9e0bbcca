namespace Ribat.Forensics.Pcap;

/// <summary>
/// Packets and bytes per interval, on a grid aligned to the first packet added. A packet earlier than that one (a
/// capture that is not in time order, or a later file that starts earlier) extends the grid backwards, so the series
/// never needs the packets sorted. Memory is bounded: when the packets span more than <see cref="MaxIntervals"/>
/// intervals the interval is doubled, merging neighbours, until they fit. An automatic series
/// (<see cref="Automatic"/>) starts at the finest step of <see cref="Steps"/> and moves up that ladder instead, so
/// any step a report may settle on once the capture's duration is known is a whole multiple of the one held.
/// </summary>
public sealed class TrafficSeries
{
    /// <summary>Two longs per interval: 16 MB at most, whatever the capture's clock says.</summary>
    public const int MaxIntervals = 1_000_000;

    private const int InitialCapacity = 64;

    /// <summary>
    /// The round steps an automatic series may use, each a whole multiple of the one before: 1, 10 and 100 µs, 1, 10
    /// and 100 ms, 1 and 10 s, 1 and 10 min, 1 h. Past the last the interval doubles, as for a fixed one.
    /// </summary>
    public static IReadOnlyList<TimeSpan> Steps { get; } =
    [
        TimeSpan.FromTicks(10), TimeSpan.FromTicks(100), TimeSpan.FromTicks(1_000), TimeSpan.FromMilliseconds(1),
        TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10),
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1),
    ];

    private long[] _packets = new long[InitialCapacity];
    private long[] _bytes = new long[InitialCapacity];

    // Interval index held in slot 0 of the arrays; indices are relative to the origin and may be negative.
    private long _first;
    private long _low;
    private long _high;
    private bool _started;

    // Started at a given origin but no packet added yet: the range [_low, _high] means nothing until the first.
    private bool _empty;

    public TrafficSeries(TimeSpan interval)
        : this(interval, automatic: false)
    {
    }

    private TrafficSeries(TimeSpan interval, bool automatic)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval.Ticks, 1, nameof(interval));
        RequestedInterval = interval;
        Interval = interval;
        IsAutomatic = automatic;
    }

    /// <summary>A series whose interval is chosen from the packets' span when it is read (<see cref="StepFor"/>).</summary>
    public static TrafficSeries Automatic() => new(Steps[0], automatic: true);

    /// <summary>Whether the interval is left to <see cref="StepFor"/> rather than asked for.</summary>
    public bool IsAutomatic { get; }

    public TimeSpan RequestedInterval { get; }

    /// <summary>The interval in use: <see cref="RequestedInterval"/>, or a power-of-two multiple of it after widening.</summary>
    public TimeSpan Interval { get; private set; }

    public bool IsWidened => Interval != RequestedInterval;

    /// <summary>The first packet's time, where interval 0 starts.</summary>
    public long OriginTicks { get; private set; }

    public int Count => _started && !_empty ? (int)(_high - _low + 1) : 0;

    /// <summary>
    /// The round step for packets spanning <paramref name="duration"/>: below 50 s the coarsest step under a second
    /// that still gives 50 intervals (a 0.4 s burst gets 1 ms, about 400 points); from 50 s the finest step of a second
    /// or more that gives at most 3,600, which keeps 1 s for captures of up to an hour.
    /// </summary>
    public static TimeSpan StepFor(TimeSpan duration)
    {
        const int MinPoints = 50;
        const int MaxPoints = 3_600;
        var second = TimeSpan.FromSeconds(1);
        if (duration.Ticks <= 0)
        {
            return second;
        }

        if (duration.Ticks < MinPoints * second.Ticks)
        {
            var step = Steps[0];
            foreach (var candidate in Steps)
            {
                if (candidate < second && duration.Ticks >= MinPoints * candidate.Ticks)
                {
                    step = candidate;
                }
            }

            return step;
        }

        foreach (var candidate in Steps)
        {
            if (candidate >= second && duration.Ticks <= MaxPoints * candidate.Ticks)
            {
                return candidate;
            }
        }

        return Steps[^1];
    }

    /// <summary>Sets where interval 0 starts before any packet is added, so series of several captures line up.</summary>
    public void StartAt(long originTicks)
    {
        if (_started)
        {
            throw new InvalidOperationException("The series has packets already; its origin is set.");
        }

        _started = true;
        OriginTicks = originTicks;
        _first = _low = _high = 0;
        _empty = true;
    }

    public void Add(long ticks, long bytes) => Add(ticks, 1, bytes);

    /// <summary>
    /// Adds the intervals of <paramref name="other"/>, a series of later captures started at the same origin with the
    /// same settings, as if its packets had been added here: the interval ends where adding them one by one would.
    /// </summary>
    public void Merge(TrafficSeries other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.IsAutomatic != IsAutomatic || other.RequestedInterval != RequestedInterval)
        {
            throw new ArgumentException("Only series with the same interval settings can be merged.", nameof(other));
        }

        if (!other._started || other._empty)
        {
            return;
        }

        if (!_started)
        {
            StartAt(other.OriginTicks);
        }
        else if (other.OriginTicks != OriginTicks)
        {
            throw new ArgumentException("Only series started at the same origin can be merged.", nameof(other));
        }

        // Both moved along the same ladder from the same start, so the coarser interval is a multiple of the finer.
        while (Interval < other.Interval)
        {
            Widen();
        }

        for (var index = other._low; index <= other._high; index++)
        {
            var slot = (int)(index - other._first);
            if (other._packets[slot] != 0)
            {
                Add(other.OriginTicks + (index * other.Interval.Ticks), other._packets[slot], other._bytes[slot]);
            }
        }
    }

    /// <summary>Every interval from the earliest to the latest packet, empty ones as zeros.</summary>
    public IReadOnlyList<TrafficInterval> ToList() => ToList(Interval);

    /// <summary>
    /// The series in intervals of <paramref name="interval"/>, a whole multiple of <see cref="Interval"/> on the same
    /// grid: what a series asked for that interval from the start would hold.
    /// </summary>
    public IReadOnlyList<TrafficInterval> ToList(TimeSpan interval)
    {
        if (interval.Ticks % Interval.Ticks != 0)
        {
            throw new ArgumentException($"{interval} is not a whole multiple of the series' interval {Interval}.", nameof(interval));
        }

        if (Count == 0)
        {
            return [];
        }

        var factor = interval.Ticks / Interval.Ticks;
        var low = FloorDiv(_low, factor);
        var list = new TrafficInterval[FloorDiv(_high, factor) - low + 1];
        for (var i = 0; i < list.Length; i++)
        {
            list[i] = new TrafficInterval(new DateTimeOffset(OriginTicks + ((low + i) * interval.Ticks), TimeSpan.Zero), 0, 0);
        }

        for (var index = _low; index <= _high; index++)
        {
            var slot = (int)(index - _first);
            ref var target = ref list[FloorDiv(index, factor) - low];
            target = target with { Packets = target.Packets + _packets[slot], Bytes = target.Bytes + _bytes[slot] };
        }

        return list;
    }

    private void Add(long ticks, long packets, long bytes)
    {
        if (!_started)
        {
            _started = true;
            OriginTicks = ticks;
            _first = _low = _high = 0;
        }
        else if (_empty)
        {
            // Started at a given origin: the first packet fixes the range, whichever side of the origin it falls.
            _empty = false;
            _first = _low = _high = IndexOf(ticks);
        }

        _empty = false;
        var index = IndexOf(ticks);
        while (!Reserve(index))
        {
            Widen();
            index = IndexOf(ticks);
        }

        var slot = (int)(index - _first);
        _packets[slot] += packets;
        _bytes[slot] += bytes;
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
        var factor = NextFactor();
        Interval = TimeSpan.FromTicks(Interval.Ticks * factor);
        if (!_started || _empty)
        {
            return;
        }

        var low = FloorDiv(_low, factor);
        var high = FloorDiv(_high, factor);
        var capacity = (int)Math.Min(MaxIntervals, Math.Max(InitialCapacity, 2 * (high - low + 1)));
        var packets = new long[Math.Max(capacity, (int)(high - low + 1))];
        var bytes = new long[packets.Length];
        for (var index = _low; index <= _high; index++)
        {
            var from = (int)(index - _first);
            var to = (int)(FloorDiv(index, factor) - low);
            packets[to] += _packets[from];
            bytes[to] += _bytes[from];
        }

        _packets = packets;
        _bytes = bytes;
        _first = _low = low;
        _high = high;
    }

    /// <summary>Up the ladder of round steps while on it (automatic series), otherwise doubling.</summary>
    private long NextFactor()
    {
        if (IsAutomatic)
        {
            for (var i = 0; i < Steps.Count - 1; i++)
            {
                if (Steps[i] == Interval)
                {
                    return Steps[i + 1].Ticks / Steps[i].Ticks;
                }
            }
        }

        return 2;
    }

    private static long FloorDiv(long index, long factor)
    {
        var quotient = Math.DivRem(index, factor, out var remainder);
        return remainder < 0 ? quotient - 1 : quotient;
    }
}

/// <summary>One interval of a <see cref="TrafficSeries"/>.</summary>
public readonly record struct TrafficInterval(DateTimeOffset Start, long Packets, long Bytes);
