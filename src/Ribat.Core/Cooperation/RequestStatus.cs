using Ribat.Core.Common;

namespace Ribat.Core.Cooperation;

public enum RequestStatus
{
    Draft,
    Sent,
    Acknowledged,
    InProgress,
    Answered,
    PartiallyAnswered,
    Refused,
    Closed,
    Withdrawn,
}

/// <summary>Which side of a request acts: the requesting organisation or the addressed one.</summary>
public enum RequestParty
{
    Requester,
    Addressee,
}

/// <summary>
/// The request life cycle: draft → sent → acknowledged → in progress → answered | partially answered | refused →
/// closed, and withdrawn from any open state by the requester. Each move belongs to one party; refusing and
/// withdrawing need a reason. Anything else is refused with the moves allowed from where the request stands.
/// </summary>
public static class RequestStatusMachine
{
    private static readonly (RequestStatus From, RequestStatus To, RequestParty By)[] Moves =
    [
        (RequestStatus.Draft, RequestStatus.Sent, RequestParty.Requester),
        (RequestStatus.Sent, RequestStatus.Acknowledged, RequestParty.Addressee),
        (RequestStatus.Sent, RequestStatus.Refused, RequestParty.Addressee),
        (RequestStatus.Sent, RequestStatus.Withdrawn, RequestParty.Requester),
        (RequestStatus.Acknowledged, RequestStatus.InProgress, RequestParty.Addressee),
        (RequestStatus.Acknowledged, RequestStatus.Answered, RequestParty.Addressee),
        (RequestStatus.Acknowledged, RequestStatus.PartiallyAnswered, RequestParty.Addressee),
        (RequestStatus.Acknowledged, RequestStatus.Refused, RequestParty.Addressee),
        (RequestStatus.Acknowledged, RequestStatus.Withdrawn, RequestParty.Requester),
        (RequestStatus.InProgress, RequestStatus.Answered, RequestParty.Addressee),
        (RequestStatus.InProgress, RequestStatus.PartiallyAnswered, RequestParty.Addressee),
        (RequestStatus.InProgress, RequestStatus.Refused, RequestParty.Addressee),
        (RequestStatus.InProgress, RequestStatus.Withdrawn, RequestParty.Requester),
        (RequestStatus.PartiallyAnswered, RequestStatus.Answered, RequestParty.Addressee),
        (RequestStatus.PartiallyAnswered, RequestStatus.Closed, RequestParty.Requester),
        (RequestStatus.Answered, RequestStatus.Closed, RequestParty.Requester),
        (RequestStatus.Refused, RequestStatus.Closed, RequestParty.Requester),
    ];

    public static string Spell(this RequestStatus status) => status switch
    {
        RequestStatus.InProgress => "in-progress",
        RequestStatus.PartiallyAnswered => "partially-answered",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static bool TryParse(string? text, out RequestStatus status) => Spellings.TryParse(text, Spell, out status);

    public static string Choices => string.Join(", ", Enum.GetValues<RequestStatus>().Select(s => s.Spell()));

    /// <summary>Still running: sent and not yet closed or withdrawn.</summary>
    public static bool IsOpen(RequestStatus status) => status is not (RequestStatus.Draft or RequestStatus.Closed or RequestStatus.Withdrawn);

    public static bool IsAnswer(RequestStatus status) => status is RequestStatus.Answered or RequestStatus.PartiallyAnswered or RequestStatus.Refused;

    public static IReadOnlyList<RequestStatus> AllowedFrom(RequestStatus from, RequestParty by) =>
        Moves.Where(m => m.From == from && m.By == by).Select(m => m.To).ToList();

    public static bool NeedsReason(RequestStatus to) => to is RequestStatus.Refused or RequestStatus.Withdrawn;

    /// <summary>Null when <paramref name="by"/> may make the move; otherwise a conflict or forbidden naming what is allowed.</summary>
    public static Error? Check(RequestStatus from, RequestStatus to, RequestParty by, string? reason)
    {
        if (from == to)
        {
            return Error.Conflict($"The request is already {to.Spell()}.");
        }

        var move = Moves.Where(m => m.From == from && m.To == to).ToList();
        if (move.Count == 0)
        {
            var any = Moves.Where(m => m.From == from).Select(m => m.To.Spell()).ToList();
            var allowed = any.Count == 0 ? "nowhere: it is finished" : string.Join(", ", any);
            return Error.Conflict($"A request cannot go from {from.Spell()} to {to.Spell()}; from {from.Spell()} it may go to {allowed}.");
        }

        if (move[0].By != by)
        {
            return move[0].By == RequestParty.Addressee
                ? Error.Forbidden($"Only the organisation the request is addressed to moves it to {to.Spell()}.")
                : Error.Forbidden($"Only the requesting organisation moves a request to {to.Spell()}.");
        }

        return NeedsReason(to) && string.IsNullOrWhiteSpace(reason)
            ? Error.Validation("reason", $"Moving a request to {to.Spell()} needs a reason.")
            : null;
    }
}
