using Ribat.Core.Common;

namespace Ribat.Core.Incidents;

public enum IncidentStatus
{
    Reported,
    Triage,
    Confirmed,
    Containment,
    Eradication,
    Recovery,
    Closed,
    Rejected,
    Merged,
}

/// <summary>
/// The incident life cycle: reported → triage → confirmed → containment → eradication → recovery → closed, one
/// stage at a time (eradication may be skipped when containment also removed the cause). Until it is confirmed an
/// incident may be rejected (a false alarm); until it is closed it may be merged into another incident, which ends
/// it for good. A closed incident is reopened to recovery and a rejected one to triage. Rejecting, merging and
/// reopening need a reason. Anything else is refused with the moves allowed from where the incident stands.
/// </summary>
public static class IncidentStatusMachine
{
    private static readonly Dictionary<IncidentStatus, IncidentStatus[]> Moves = new()
    {
        [IncidentStatus.Reported] = [IncidentStatus.Triage, IncidentStatus.Rejected, IncidentStatus.Merged],
        [IncidentStatus.Triage] = [IncidentStatus.Confirmed, IncidentStatus.Rejected, IncidentStatus.Merged],
        [IncidentStatus.Confirmed] = [IncidentStatus.Containment, IncidentStatus.Merged],
        [IncidentStatus.Containment] = [IncidentStatus.Eradication, IncidentStatus.Recovery, IncidentStatus.Merged],
        [IncidentStatus.Eradication] = [IncidentStatus.Recovery, IncidentStatus.Merged],
        [IncidentStatus.Recovery] = [IncidentStatus.Closed, IncidentStatus.Merged],
        [IncidentStatus.Closed] = [IncidentStatus.Recovery],
        [IncidentStatus.Rejected] = [IncidentStatus.Triage],
        [IncidentStatus.Merged] = [],
    };

    public static IReadOnlyList<IncidentStatus> AllowedFrom(IncidentStatus from) => Moves[from];

    public static string Spell(this IncidentStatus status) => status.ToString().ToLowerInvariant();

    public static string Choices => string.Join(", ", Enum.GetValues<IncidentStatus>().Select(Spell));

    /// <summary>Still being worked: neither closed, rejected nor merged.</summary>
    public static bool IsOpen(IncidentStatus status) => status is not (IncidentStatus.Closed or IncidentStatus.Rejected or IncidentStatus.Merged);

    public static bool TryParse(string? text, out IncidentStatus status)
    {
        status = default;
        var name = text?.Trim();
        return Enum.GetNames<IncidentStatus>().FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) is { } match
            && Enum.TryParse(match, out status);
    }

    public static bool NeedsReason(IncidentStatus from, IncidentStatus to) =>
        to is IncidentStatus.Rejected or IncidentStatus.Merged || from is IncidentStatus.Closed or IncidentStatus.Rejected;

    /// <summary>Null when the move is allowed; otherwise a conflict naming the allowed moves, or the missing field.</summary>
    public static Error? Check(IncidentStatus from, IncidentStatus to, string? reason, Guid? mergeInto)
    {
        if (from == to)
        {
            return Error.Conflict($"The incident is already {to.Spell()}.");
        }

        if (!Moves[from].Contains(to))
        {
            var allowed = Moves[from].Length == 0 ? "nothing (merged is final)" : string.Join(", ", Moves[from].Select(s => s.Spell()));
            return Error.Conflict($"An incident cannot go from {from.Spell()} to {to.Spell()}; from {from.Spell()} it may go to: {allowed}.");
        }

        if (to == IncidentStatus.Merged && mergeInto is null)
        {
            return Error.Validation("mergeInto", "Merging names the incident this one is merged into.");
        }

        if (to != IncidentStatus.Merged && mergeInto is not null)
        {
            return Error.Validation("mergeInto", "Only a move to merged names another incident.");
        }

        return NeedsReason(from, to) && string.IsNullOrWhiteSpace(reason)
            ? Error.Validation("reason", $"Moving an incident from {from.Spell()} to {to.Spell()} needs a reason.")
            : null;
    }
}
