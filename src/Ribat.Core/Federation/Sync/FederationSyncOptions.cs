namespace Ribat.Core.Federation.Sync;

/// <summary>How often the sync worker visits partners when nothing wakes it, and how it backs off a failing one.</summary>
public sealed class FederationSyncOptions
{
    /// <summary>Configuration key (seconds or a time span); <c>RIBAT_SYNC_INTERVAL</c> sets it from the environment.</summary>
    public const string IntervalKey = "Ribat:Federation:SyncInterval";

    /// <summary>Configuration key for the longest back-off; <c>RIBAT_SYNC_MAX_BACKOFF</c> sets it from the environment.</summary>
    public const string MaxBackoffKey = "Ribat:Federation:SyncMaxBackoff";

    /// <summary>Between visits to every partner when no local version wakes the worker sooner.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The first retry of a failing partner comes after one interval; each further failure doubles it up to this.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Objects per pulled page and per pushed envelope.</summary>
    public int PageSize { get; set; } = 500;

    /// <summary>Per request to a partner.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait before retry number <paramref name="failures"/>.</summary>
    public TimeSpan BackoffAfter(int failures)
    {
        var factor = Math.Pow(2, Math.Clamp(failures - 1, 0, 20));
        var wait = TimeSpan.FromTicks((long)Math.Min(Interval.Ticks * factor, MaxBackoff.Ticks));
        return wait < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : wait;
    }

    /// <summary>Reads "15" as seconds and "00:00:15" as a time span; anything else is null.</summary>
    public static TimeSpan? ParseDuration(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= 86_400)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero ? span : null;
    }
}
