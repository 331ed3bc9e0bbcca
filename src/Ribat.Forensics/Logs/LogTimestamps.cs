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

        if (TryParseIso(text, zone, out utc))
        {
            return true;
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
    /// The common RFC 3339 shape, "yyyy-MM-ddTHH:mm:ss[.f…][Z|±hh:mm]" (a space for the T too), read by hand: most
    /// JSON and syslog lines carry one, and the general parser costs several times more per line.
    /// </summary>
    private static bool TryParseIso(ReadOnlySpan<char> s, TimeZoneInfo? zone, out DateTimeOffset utc)
    {
        utc = default;
        if (s.Length < 19 || s[4] != '-' || s[7] != '-' || s[10] is not ('T' or 't' or ' ') || s[13] != ':' || s[16] != ':')
        {
            return false;
        }

        var year = (Digits2(s, 0) * 100) + Digits2(s, 2);
        int month = Digits2(s, 5), day = Digits2(s, 8), hour = Digits2(s, 11), minute = Digits2(s, 14), second = Digits2(s, 17);
        if (Digits2(s, 0) < 0 || Digits2(s, 2) < 0 || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour is < 0 or > 23 || minute is < 0 or > 59 || second is < 0 or > 59)
        {
            return false;
        }

        var at = 19;
        long ticks = 0;
        if (at < s.Length && s[at] == '.')
        {
            var scale = TimeSpan.TicksPerSecond;
            for (at++; at < s.Length && char.IsAsciiDigit(s[at]); at++)
            {
                scale /= 10;
                ticks += (s[at] - '0') * scale;
            }
        }

        var local = new DateTime(year, month, day, hour, minute, second).AddTicks(ticks);
        if (at == s.Length)
        {
            utc = SyslogClock.ToUtc(local, zone ?? TimeZoneInfo.Utc);
            return true;
        }

        if (s[at] is 'Z' or 'z' && at + 1 == s.Length)
        {
            utc = new DateTimeOffset(local, TimeSpan.Zero);
            return true;
        }

        if (s.Length - at != 6 || s[at] is not ('+' or '-') || s[at + 3] != ':')
        {
            return false;
        }

        int offsetHours = Digits2(s, at + 1), offsetMinutes = Digits2(s, at + 4);
        if (offsetHours is < 0 or > 14 || offsetMinutes is < 0 or > 59)
        {
            return false;
        }

        var offset = new TimeSpan(offsetHours, offsetMinutes, 0) * (s[at] == '-' ? -1 : 1);
        utc = new DateTimeOffset(local, offset).ToUniversalTime();
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
