namespace Ribat.Forensics.Access;

public enum AccessFindingKind
{
    /// <summary>Many failed logons from one source in a short time.</summary>
    BruteForce,

    /// <summary>One source failing against many accounts: a few passwords tried everywhere.</summary>
    PasswordSpraying,

    /// <summary>A successful logon for an account right after a run of failures from the same source.</summary>
    SuccessAfterFailures,

    /// <summary>An account logging on from an origin (country, AS or address) it never used before in the logs read.</summary>
    FirstSeenSource,

    /// <summary>Logons outside working hours or days.</summary>
    UnusualHours,
}

/// <summary>An event a finding rests on: the file (archive member) and its record id (EVTX record, or line).</summary>
public readonly record struct AccessEvidence(string SourceFile, long RecordId);

/// <summary>
/// One suspicion of unauthorized access. <see cref="Account"/> is the account concerned (null for spraying, whose
/// accounts are in <see cref="Accounts"/>); <see cref="Source"/> the address or workstation the attempts came from
/// ("local@host" for su and sudo); <see cref="Count"/> the events behind it, of which at most the configured cap are
/// named in <see cref="Evidence"/>.
/// </summary>
public sealed record AccessFinding(
    AccessFindingKind Kind,
    string? Account,
    IReadOnlyList<string> Accounts,
    string Source,
    DateTimeOffset First,
    DateTimeOffset Last,
    long Count,
    string Detail,
    IReadOnlyList<AccessEvidence> Evidence);
