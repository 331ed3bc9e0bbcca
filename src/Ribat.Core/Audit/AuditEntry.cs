namespace Ribat.Core.Audit;

/// <summary>
/// One row of the append-only audit log. <see cref="Sequence"/> and the two hashes are assigned when the
/// row is saved (see <c>RibatDbContext</c>), inside the transaction of the change it records.
/// </summary>
public sealed class AuditEntry
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>1, 2, 3, … with no gaps: a missing number is a removed row.</summary>
    public long Sequence { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public int Code { get; set; }

    public required string Event { get; set; }

    public Guid? OrganisationId { get; set; }

    public Guid? ActorUserId { get; set; }

    public required string ActorName { get; set; }

    public string? TargetType { get; set; }

    public string? TargetId { get; set; }

    /// <summary>A small JSON object with ids and changed field names; never personal data or secrets.</summary>
    public string? Details { get; set; }

    public string? Address { get; set; }

    public string PreviousHash { get; set; } = string.Empty;

    public string Hash { get; set; } = string.Empty;
}
