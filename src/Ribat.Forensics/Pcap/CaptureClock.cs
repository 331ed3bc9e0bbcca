namespace Ribat.Forensics.Pcap;

/// <summary>
/// Turns capture timestamps (whole units of 1/unitsPerSecond since the Unix epoch) into UTC ticks. The arithmetic is
/// done in 128 bits because a pcapng interface may count in units as fine as 2^-63 s.
/// </summary>
internal static class CaptureClock
{
    private static readonly long EpochTicks = DateTime.UnixEpoch.Ticks;
    private static readonly long MaxTicks = DateTime.MaxValue.Ticks;

    /// <summary>Ticks for <paramref name="units"/>; false (and clamped) when outside DateTimeOffset's range.</summary>
    public static bool TryToTicks(ulong units, ulong unitsPerSecond, long offsetSeconds, out long ticks)
    {
        var sinceEpoch = (UInt128)units * TimeSpan.TicksPerSecond / unitsPerSecond;
        var total = (Int128)sinceEpoch + EpochTicks + (Int128)offsetSeconds * TimeSpan.TicksPerSecond;
        if (total < 0)
        {
            ticks = 0;
            return false;
        }

        if (total > MaxTicks)
        {
            ticks = MaxTicks;
            return false;
        }

        ticks = (long)total;
        return true;
    }

    /// <summary>Classic pcap keeps seconds and a fraction apart; a fraction past one second is added as written.</summary>
    public static long ClassicTicks(uint seconds, uint fraction, ulong unitsPerSecond) =>
        EpochTicks + seconds * TimeSpan.TicksPerSecond + (long)((ulong)fraction * TimeSpan.TicksPerSecond / unitsPerSecond);

    /// <summary>if_tsresol: high bit clear means 10^-n seconds, set means 2^-n; null when no ulong can hold it.</summary>
    public static ulong? UnitsPerSecond(byte resolution)
    {
        var exponent = resolution & 0x7F;
        if ((resolution & 0x80) != 0)
        {
            return exponent <= 63 ? 1UL << exponent : null;
        }

        if (exponent > 19)
        {
            return null;
        }

        var units = 1UL;
        for (var i = 0; i < exponent; i++)
        {
            units *= 10;
        }

        return units;
    }
}
