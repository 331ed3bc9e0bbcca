namespace Ribat.Web.Components.Shared;

/// <summary>
/// Date pickers give whole days; the store keeps instants in UTC. A picked day is that day's start in UTC, and
/// an untouched picker leaves a stored instant as it was rather than truncating it to midnight.
/// </summary>
public static class PickedDates
{
    public static DateTime? ToPicker(DateTimeOffset? value) => value?.UtcDateTime.Date;

    public static DateTimeOffset? ToUtc(DateTime? picked) => picked is { } day ? new DateTimeOffset(day.Date, TimeSpan.Zero) : null;

    /// <summary>The picked day when the user changed it, else null ("keep what is stored").</summary>
    public static DateTimeOffset? IfChanged(DateTime? picked, DateTimeOffset? stored) =>
        picked?.Date == ToPicker(stored) ? null : ToUtc(picked);

    /// <summary>The stored instant when the picker still shows its day, else the picked day (null when cleared).</summary>
    public static DateTimeOffset? Merge(DateTime? picked, DateTimeOffset? stored) =>
        picked?.Date == ToPicker(stored) ? stored : ToUtc(picked);
}
