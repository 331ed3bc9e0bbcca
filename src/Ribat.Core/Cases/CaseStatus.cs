using Ribat.Core.Common;

namespace Ribat.Core.Cases;

public enum CaseStatus
{
    Open,
    Active,
    Suspended,
    Closed,
}

/// <summary>
/// The case life cycle: open → active ⇄ suspended, and any of them → closed; a closed case is reopened to
/// active by its lead investigator (or an organisation administrator). Suspending, closing and reopening need a
/// reason. Anything else is refused with the moves that are allowed from where the case stands.
/// </summary>
public static class CaseStatusMachine
{
    private static readonly Dictionary<CaseStatus, CaseStatus[]> Moves = new()
    {
        [CaseStatus.Open] = [CaseStatus.Active, CaseStatus.Closed],
        [CaseStatus.Active] = [CaseStatus.Suspended, CaseStatus.Closed],
        [CaseStatus.Suspended] = [CaseStatus.Active, CaseStatus.Closed],
        [CaseStatus.Closed] = [CaseStatus.Active],
    };

    public static IReadOnlyList<CaseStatus> AllowedFrom(CaseStatus from) => Moves[from];

    public static string Spell(this CaseStatus status) => status.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out CaseStatus status) =>
        Enum.TryParse(text?.Trim(), ignoreCase: true, out status) && Enum.IsDefined(status) && !int.TryParse(text, out _);

    public static bool NeedsReason(CaseStatus from, CaseStatus to) => to is CaseStatus.Suspended or CaseStatus.Closed || from == CaseStatus.Closed;

    /// <summary>Null when the move is allowed for this actor; otherwise a conflict (or forbidden) naming what is.</summary>
    public static Error? Check(CaseStatus from, CaseStatus to, bool actorIsLeadOrAdmin, string? reason)
    {
        if (from == to)
        {
            return Error.Conflict($"The case is already {to.Spell()}.");
        }

        if (!Moves[from].Contains(to))
        {
            var allowed = string.Join(", ", Moves[from].Select(s => s.Spell()));
            return Error.Conflict($"A case cannot go from {from.Spell()} to {to.Spell()}; from {from.Spell()} it may go to: {allowed}.");
        }

        if (from == CaseStatus.Closed && !actorIsLeadOrAdmin)
        {
            return Error.Forbidden("Only the case's lead investigator or an organisation administrator reopens a closed case.");
        }

        return NeedsReason(from, to) && string.IsNullOrWhiteSpace(reason)
            ? Error.Validation("reason", $"Moving a case from {from.Spell()} to {to.Spell()} needs a reason.")
            : null;
    }
}
