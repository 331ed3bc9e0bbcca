using Ribat.Core.Indicators;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Incidents;

/// <summary>
/// An incident as a request spells it. <c>Participants</c> are organisations working the incident with its lead:
/// they become named recipients and see it whatever its TLP and distribution. On a change, absent lists stay as
/// they are. <c>ReportedAt</c> defaults to now.
/// </summary>
public sealed record IncidentInput(
    string? Title,
    string? Description = null,
    string? Category = null,
    string? Severity = null,
    IReadOnlyList<string>? Sectors = null,
    IReadOnlyList<string>? Countries = null,
    IReadOnlyList<Guid>? Participants = null,
    DateTimeOffset? ReportedAt = null,
    SharingTermsInput? Sharing = null);

public sealed record IncidentTransitionInput(string? To, string? Reason = null, Guid? MergeInto = null);

public sealed record ParticipantDto(Guid OrganisationId, string? Name, string? Country, DateTimeOffset JoinedAt, DateTimeOffset? AcknowledgedAt, DateTimeOffset? FirstActionAt, Guid? OrganisationNode = null);

public sealed record IncidentDto(
    Guid Id,
    string StixId,
    string Title,
    string? Description,
    string Category,
    string CategoryName,
    string Severity,
    IReadOnlyList<string> Sectors,
    IReadOnlyList<string> Countries,
    string Status,
    string? StatusReason,
    DateTimeOffset StatusChangedAt,
    IReadOnlyList<string> AllowedTransitions,
    Guid? MergedIntoId,
    Guid LeadOrganisationId,
    string? LeadName,
    IReadOnlyList<ParticipantDto> Participants,
    bool IsLead,
    bool IsParticipant,
    bool MayChange,
    bool MayContribute,
    bool IsExercise,
    Guid? ExerciseId,
    DateTimeOffset ReportedAt,
    DateTimeOffset? FirstSharedAt,
    DateTimeOffset? ContainedAt,
    DateTimeOffset? ResolvedAt,
    SharingView Sharing,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>Who may open and work incidents: analysts, investigators, liaison officers and organisation administrators. Others read.</summary>
public static class IncidentRoles
{
    public static bool MayWrite(Actor actor) =>
        actor.Roles.Contains(Roles.OrgAdmin) || actor.Roles.Contains(Roles.Analyst)
        || actor.Roles.Contains(Roles.Investigator) || actor.Roles.Contains(Roles.Liaison);
}
