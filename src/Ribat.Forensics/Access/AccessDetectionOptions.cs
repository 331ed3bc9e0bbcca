namespace Ribat.Forensics.Access;

/// <summary>What a first-seen origin is compared by.</summary>
public enum FirstSeenBy
{
    /// <summary>The source's country, from the enricher; the address itself without one.</summary>
    Country,

    /// <summary>The source's autonomous system, from the enricher; the address itself without one.</summary>
    Asn,

    /// <summary>The source address (or workstation name) itself.</summary>
    Address,
}

/// <summary>Thresholds of unauthorized-access detection. The defaults are starting points to tune per estate.</summary>
public sealed record AccessDetectionOptions
{
    /// <summary>Failures from one source within <see cref="BruteForceWindow"/> that make brute force.</summary>
    public int BruteForceFailures { get; init; } = 10;

    public TimeSpan BruteForceWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Distinct accounts failing from one source within <see cref="SprayWindow"/> that make password spraying.</summary>
    public int SprayAccounts { get; init; } = 5;

    public TimeSpan SprayWindow { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Failures for one account from one source, within <see cref="SuccessWindow"/> before a success, that make it suspect.</summary>
    public int FailuresBeforeSuccess { get; init; } = 5;

    public TimeSpan SuccessWindow { get; init; } = TimeSpan.FromMinutes(30);

    public FirstSeenBy FirstSeenBy { get; init; } = FirstSeenBy.Country;

    /// <summary>Working hours, in <see cref="TimeZone"/>: a logon before the start or at or after the end is unusual.</summary>
    public TimeOnly WorkdayStart { get; init; } = new(7, 0);

    public TimeOnly WorkdayEnd { get; init; } = new(19, 0);

    public IReadOnlySet<DayOfWeek> WorkingDays { get; init; } = new HashSet<DayOfWeek>
    {
        DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday,
    };

    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>Events named as evidence per finding; its count goes on past this.</summary>
    public int MaxEvidence { get; init; } = 50;

    /// <summary>Sources, accounts and source-account pairs tracked at once; past it, state older than the windows is dropped.</summary>
    public int MaxTrackedKeys { get; init; } = 100_000;

    /// <summary>Returns one line naming the first unusable value, or null.</summary>
    public string? Validate() =>
        BruteForceFailures < 2 ? "brute force needs at least 2 failures."
        : SprayAccounts < 2 ? "password spraying needs at least 2 accounts."
        : FailuresBeforeSuccess < 1 ? "success after failures needs at least 1 failure."
        : BruteForceWindow <= TimeSpan.Zero || SprayWindow <= TimeSpan.Zero || SuccessWindow <= TimeSpan.Zero ? "every window must be longer than zero."
        : BruteForceWindow > TimeSpan.FromDays(7) || SprayWindow > TimeSpan.FromDays(7) || SuccessWindow > TimeSpan.FromDays(7) ? "no window may be longer than 7 days."
        : WorkdayEnd <= WorkdayStart ? "the working day must end after it starts."
        : WorkingDays is null || TimeZone is null ? "working days and time zone must be given."
        : MaxEvidence is < 1 or > 10_000 ? "the evidence cap must be between 1 and 10,000."
        : MaxTrackedKeys is < 100 or > 10_000_000 ? "the tracked-key cap must be between 100 and 10,000,000."
        : null;
}
