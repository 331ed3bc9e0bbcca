namespace Ribat.Core.Cases.Joint;

/// <summary>An entry for the joint investigation team: <c>kind</c> timeline (with <c>occurredAt</c>), note or task (with an optional due date in <c>occurredAt</c>).</summary>
public sealed record JointEntryInput(string? Kind, string? Text, DateTimeOffset? OccurredAt = null);

public sealed record JointMemberDto(Guid OrganisationId, Guid Node, string Name, bool Lead, bool Here);

public sealed record JointEvidenceDto(Guid Id, string Name, long Size, string Md5, string Sha1, string Sha256, DateTimeOffset AcquiredAt, string State, int CustodyEntries);

public sealed record JointEntryDto(
    Guid Id,
    string Kind,
    string Text,
    DateTimeOffset? OccurredAt,
    string? Author,
    Guid OrganisationId,
    string OrganisationName,
    bool Mine,
    DateTimeOffset Modified);

/// <summary>One joint investigation in a list: a case a partner node leads (<c>role</c> partner) or one this organisation leads with partners elsewhere (lead).</summary>
public sealed record JointCaseSummaryDto(Guid Id, string Title, string Status, string Role, string LeadOrganisation, DateTimeOffset Modified, bool Withdrawn);

/// <summary>
/// A joint investigation as a member sees it: the case's header (read-only for partners), the members, the evidence
/// items listed by name, hashes and custody state (their files stay on the lead's node), and the team's entries.
/// </summary>
public sealed record JointInvestigationDto(
    Guid Id,
    string Title,
    IReadOnlyList<string> Offences,
    IReadOnlyList<string> NationalCategories,
    string Status,
    string Role,
    string? LeadInvestigator,
    IReadOnlyList<JointMemberDto> Members,
    IReadOnlyList<JointEvidenceDto> Evidence,
    IReadOnlyList<JointEntryDto> Entries,
    string Tlp,
    string Handling,
    bool MayWrite,
    DateTimeOffset? WithdrawnAt,
    DateTimeOffset Modified);
