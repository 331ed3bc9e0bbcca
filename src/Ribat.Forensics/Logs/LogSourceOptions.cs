namespace Ribat.Forensics.Logs;

/// <summary>Limits on what <see cref="LogSources"/> unpacks, so a hostile archive costs bounded memory and time.</summary>
public sealed record LogSourceOptions
{
    /// <summary>Bytes one top-level archive may expand to, all its members and nested archives together.</summary>
    public long MaxExpandedBytes { get; init; } = 8L * 1024 * 1024 * 1024;

    /// <summary>Expanded bytes per compressed byte a member may reach (past its first MiB); logs compress 10–30 to 1.</summary>
    public int MaxRatio { get; init; } = 250;

    /// <summary>Levels of archives opened: 1 opens an archive the user names but none inside it; 0 opens none.</summary>
    public int MaxDepth { get; init; } = 3;

    /// <summary>A zip inside another archive is read into memory to be opened: this caps it.</summary>
    public long MaxNestedArchiveBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Returns one line naming the first unusable value, or null.</summary>
    public string? Validate() =>
        MaxExpandedBytes < 1024 ? "the expansion cap must be at least 1 KiB."
        : MaxRatio < 2 ? "the expansion ratio must be at least 2."
        : MaxDepth is < 0 or > 16 ? "the archive depth must be between 0 and 16."
        : MaxNestedArchiveBytes is < 1024 or > int.MaxValue ? "the nested archive cap must be between 1 KiB and 2 GiB."
        : null;
}

/// <summary>A file or archive member that could not be read, or an archive cut short, and why.</summary>
public sealed record LogSourceProblem(string Name, string Reason);

/// <summary>
/// One log to read: its name as the user would recognise it (<c>logs.zip!var/log/auth.log</c>), its content and when
/// it was last written. The stream is open until the enumeration moves on.
/// </summary>
public sealed record LogInput(string Name, Stream Content, DateTimeOffset? Modified);
