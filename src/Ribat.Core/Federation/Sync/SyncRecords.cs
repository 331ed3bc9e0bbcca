namespace Ribat.Core.Federation.Sync;

/// <summary>
/// How far this node has pulled one partner collection: the <c>X-TAXII-Date-Added-Last</c> of the last page
/// stored, sent back as <c>added_after</c> on the next pull. Kept as the server wrote it, so no precision is lost.
/// </summary>
public sealed class SyncCursor
{
    public Guid PartnerId { get; set; }

    public required string CollectionId { get; set; }

    public required string AddedAfter { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public enum DeliveryDirection
{
    /// <summary>We pushed the object to the partner and its status reported it stored.</summary>
    Outbound,

    /// <summary>The partner's object was pulled or received and stored here.</summary>
    Inbound,
}

/// <summary>
/// One object version that crossed to or from a partner: the key of idempotent sync (partner, direction, STIX id,
/// <c>modified</c>) and the time from its creation on the origin node to its availability on the other.
/// </summary>
public sealed class Delivery
{
    public Guid Id { get; set; }

    public Guid PartnerId { get; set; }

    public DeliveryDirection Direction { get; set; }

    public required string StixId { get; set; }

    /// <summary>The version's <c>modified</c> as written in the object (RFC 3339, its own precision).</summary>
    public required string Modified { get; set; }

    /// <summary>When the version came into being on its origin node (its <c>modified</c>, or when it was recorded there).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When it became available on the receiving node.</summary>
    public DateTimeOffset DeliveredAt { get; set; }
}

public sealed record SyncCursorDto(string CollectionId, string AddedAfter, DateTimeOffset UpdatedAt);

/// <summary>Creation-to-availability latency over a partner's deliveries in one direction, in milliseconds.</summary>
public sealed record DeliveryLatency(string Direction, int Count, double? P50Milliseconds, double? P99Milliseconds, DateTimeOffset? LastDeliveredAt);

/// <summary>What the administrator sees of a partner's sync: cursors per collection, latency per direction, and the worker's state.</summary>
public sealed record PartnerSyncDto(Guid PartnerId, IReadOnlyList<SyncCursorDto> Cursors, IReadOnlyList<DeliveryLatency> Latency, PartnerSyncStatusDto? Status = null);

/// <summary>One object version to record as delivered.</summary>
public sealed record DeliveredObject(string StixId, string Modified, DateTimeOffset CreatedAt);
