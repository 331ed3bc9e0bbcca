namespace Ribat.Core.Cooperation;

public enum ClockKind
{
    /// <summary>The addressed organisation acknowledges receipt.</summary>
    Acknowledgement,

    /// <summary>The addressed organisation answers (or refuses).</summary>
    Answer,

    /// <summary>The preserved data may be released: the requester follows with mutual assistance or extends.</summary>
    PreservationExpiry,
}

public enum ClockState
{
    Running,
    DueSoon,
    Overdue,

    /// <summary>Done in time.</summary>
    Met,

    /// <summary>Done, but after its deadline.</summary>
    MetLate,

    /// <summary>The request was withdrawn or closed before the step was done.</summary>
    Stopped,
}

/// <summary>One type's deadlines, counted from the moment the request is sent.</summary>
public sealed record ClockRule(TimeSpan Acknowledge, TimeSpan Answer);

/// <summary>One running or finished clock of one request, and the party that must act before it runs out.</summary>
public sealed record RequestClock(ClockKind Kind, DateTimeOffset DueAt, ClockState State, RequestParty Responsible, DateTimeOffset? DoneAt)
{
    public bool IsOpen => State is ClockState.Running or ClockState.DueSoon or ClockState.Overdue;
}

/// <summary>
/// The legal clocks of each request type. Preservation lasts at least 60 days from acknowledgement (Art. 29(7)) and
/// each extension moves its end on; an emergency is acknowledged within the hour. A clock is "due soon" in the last
/// quarter of its span (the last 14 days of a preservation), and overdue once its deadline has passed.
/// </summary>
public static class CooperationClocks
{
    public const int MinimumPreservationDays = 60;
    public const int MaximumPreservationDays = 365;
    public static readonly TimeSpan PreservationWarning = TimeSpan.FromDays(14);

    private static readonly Dictionary<RequestType, ClockRule> Rules = new()
    {
        [RequestType.Preservation] = new(TimeSpan.FromHours(24), TimeSpan.FromDays(3)),
        [RequestType.Disclosure] = new(TimeSpan.FromHours(24), TimeSpan.FromDays(7)),
        [RequestType.MutualAssistance] = new(TimeSpan.FromDays(5), TimeSpan.FromDays(90)),
        [RequestType.SubscriberInformation] = new(TimeSpan.FromDays(3), TimeSpan.FromDays(30)),
        [RequestType.DomainRegistration] = new(TimeSpan.FromDays(3), TimeSpan.FromDays(30)),
        [RequestType.Emergency] = new(TimeSpan.FromHours(1), TimeSpan.FromHours(24)),
        [RequestType.TechnicalAssistance] = new(TimeSpan.FromHours(24), TimeSpan.FromDays(7)),
    };

    public static ClockRule For(RequestType type) => Rules[type];

    /// <summary>Sets the acknowledgement and answer deadlines of a request being sent now.</summary>
    public static void Start(CooperationRequest request, DateTimeOffset now)
    {
        var rule = For(request.Type);
        request.SentAt = now;
        request.AcknowledgeBy = now + rule.Acknowledge;
        request.AnswerBy = now + rule.Answer;
    }

    /// <summary>On acknowledgement a preservation starts its period.</summary>
    public static void Acknowledge(CooperationRequest request, DateTimeOffset now)
    {
        request.AcknowledgedAt = now;
        if (request.Type == RequestType.Preservation)
        {
            request.PreservedUntil = now.AddDays(request.PreservationDays ?? MinimumPreservationDays);
        }
    }

    /// <summary>An extension runs from the current end, or from now when the period has already run out.</summary>
    public static DateTimeOffset Extend(CooperationRequest request, int days, DateTimeOffset now)
    {
        var from = request.PreservedUntil is { } until && until > now ? until : now;
        request.PreservedUntil = from.AddDays(days);
        request.Extensions++;
        return request.PreservedUntil.Value;
    }

    /// <summary>The request's clocks as they stand at <paramref name="now"/>; a draft has none.</summary>
    public static IReadOnlyList<RequestClock> Of(CooperationRequest request, DateTimeOffset now)
    {
        var clocks = new List<RequestClock>(3);
        var open = RequestStatusMachine.IsOpen(request.Status);
        if (request.SentAt is not { } sent)
        {
            return clocks;
        }

        if (request.AcknowledgeBy is { } ackBy)
        {
            var done = request.AcknowledgedAt ?? request.AnsweredAt;
            clocks.Add(Clock(ClockKind.Acknowledgement, sent, ackBy, done, open, RequestParty.Addressee, now));
        }

        if (request.AnswerBy is { } answerBy)
        {
            clocks.Add(Clock(ClockKind.Answer, sent, answerBy, request.AnsweredAt, open, RequestParty.Addressee, now));
        }

        if (request.Type == RequestType.Preservation && request.PreservedUntil is { } until
            && request.Status is not (RequestStatus.Refused or RequestStatus.Closed or RequestStatus.Withdrawn))
        {
            var state = now > until ? ClockState.Overdue : until - now <= PreservationWarning ? ClockState.DueSoon : ClockState.Running;
            clocks.Add(new RequestClock(ClockKind.PreservationExpiry, until, state, RequestParty.Requester, null));
        }

        return clocks;
    }

    private static RequestClock Clock(ClockKind kind, DateTimeOffset start, DateTimeOffset due, DateTimeOffset? done, bool open, RequestParty responsible, DateTimeOffset now)
    {
        ClockState state;
        if (done is { } at)
        {
            state = at <= due ? ClockState.Met : ClockState.MetLate;
        }
        else if (!open)
        {
            // Withdrawn or closed before the step was done: the clock stopped without being met.
            state = ClockState.Stopped;
        }
        else if (now > due)
        {
            state = ClockState.Overdue;
        }
        else
        {
            state = due - now <= (due - start) / 4 ? ClockState.DueSoon : ClockState.Running;
        }

        return new RequestClock(kind, due, state, responsible, done);
    }

    public static string Spell(this ClockKind kind) => kind switch
    {
        ClockKind.Acknowledgement => "acknowledgement",
        ClockKind.Answer => "answer",
        _ => "preservation-expiry",
    };

    public static string Spell(this ClockState state) => state switch
    {
        ClockState.DueSoon => "due-soon",
        ClockState.MetLate => "met-late",
        _ => state.ToString().ToLowerInvariant(),
    };
}
