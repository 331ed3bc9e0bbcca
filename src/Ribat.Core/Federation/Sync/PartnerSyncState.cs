namespace Ribat.Core.Federation.Sync;

/// <summary>
/// Where the sync worker stands with one partner: the partner's collection it exchanges with, how far local versions
/// have been considered for pushing, when it last pulled and pushed, and the last failure with its back-off.
/// Node-wide like the partner it belongs to; its query filter is set by the context.
/// </summary>
public sealed class PartnerSyncState
{
    public Guid PartnerId { get; set; }

    /// <summary>The partner's TAXII collection this node pulls from and pushes to, as its collections list named it.</summary>
    public string? RemoteCollectionId { get; set; }

    /// <summary>
    /// The <c>date_added</c> of the newest local version already considered for pushing (sent, or not eligible). Moves
    /// only once the partner has answered for what was sent, so nothing is skipped while it is offline.
    /// </summary>
    public DateTimeOffset? PushedThrough { get; set; }

    public DateTimeOffset? LastPullAt { get; set; }

    public DateTimeOffset? LastPushAt { get; set; }

    /// <summary>The last failure, as a sentence for the administrator (never a credential).</summary>
    public string? LastError { get; set; }

    public DateTimeOffset? LastErrorAt { get; set; }

    /// <summary>Failed rounds in a row; zero once a round succeeds.</summary>
    public int Failures { get; set; }

    /// <summary>With failures, the worker leaves the partner alone until then (exponential back-off).</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }
}

/// <summary>
/// A partner's sync state as its administrators see it: the last pull and push, the last error, whether the worker is
/// backing off, and how many local versions are still to be considered for pushing.
/// </summary>
public sealed record PartnerSyncStatusDto(
    string? RemoteCollectionId,
    DateTimeOffset? LastPullAt,
    DateTimeOffset? LastPushAt,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    int ConsecutiveFailures,
    DateTimeOffset? NextAttemptAt,
    int Queued);
