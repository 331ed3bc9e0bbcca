using Ribat.Core.Indicators;

namespace Ribat.Core.Evidence;

/// <summary>
/// The acquisition record sent with an uploaded file. <c>Handling</c> (H0–H3), its conditions and the 4x4
/// <c>Evaluation</c> are the item's own; absent, they are the case's. Its audience is always the case's.
/// </summary>
public sealed record AcquisitionInput(
    string? FileName,
    string? Description = null,
    DateTimeOffset? AcquiredAt = null,
    string? AcquiredWhere = null,
    string? Method = null,
    string? Tool = null,
    string? ToolVersion = null,
    string? SourceDevice = null,
    string? SealNumber = null,
    string? Notes = null,
    string? Handling = null,
    string? HandlingConditions = null,
    string? Evaluation = null);

/// <summary>A custody step recorded by hand: seal, transfer, access, copy, analyse, export, return or dispose.</summary>
public sealed record CustodyInput(string? Action, Guid? ToUserId = null, string? SealNumber = null, string? Notes = null);

public sealed record AcknowledgeInput(string? Notes = null);

public sealed record AcquisitionDto(
    Guid AcquiredBy,
    string AcquiredByName,
    DateTimeOffset AcquiredAt,
    string? Where,
    string? Method,
    string? Tool,
    string? ToolVersion,
    string? SourceDevice,
    string? SealNumber,
    string? Notes,
    DateTimeOffset RecordedAt);

/// <summary>An evidence item; it belongs to the case <see cref="CaseId"/> or to the incident <see cref="IncidentId"/>.</summary>
public sealed record EvidenceDto(
    Guid Id,
    Guid? CaseId,
    string FileName,
    string? Description,
    long Size,
    string Md5,
    string Sha1,
    string Sha256,
    AcquisitionDto Acquisition,
    string State,
    Guid HolderId,
    string? HolderName,
    Guid? PendingTransferTo,
    string? PendingTransferToName,
    string? CurrentSeal,
    int CustodyEntries,
    bool MayHandle,
    SharingView Sharing)
{
    public Guid? IncidentId { get; init; }
}

public sealed record CustodyEntryDto(
    int Sequence,
    string Action,
    DateTimeOffset OccurredAt,
    Guid? ActorUserId,
    string Actor,
    Guid? FromUserId,
    string? FromName,
    Guid? ToUserId,
    string? ToName,
    string? SealNumber,
    string? Notes,
    string VerifiedSha256,
    string PreviousHash,
    string Hash);

/// <summary>One thing wrong with one item: its stored file, its record, or one custody entry (<see cref="Entry"/>).</summary>
public sealed record EvidenceProblem(Guid? CaseId, Guid ItemId, string FileName, int? Entry, string Problem)
{
    public Guid? IncidentId { get; init; }
}

public sealed record EvidenceVerification(int Items, int Entries, IReadOnlyList<EvidenceProblem> Problems)
{
    public bool Intact => Problems.Count == 0;
}
