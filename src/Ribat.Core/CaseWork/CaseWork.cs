namespace Ribat.Core.CaseWork;

public enum CaseTaskStatus
{
    Open,
    InProgress,
    Done,
    Cancelled,
}

/// <summary>Work for one member of a case's team, with a due date. Only the case team of the owning organisation changes it.</summary>
public sealed class CaseTask
{
    public Guid Id { get; set; }

    public Guid CaseId { get; set; }

    public required string Title { get; set; }

    public string? Description { get; set; }

    /// <summary>The lead or a member of the case's team; nobody while unassigned.</summary>
    public Guid? AssigneeUserId { get; set; }

    public DateTimeOffset? DueAt { get; set; }

    public CaseTaskStatus Status { get; set; }

    public Guid CreatedBy { get; set; }

    public required string CreatedByName { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public Guid UpdatedBy { get; set; }

    public required string UpdatedByName { get; set; }

    /// <summary>Guards concurrent changes: a save based on an older read fails.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
}

/// <summary>
/// A note on a case. Its text lives in its revisions, numbered 1, 2, 3 …; an edit adds a revision and never
/// replaces one, and names the revision it was based on, so a second writer cannot silently overwrite the first.
/// </summary>
public sealed class CaseNote
{
    public Guid Id { get; set; }

    public Guid CaseId { get; set; }

    /// <summary>The number of the newest revision; also the concurrency token of an edit.</summary>
    public int Revision { get; set; }

    public Guid CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<CaseNoteRevision> Revisions { get; set; } = [];
}

/// <summary>One version of a note, as its author wrote it; kept for good.</summary>
public sealed class CaseNoteRevision
{
    public Guid NoteId { get; set; }

    public int Number { get; set; }

    public required string Title { get; set; }

    public required string Text { get; set; }

    public Guid AuthorUserId { get; set; }

    public required string AuthorName { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// An analyst's entry on a case's timeline: what happened when (<see cref="OccurredAt"/>), when it was written down
/// (<see cref="RecordedAt"/>), by whom, and where it was learnt. The timeline merges these with custody steps and findings.
/// </summary>
public sealed class CaseTimelineEntry
{
    public Guid Id { get; set; }

    public Guid CaseId { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    public Guid AuthorUserId { get; set; }

    public required string AuthorName { get; set; }

    /// <summary>Where the fact comes from (a witness statement, a provider's answer, a log file).</summary>
    public string? Source { get; set; }

    public required string Text { get; set; }
}

public static class CaseTaskStatuses
{
    public const string Choices = "open, in-progress, done, cancelled";

    private static readonly Dictionary<CaseTaskStatus, CaseTaskStatus[]> Moves = new()
    {
        [CaseTaskStatus.Open] = [CaseTaskStatus.InProgress, CaseTaskStatus.Done, CaseTaskStatus.Cancelled],
        [CaseTaskStatus.InProgress] = [CaseTaskStatus.Open, CaseTaskStatus.Done, CaseTaskStatus.Cancelled],
        [CaseTaskStatus.Done] = [CaseTaskStatus.InProgress],
        [CaseTaskStatus.Cancelled] = [CaseTaskStatus.Open],
    };

    public static string Spell(this CaseTaskStatus status) => status switch
    {
        CaseTaskStatus.InProgress => "in-progress",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static bool TryParse(string? text, out CaseTaskStatus status)
    {
        foreach (var candidate in Enum.GetValues<CaseTaskStatus>())
        {
            if (string.Equals(candidate.Spell(), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }

    public static IReadOnlyList<CaseTaskStatus> AllowedFrom(CaseTaskStatus from) => Moves[from];

    /// <summary>Null when the move is allowed; otherwise the conflict naming the moves that are.</summary>
    public static Common.Error? Check(CaseTaskStatus from, CaseTaskStatus to) =>
        from == to
            ? Common.Error.Conflict($"The task is already {to.Spell()}.")
            : Moves[from].Contains(to)
                ? null
                : Common.Error.Conflict($"A task cannot go from {from.Spell()} to {to.Spell()}; from {from.Spell()} it may go to: {string.Join(", ", Moves[from].Select(s => s.Spell()))}.");
}
