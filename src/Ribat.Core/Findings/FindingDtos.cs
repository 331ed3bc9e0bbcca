namespace Ribat.Core.Findings;

/// <summary>How to read an evidence item: <c>email</c> (one message or an mbox) or <c>file</c>.</summary>
public sealed record AnalysisInput(string? Kind);

public sealed record FindingDto(
    Guid Id,
    Guid CaseId,
    Guid EvidenceId,
    string Kind,
    int Position,
    string Title,
    string? Verdict,
    int IndicatorCount,
    Guid? IndicatorReportId,
    IReadOnlyList<Guid> AttachmentEvidenceIds,
    DateTimeOffset CreatedAt,
    System.Text.Json.JsonElement Report,
    System.Text.Json.JsonElement? Yara);
