namespace Ribat.Core.Evidence;

/// <summary>
/// One step of an item's chain of custody, append-only: entries are numbered 1, 2, 3 … per item, and each stores
/// the previous entry's hash and its own (<see cref="CustodyChain"/>). <see cref="VerifiedSha256"/> is the stored
/// file's SHA-256 as re-computed when the step was recorded.
/// </summary>
public sealed class CustodyEntry
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid EvidenceId { get; set; }

    public int Sequence { get; set; }

    public CustodyAction Action { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public Guid? ActorUserId { get; set; }

    public required string ActorName { get; set; }

    public Guid? FromUserId { get; set; }

    public Guid? ToUserId { get; set; }

    public string? SealNumber { get; set; }

    public string? Notes { get; set; }

    public required string VerifiedSha256 { get; set; }

    /// <summary>On the acquisition entry: the digest of the acquisition record and file hashes.</summary>
    public string? AcquisitionDigest { get; set; }

    public string PreviousHash { get; set; } = string.Empty;

    public string Hash { get; set; } = string.Empty;
}

/// <summary>What happened to the item. <see cref="Receive"/> is the receiver's acknowledgement of a <see cref="Transfer"/>.</summary>
public enum CustodyAction
{
    Acquire,
    Seal,
    Transfer,
    Receive,
    Access,
    Copy,
    Analyse,
    Export,
    Return,
    Dispose,
}

public static class CustodyActions
{
    public static string Spell(this CustodyAction action) => action.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out CustodyAction action) =>
        Enum.TryParse(text?.Trim(), ignoreCase: true, out action) && Enum.IsDefined(action) && !int.TryParse(text, out _);
}
