using Ribat.Core.Indicators;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cases;

/// <summary>
/// A case as a request spells it. <c>Partners</c> are organisations of a joint investigation: they become named
/// recipients of the case (and of its evidence) and see it whatever its TLP and distribution. On a change, absent
/// lists stay as they are.
/// </summary>
public sealed record CaseInput(
    string? Title,
    string? Summary = null,
    IReadOnlyList<string>? Offences = null,
    IReadOnlyList<string>? NationalCategories = null,
    Guid? LeadInvestigatorId = null,
    IReadOnlyList<Guid>? Team = null,
    IReadOnlyList<Guid>? Partners = null,
    SharingTermsInput? Sharing = null);

public sealed record CaseTransitionInput(string? To, string? Reason = null);

public sealed record CaseMemberDto(Guid UserId, string? Name);

public sealed record CaseDto(
    Guid Id,
    string Title,
    string? Summary,
    IReadOnlyList<string> Offences,
    IReadOnlyList<string> NationalCategories,
    string Status,
    string? StatusReason,
    DateTimeOffset StatusChangedAt,
    IReadOnlyList<string> AllowedTransitions,
    CaseMemberDto LeadInvestigator,
    IReadOnlyList<CaseMemberDto> Team,
    IReadOnlyList<Guid> Partners,
    Guid OwnerOrganisationId,
    string? OwnerName,
    bool MayChange,
    int EvidenceItems,
    SharingView Sharing,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>Who may open and change cases: investigators, analysts and organisation administrators. Others read.</summary>
public static class CaseRoles
{
    public static bool MayWrite(Actor actor) =>
        actor.Roles.Contains(Roles.OrgAdmin) || actor.Roles.Contains(Roles.Investigator) || actor.Roles.Contains(Roles.Analyst);
}
