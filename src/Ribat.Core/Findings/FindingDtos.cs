namespace Ribat.Core.Findings;

/// <summary>How to read an evidence item: <c>email</c> (one message or an mbox) or <c>file</c>.</summary>
public sealed record AnalysisInput(string? Kind);

public sealed record FindingDto(
    Guid Id,
    Guid? CaseId,
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
    System.Text.Json.JsonElement? Yara)
{
    /// <summary>When what was found happened (a detection's event, a capture's first packet).</summary>
    public DateTimeOffset? EventAt { get; init; }

    /// <summary>The analysis job that made it, if one did.</summary>
    public Guid? JobId { get; init; }

    /// <summary>A traffic finding has a chart at <c>/api/v1/findings/{id}/chart</c>.</summary>
    public bool HasChart { get; init; }

    /// <summary>The incident of the item analysed, when it belongs to an incident rather than a case.</summary>
    public Guid? IncidentId { get; init; }
}

public static class FindingKinds
{
    public static string Spell(FindingKind kind) => kind switch
    {
        FindingKind.Email => "email",
        FindingKind.Detection => "detection",
        FindingKind.Traffic => "traffic",
        _ => "file",
    };
}
