using System.Globalization;
using Ribat.Core.Notifications;

namespace Ribat.Core.Cooperation;

/// <summary>
/// What the clock sweep tells people through the Notifications module. A reminder goes to the person responsible
/// (or, with none named yet, to whoever is on duty, else the organisation as a whole); an escalation goes to the
/// person on duty (else the organisation as a whole) and must be acknowledged, with an e-mail copy to the
/// organisation's 24/7 contact. Subjects carry no facts of the case: the request's subject line and its deadline.
/// </summary>
internal static class ClockNotices
{
    public const string ReminderKind = "cooperation.reminder";
    public const string EscalationKind = "cooperation.escalation";

    public static NotificationRequest For(CooperationRequest request, RequestClock clock, ReminderLevel level, Guid organisation, Guid? person, Guid? onDuty, string? contactEmail)
    {
        var what = clock.Kind switch
        {
            ClockKind.Acknowledgement => "acknowledgement",
            ClockKind.Answer => "answer",
            _ => "end of preservation",
        };
        var due = clock.DueAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var link = $"/requests/{request.Id}";
        var body = $"Request \"{request.Subject}\" ({request.Type.Spell()}): the {what} deadline {(clock.State == ClockState.Overdue ? "passed at" : "falls at")} {due}.";
        if (level == ReminderLevel.Reminder)
        {
            var subject = clock.State == ClockState.Overdue ? $"Overdue: the {what} of a cooperation request" : $"Due soon: the {what} of a cooperation request";
            return new NotificationRequest(organisation, ReminderKind, subject, body, link, person ?? onDuty,
                SubjectType: CooperationRules.TargetType, SubjectId: request.Id.ToString());
        }

        return new NotificationRequest(organisation, EscalationKind, $"Missed deadline escalated: the {what} of a cooperation request",
            $"{body} It was escalated to your organisation's 24/7 contact and to the person on duty; acknowledge it here.", link, onDuty,
            RequiresAcknowledgement: true, SubjectType: CooperationRules.TargetType, SubjectId: request.Id.ToString(), CopyTo: contactEmail);
    }
}
