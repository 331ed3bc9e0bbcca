using System.Text.Encodings.Web;
using System.Text.Json;
using Ribat.Core.Findings;
using Ribat.Core.Indicators;
using Ribat.Core.Tenancy;
using Ribat.Forensics.Detection;
using Ribat.Forensics.Enrichment;
using Ribat.Forensics.Hunting;

namespace Ribat.Core.Jobs;

/// <summary>
/// A hunt over log evidence, as <c>ribat hunt</c> runs it: the node's Sigma rules, the indicators the case owner may
/// see in the intelligence store, and the unauthorized-access rules. Each detection becomes a finding holding the JSON
/// row the CLI writes (the file named as the evidence item), with the event's time; indicator hits become sightings.
/// </summary>
internal sealed class HuntAnalysis(ServerSigma sigma, ReadIndicators indicators, TimeProvider clock)
{
    private static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task<Common.Result<JobOutcome>> RunAsync(
        AnalysisJob job, Actor actor, IReadOnlyList<JobItem> items, AddressEnricher? enricher, int maxFindings, JobProgress progress, CancellationToken cancellationToken)
    {
        var rules = sigma.Rules();
        var store = await StoreIndicators.LoadAsync(indicators, actor, clock.GetUtcNow(), cancellationToken);
        if (store.Error is { } unread)
        {
            return unread;
        }

        var (load, leftOut) = store.Value;
        var hunt = new LogHunt(new HuntOptions
        {
            Rules = rules is null ? null : new SigmaRuleSet(rules.Rules),
            Correlations = rules?.Correlations ?? [],
            Indicators = load.Set,
            DetectAccess = true,
            Enricher = enricher,
            MinLevel = job.MinLevel,
            Workers = 1,
        });
        progress.Sample = () =>
        {
            var p = hunt.Progress;
            return (p.FilesDone, p.FilesTotal, p.Events, p.Detections);
        };

        // Identical content is stored once: an item's path may be another's too, and names the first.
        var byPath = new Dictionary<string, JobItem>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            byPath.TryAdd(item.Path, item);
        }

        var findings = new List<Finding>();
        var sightings = new Dictionary<Guid, (int Count, DateTimeOffset? First, DateTimeOffset? Last)>();
        long notKept = 0;
        var now = clock.GetUtcNow();
        var summary = await hunt.RunAsync([.. byPath.Keys], hit =>
        {
            var (item, name) = Source(byPath, hit.Event.SourceFile);
            if (hit.Kind == HuntKind.Ioc && Guid.TryParse(hit.IndicatorId, out var indicatorId))
            {
                var seen = sightings.GetValueOrDefault(indicatorId);
                var at = hit.Event.Timestamp;
                sightings[indicatorId] = (seen.Count + 1, Earlier(seen.First, at), Later(seen.Last, at));
            }

            if (findings.Count >= maxFindings)
            {
                notKept++;
                return;
            }

            findings.Add(new Finding
            {
                Id = Guid.CreateVersion7(),
                CaseId = job.CaseId,
                IncidentId = job.IncidentId,
                EvidenceId = item.Item.Id,
                Kind = FindingKind.Detection,
                Position = findings.Count + 1,
                Title = Clip(Title(hit), 1000),
                Verdict = hit.Level?.ToLowerInvariant() is { Length: <= 16 } level ? level : null,
                ReportJson = Json(hit, enricher, name),
                EventAt = hit.Event.Timestamp,
                JobId = job.Id,
                CreatedBy = job.StartedBy,
                CreatedAt = now,
            });
        }, cancellationToken);

        if (summary.Logs == 0)
        {
            var why = summary.Unreadable.Count > 0 ? $" ({Rename(byPath, summary.Unreadable[0].Name)}: {summary.Unreadable[0].Reason})" : "";
            return Common.Error.Validation("evidenceIds", $"No readable log among the items{why}; nothing was kept.");
        }

        var json = Summary(summary, hunt, rules, load, leftOut, findings.Count, notKept, sightings.Count, enricher, byPath);
        var note = $"Hunted by analysis job {job.Id}: {summary.EventsRead:N0} events, {summary.Reported:N0} detections ({findings.Count:N0} kept as findings).";
        return new JobOutcome(findings, json, note, [.. sightings.Select(s => new IndicatorSighting(s.Key, s.Value.Count, s.Value.First, s.Value.Last))]);
    }

    private static string Title(HuntHit hit) => hit.Kind switch
    {
        HuntKind.Ioc => $"Indicator {hit.Indicator} ({hit.IndicatorType}) in {hit.Field}",
        _ => hit.RuleTitle ?? hit.RuleId ?? HuntHitJson.Kind(hit.Kind),
    };

    private static string Json(HuntHit hit, AddressEnricher? enricher, string name)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(2048);
        using (var json = new Utf8JsonWriter(buffer, Writer))
        {
            HuntHitJson.Write(json, hit, enricher, name);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The item a file or archive member (<c>path!member</c>) came from, and its name as the case knows it.</summary>
    private static (JobItem Item, string Name) Source(Dictionary<string, JobItem> byPath, string sourceFile)
    {
        foreach (var (path, item) in byPath)
        {
            if (sourceFile.StartsWith(path, StringComparison.Ordinal))
            {
                return (item, item.Item.FileName + sourceFile[path.Length..]);
            }
        }

        var first = byPath.Values.First();
        return (first, sourceFile);
    }

    private static string Rename(Dictionary<string, JobItem> byPath, string name) => Source(byPath, name).Name;

    private static string Summary(
        HuntSummary summary, LogHunt hunt, SigmaLoadResult? rules, IocSetLoad load, int leftOut, int kept, long notKept, int sighted, AddressEnricher? enricher, Dictionary<string, JobItem> byPath)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer, Writer))
        {
            json.WriteStartObject();
            json.WriteNumber("files", summary.Files);
            json.WriteNumber("logs", summary.Logs);
            json.WriteNumber("events_read", summary.EventsRead);
            json.WriteStartObject("events_by_format");
            foreach (var (format, count) in summary.EventsByFormat.OrderBy(f => f.Key.ToString(), StringComparer.Ordinal))
            {
                json.WriteNumber(format.ToString().ToLowerInvariant(), count);
            }

            json.WriteEndObject();
            json.WriteNumber("detections", summary.Reported);
            json.WriteStartObject("detections_by_level");
            foreach (var (level, count) in summary.DetectionsByLevel.OrderBy(l => HuntLevels.Rank(l.Key)))
            {
                json.WriteNumber(level, count);
            }

            json.WriteEndObject();
            json.WriteNumber("findings_kept", kept);
            json.WriteNumber("findings_not_kept", notKept);
            json.WriteNumber("sigma_rules", rules?.Rules.Count ?? 0);
            json.WriteNumber("sigma_correlations", rules?.Correlations.Count ?? 0);
            json.WriteNumber("sigma_rules_refused", (rules?.Failures.Count ?? 0) + hunt.CorrelationFailures.Count);
            json.WriteNumber("indicators", load.Set?.Count ?? 0);
            json.WriteNumber("indicators_left_out", leftOut + load.Problems.Count);
            json.WriteNumber("indicators_sighted", sighted);
            json.WriteBoolean("geoip", enricher is not null);
            Problems(json, "unreadable", summary.Unreadable, byPath);
            Problems(json, "stopped", summary.Stopped, byPath);
            json.WriteStartObject("skipped");
            foreach (var (reason, count) in summary.Skipped.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                json.WriteNumber(reason, count);
            }

            json.WriteEndObject();
            json.WriteNumber("damaged_chunks", summary.DamagedChunks);
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Problems(Utf8JsonWriter json, string name, List<HuntProblem> problems, Dictionary<string, JobItem> byPath)
    {
        json.WriteStartArray(name);
        foreach (var problem in problems.Take(100))
        {
            json.WriteStartObject();
            json.WriteString("name", Rename(byPath, problem.Name));
            json.WriteString("reason", problem.Reason);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static DateTimeOffset? Earlier(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static string Clip(string text, int most) => text.Length <= most ? text : text[..most];
}
