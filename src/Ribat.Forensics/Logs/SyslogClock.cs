namespace Ribat.Forensics.Logs;

/// <summary>
/// Gives RFC 3164 timestamps (month, day and time, no year, no zone) a year and a zone. With a start year given, a
/// step back of six months or more (December to January) moves to the next year. Otherwise the file ends in its
/// modification year, so a line of a later month than the modification belongs to the year before.
/// </summary>
internal sealed class SyslogClock(int? startYear, DateTimeOffset? modified, TimeZoneInfo? zone)
{
    private readonly TimeZoneInfo _zone = zone ?? TimeZoneInfo.Utc;
    private readonly DateTime _modifiedLocal = zone is null
        ? (modified ?? DateTimeOffset.UtcNow).UtcDateTime
        : TimeZoneInfo.ConvertTime(modified ?? DateTimeOffset.UtcNow, zone).DateTime;

    private int _year = startYear ?? 0;
    private int _lastMonth;

    public DateTimeOffset? Resolve(int month, int day, int hour, int minute, int second, int ticks)
    {
        int year;
        if (startYear is not null)
        {
            if (_lastMonth != 0 && month + 6 <= _lastMonth)
            {
                _year++;
            }

            _lastMonth = month;
            year = _year;
        }
        else
        {
            year = month > _modifiedLocal.Month ? _modifiedLocal.Year - 1 : _modifiedLocal.Year;
        }

        if (year is < 1 or > 9999 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return null;
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(ticks);
        return ToUtc(local, _zone);
    }

    /// <summary>A wall-clock time in <paramref name="zone"/> as UTC; a time skipped by a clock change is taken as standard time.</summary>
    public static DateTimeOffset ToUtc(DateTime local, TimeZoneInfo zone)
    {
        if (zone == TimeZoneInfo.Utc)
        {
            return new DateTimeOffset(local, TimeSpan.Zero);
        }

        var offset = zone.IsInvalidTime(local) ? zone.BaseUtcOffset : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
