using Ribat.Core.Indicators;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Playbooks;

/// <summary>A step as a request spells it: <c>DueAfterHours</c> is counted from when the playbook is applied.</summary>
public sealed record PlaybookStepInput(string? Title, string? Role, string? Description = null, double? DueAfterHours = null);

/// <summary>A playbook as a request spells it; on a change, absent steps and sharing stay as they are.</summary>
public sealed record PlaybookInput(string? Title, string? Description = null, string? Category = null, IReadOnlyList<PlaybookStepInput>? Steps = null, SharingTermsInput? Sharing = null);

public sealed record PlaybookStepDto(int Order, string Title, string Role, string? Description, double? DueAfterHours);

public sealed record PlaybookDto(
    Guid Id,
    string StixId,
    string Title,
    string? Description,
    string? Category,
    IReadOnlyList<PlaybookStepDto> Steps,
    Guid OwnerOrganisationId,
    string? OwnerName,
    bool MayChange,
    SharingView Sharing,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>Applying a playbook: its steps become tasks of the incident for <c>AssigneeOrganisationId</c> (default: the caller's organisation).</summary>
public sealed record ApplyPlaybookInput(Guid? PlaybookId, Guid? AssigneeOrganisationId = null);

/// <summary>The roles a step may name: Ribat's working roles, or the incident's lead organisation.</summary>
public static class PlaybookRoles
{
    public static readonly IReadOnlyList<string> All = ["lead", Roles.Analyst, Roles.Investigator, Roles.Liaison, Roles.OrgAdmin, Roles.Prosecutor];

    public static string Choices => string.Join(", ", All);
}
