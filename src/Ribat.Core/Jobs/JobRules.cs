using System.Text.Json;
using Ribat.Core.Cases;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Jobs;

/// <summary>Spelling of kinds and states, who may start and cancel, and the row as the API shows it.</summary>
internal static class JobRules
{
    /// <summary>Items one job reads at most.</summary>
    public const int MaxItems = 100;

    /// <summary>Jobs an organisation may have waiting at once; more is refused until some have run.</summary>
    public const int MaxQueued = 20;

    public static bool TryParseKind(string? text, out JobKind kind)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "hunt":
                kind = JobKind.Hunt;
                return true;
            case "capture":
                kind = JobKind.Capture;
                return true;
            default:
                kind = default;
                return false;
        }
    }

    public static string Spell(JobKind kind) => kind == JobKind.Hunt ? "hunt" : "capture";

    public static string Spell(JobStatus status) => status.ToString().ToLowerInvariant();

    public static bool IsFinished(JobStatus status) => status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled;

    public static bool MayRun(Actor actor) => CaseRoles.MayWrite(actor) && actor.TokenScope != TokenScope.Read;

    public static JobDto ToDto(AnalysisJob row, bool owner, Actor actor)
    {
        JsonElement? summary = null;
        if (row.SummaryJson is not null)
        {
            using var document = JsonDocument.Parse(row.SummaryJson);
            summary = document.RootElement.Clone();
        }

        return new JobDto(
            row.Id, row.CaseId, Spell(row.Kind), Spell(row.Status), row.EvidenceIds, row.MinLevel, row.StartedBy, row.StartedByName,
            row.QueuedAt, row.StartedAt, row.FinishedAt,
            new JobProgressDto(row.Phase ?? (row.Status == JobStatus.Queued ? "queued" : "-"), row.ProgressUnit, row.ProgressDone, row.ProgressTotal, row.Records, row.Detections),
            row.CancelRequested, row.Error, summary,
            owner && MayRun(actor) && !IsFinished(row.Status) && !row.CancelRequested)
        {
            IncidentId = row.IncidentId,
        };
    }
}
