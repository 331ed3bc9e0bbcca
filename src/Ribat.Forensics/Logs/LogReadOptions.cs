namespace Ribat.Forensics.Logs;

/// <summary>How text logs are read. The defaults suit logs taken from a live system.</summary>
public sealed record LogReadOptions
{
    /// <summary>A line (or CSV record) longer than this, in bytes, is skipped and counted; it is never held whole.</summary>
    public int MaxLineBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// The year an RFC 3164 log starts in (its lines carry none). When null, the year the file was last modified is
    /// the year it ends in, and lines of a later month than that belong to the year before.
    /// </summary>
    public int? SyslogYear { get; init; }

    /// <summary>The file's last modification time, used for <see cref="SyslogYear"/> when that is not given.</summary>
    public DateTimeOffset? Modified { get; init; }

    /// <summary>The zone of timestamps that carry no offset (RFC 3164 syslog, CSV and JSON local times). UTC when null.</summary>
    public TimeZoneInfo? LocalTimeZone { get; init; }

    /// <summary>Returns one line naming the first unusable value, or null.</summary>
    public string? Validate()
    {
        if (MaxLineBytes is < 256 or > 256 * 1024 * 1024)
        {
            return $"the line limit must be between 256 bytes and 256 MiB, not {MaxLineBytes}.";
        }

        if (SyslogYear is < 1970 or > 9998)
        {
            return $"the syslog year must be between 1970 and 9998, not {SyslogYear}.";
        }

        return null;
    }
}
