using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Indicators;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;
using Ribat.Stix.Model;

namespace Ribat.Core.Federation;

/// <summary>What happened to one object handed to the store.</summary>
public enum IntakeState
{
    /// <summary>A new version was stored.</summary>
    Added,

    /// <summary>The owner already held this version: nothing was stored, and that is a success.</summary>
    AlreadyHeld,

    /// <summary>Refused; <see cref="IntakeResult.Reason"/> says why.</summary>
    Refused,
}

public sealed record IntakeResult(string? StixId, string? Version, IntakeState State, string? Reason = null);

/// <summary>The outcome of storing a batch of objects.</summary>
public sealed record IntakeOutcome(IReadOnlyList<IntakeResult> Results, int IndicatorsRecorded, IReadOnlyList<string> MissingReferences, int MissingReferenceCount);

/// <summary>
/// Stores checked STIX objects for an organisation in the caller's transaction: each object kept whole (custom
/// properties and types included) under the requested terms tightened by its own markings, versions the owner
/// already holds skipped, references resolved against the batch and the store, and indicators whose pattern is one
/// equality on a type Ribat knows (or a rule) recorded as Ribat indicators too.
/// </summary>
public sealed class StixIntake(RecordIndicators record, TimeProvider clock)
{
    public const int MaxReportedReferences = 100;

    private static readonly HashSet<string> PredefinedMarkings =
    [
        TlpMarkings.Clear, TlpMarkings.Green, TlpMarkings.Amber, TlpMarkings.AmberStrict, TlpMarkings.Red,
        "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
        "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
    ];

    internal async Task<Result<IntakeOutcome>> StoreAsync(
        ContentSession session,
        Actor actor,
        IReadOnlyList<JsonElement> objects,
        SharingTerms requested,
        StixOrigin origin,
        CancellationToken cancellationToken)
    {
        var db = session.Db;
        var owner = requested.Owner.Id;
        var results = new IntakeResult?[objects.Count];
        var rows = new List<(StixObjectRecord Row, SharingTerms Terms, int Index)>();
        var seen = new HashSet<(string, string)>();
        for (var i = 0; i < objects.Count; i++)
        {
            var terms = RibatStixExtension.Tighten(objects[i], requested);
            var row = StixObjectStore.Describe(objects[i], terms, session.LocalNode, origin, actor.UserId, out var error);
            if (row is null)
            {
                results[i] = new IntakeResult(Text(objects[i], "id"), null, IntakeState.Refused, error);
                continue;
            }

            // An object without a version (an SCO) is identified by its id alone: its id is derived from its content.
            if (!seen.Add((row.StixId, row.Version)))
            {
                results[i] = new IntakeResult(row.StixId, row.Version, IntakeState.AlreadyHeld);
                continue;
            }

            rows.Add((row, terms, i));
        }

        var held = await HeldAsync(db, owner, rows.Select(r => r.Row.StixId).Distinct().ToList(), session.LocalNode, cancellationToken);

        // An indicator of this node is its row (ADR 0017): another version of it is made by changing the row, not here.
        var indicatorIds = rows.Where(r => r.Row.Type == "indicator").Select(r => r.Row.StixId).Distinct().ToList();
        var ours = indicatorIds.Count == 0 ? [] : (await StoredVersions.ServedAsync(db, db.Indicators.IgnoreQueryFilters().AsNoTracking(), indicatorIds, session.LocalNode, cancellationToken))
            .Select(v => v.StixId).ToHashSet(StringComparer.Ordinal);
        var fresh = new List<(StixObjectRecord Row, SharingTerms Terms, int Index)>();
        foreach (var entry in rows)
        {
            if (held.Contains((entry.Row.StixId, entry.Row.Version)) || (entry.Row.Version.Length == 0 && held.Contains((entry.Row.StixId, string.Empty))))
            {
                results[entry.Index] = new IntakeResult(entry.Row.StixId, entry.Row.Version, IntakeState.AlreadyHeld);
            }
            else if (ours.Contains(entry.Row.StixId))
            {
                results[entry.Index] = new IntakeResult(entry.Row.StixId, entry.Row.Version, IntakeState.Refused,
                    "This id is an indicator of this node: a new version of it is made by changing the indicator in Ribat.");
            }
            else
            {
                fresh.Add(entry);
            }
        }

        await StixObjectStore.AddAsync(db, fresh.Select(f => (f.Row, f.Terms)).ToList(), session.LocalNode, clock, cancellationToken);
        foreach (var (row, _, index) in fresh)
        {
            results[index] = new IntakeResult(row.StixId, row.Version, IntakeState.Added);
        }

        var recorded = await RecordIndicatorsAsync(session, actor, objects, fresh, cancellationToken);
        if (recorded.Error is { } refused)
        {
            return refused;
        }

        var (missing, count) = await MissingReferencesAsync(db, objects, session.LocalNode, cancellationToken);
        return new IntakeOutcome(results.Select(r => r!).ToList(), recorded.Value, missing, count);
    }

    /// <summary>Versions the owner already holds of <paramref name="ids"/>, read in slices to stay under parameter limits.</summary>
    private static async Task<HashSet<(string, string)>> HeldAsync(Data.RibatDbContext db, Guid owner, List<string> ids, Guid localNode, CancellationToken cancellationToken)
    {
        var held = new HashSet<(string, string)>();
        foreach (var slice in ids.Chunk(500))
        {
            var found = await db.StixObjects.AsNoTracking()
                .Where(s => s.OwnerOrganisationId == owner && slice.Contains(s.StixId))
                .Select(s => new { s.StixId, s.Version })
                .ToListAsync(cancellationToken);
            held.UnionWith(found.Select(f => (f.StixId, f.Version)));
            held.UnionWith(found.Select(f => (f.StixId, string.Empty)));
        }

        // The owner's indicators serve their current versions from their rows (ADR 0017).
        foreach (var served in await StoredVersions.ServedAsync(db, db.Indicators.AsNoTracking().Where(i => i.OwnerOrganisationId == owner), ids, localNode, cancellationToken))
        {
            held.Add((served.StixId, served.Version));
            held.Add((served.StixId, string.Empty));
        }

        return held;
    }

    /// <summary>References that resolve neither in the batch, nor to a predefined marking, nor to an object the viewer sees in the store.</summary>
    private static async Task<(List<string>, int)> MissingReferencesAsync(Data.RibatDbContext db, IReadOnlyList<JsonElement> objects, Guid localNode, CancellationToken cancellationToken)
    {
        var references = new HashSet<string>(StringComparer.Ordinal);
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var element in objects)
        {
            StixReferences.Collect(element, references);
            if (Text(element, "id") is { } id)
            {
                present.Add(id);
            }
        }

        references.ExceptWith(present);
        references.ExceptWith(PredefinedMarkings);
        var unresolved = references.ToList();
        foreach (var slice in unresolved.ToList().Chunk(500))
        {
            var stored = await db.StixObjects.AsNoTracking().Where(s => slice.Contains(s.StixId)).Select(s => s.StixId).Distinct().ToListAsync(cancellationToken);
            unresolved.RemoveAll(stored.Contains);
        }

        var served = (await StoredVersions.ServedAsync(db, db.Indicators.AsNoTracking(), unresolved, localNode, cancellationToken)).Select(v => v.StixId).ToHashSet(StringComparer.Ordinal);
        unresolved.RemoveAll(served.Contains);

        unresolved.Sort(StringComparer.Ordinal);
        return (unresolved.Take(MaxReportedReferences).ToList(), unresolved.Count);
    }

    /// <summary>Records the simple indicators among the stored objects as Ribat indicators and links the STIX rows to them.</summary>
    private async Task<Result<int>> RecordIndicatorsAsync(
        ContentSession session,
        Actor actor,
        IReadOnlyList<JsonElement> objects,
        List<(StixObjectRecord Row, SharingTerms Terms, int Index)> stored,
        CancellationToken cancellationToken)
    {
        var total = 0;
        var candidates = stored
            .Where(s => s.Row.Type == "indicator")
            .Select(s => (s.Row, s.Terms, Input: ToInput(objects[s.Index])))
            .Where(c => c.Input is not null)
            .GroupBy(c => c.Terms);
        foreach (var group in candidates)
        {
            var batch = group.ToList();
            var inputs = batch.Select((c, line) => c.Input! with { Line = line + 1 }).ToList();
            var recorded = await record.RecordInAsync(session, actor, new RecordIndicatorsRequest(inputs, ToInput(group.Key)), null, null, null, cancellationToken, mirrorToStix: false);
            if (recorded.Error is { Kind: ErrorKind.Forbidden } forbidden)
            {
                return forbidden;
            }

            if (recorded.Value is not { } outcome)
            {
                continue;
            }

            for (var i = 0; i < outcome.Ids.Count; i++)
            {
                batch[outcome.RecordedLines[i] - 1].Row.RibatObjectId = outcome.Ids[i];
            }

            total += outcome.Recorded;
        }

        return total;
    }

    private static IndicatorInput? ToInput(JsonElement indicator)
    {
        var pattern = Text(indicator, "pattern");
        var patternType = Text(indicator, "pattern_type");
        if (pattern is null || patternType is null)
        {
            return null;
        }

        string type;
        string value;
        if (RuleTypes.IsRule(patternType))
        {
            (type, value) = (patternType, pattern);
        }
        else if (patternType != "stix" || !StixObservableMap.TryRead(pattern, out type, out value))
        {
            return null;
        }

        var confidence = indicator.TryGetProperty("confidence", out var c) && c.TryGetInt32(out var number) && number is >= 0 and <= 100 ? number : (int?)null;
        return new IndicatorInput(
            type,
            value,
            Comment: Text(indicator, "name") is { } name && name != value ? Truncate(name, 4000) : null,
            Confidence: confidence,
            ValidFrom: Instant(indicator, "valid_from"),
            ValidUntil: Instant(indicator, "valid_until"),
            SourceId: Text(indicator, "id"));
    }

    private static SharingTermsInput ToInput(SharingTerms terms) => new(
        terms.Tlp.Spell(),
        terms.Pap.Spell(),
        terms.Distribution.Kind switch
        {
            DistributionKind.Community => "community",
            DistributionKind.ConnectedCommunities => "connected-communities",
            DistributionKind.SharingGroup => "sharing-group",
            _ => "organisation-only",
        },
        terms.Distribution.SharingGroupId,
        terms.Handling.Spell(),
        terms.HandlingConditions,
        terms.Evaluation?.Spell() ?? string.Empty,
        terms.Recipients.Select(r => r.Id).ToList(),
        terms.Permissions.CourtUse.Select(r => r.Id).ToList(),
        terms.Permissions.OnwardSharing.Select(r => r.Id).ToList());

    private static DateTimeOffset? Instant(JsonElement element, string name) =>
        Text(element, name) is { } text && StixTimestamp.TryParse(text, out var at, out _) ? new DateTimeOffset(at.UtcDateTime, TimeSpan.Zero) : null;

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    internal static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
