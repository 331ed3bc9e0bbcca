using System.Globalization;

namespace Ribat.Forensics.Logs;

/// <summary>Timestamps as logs write them, turned into UTC. Text without an offset is read in the given zone.</summary>
internal static class LogTimestamps
{
    private static readonly string[] MonthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>ISO 8601 / RFC 3339 and the other forms .NET reads invariantly (e.g. "2024-01-05 10:00:00").</summary>
    public static bool TryParseText(ReadOnlySpan<char> text, TimeZoneInfo? zone, out DateTimeOffset utc)
    {
        utc = default;
        text = text.Trim();
        if (text.Length is < 8 or > 64 || !char.IsAsciiDigit(text[0]))
        {
            return false;
        }

        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AllowWhiteSpaces, out var parsed))
        {
            return false;
        }

        utc = parsed.Kind == DateTimeKind.Unspecified
            ? SyslogClock.ToUtc(parsed, zone ?? TimeZoneInfo.Utc)
            : new DateTimeOffset(DateTime.SpecifyKind(parsed, DateTimeKind.Utc));
        return true;
    }

    /// <summary>
    /// Seconds (or milliseconds, or microseconds, told apart by size) since 1970, as Zeek's <c>ts</c> and many JSON logs
    /// write them.
    /// </summary>
    public static bool TryParseEpoch(double value, out DateTimeOffset utc)
    {
        utc = default;
        if (double.IsNaN(value) || value <= 0)
        {
            return false;
        }

        var seconds = value switch
        {
            > 1e14 => value / 1e6,
            > 1e11 => value / 1e3,
            _ => value,
        };
        if (seconds > 253_402_300_799)
        {
            return false;
        }

        utc = DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
        return true;
    }

    /// <summary>The 1-based month of a three-letter English abbreviation, or 0.</summary>
    public static int Month(ReadOnlySpan<char> name)
    {
        if (name.Length != 3)
        {
            return 0;
        }

        for (var i = 0; i < MonthNames.Length; i++)
        {
            if (name.Equals(MonthNames[i], StringComparison.OrdinalIgnoreCase))
            {
                return i + 1;
            }
        }

        return 0;
    }

    /// <summary>Two ASCII digits at <paramref name="at"/>, or -1.</summary>
    public static int Digits2(ReadOnlySpan<char> text, int at) =>
        at + 1 < text.Length && char.IsAsciiDigit(text[at]) && char.IsAsciiDigit(text[at + 1]) ? ((text[at] - '0') * 10) + text[at + 1] - '0' : -1;
}
