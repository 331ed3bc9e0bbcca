using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;
using Ribat.Core.Federation;
using Ribat.Core.Indicators;
using Ribat.Stix.Identifiers;

namespace Ribat.Core.Incidents;

/// <summary>
/// What the viewer may see of the indicators and reports an incident links to, found by their STIX ids: a row of this
/// node (ours reuse their ids in STIX; an imported object names the row it became), else the STIX object as a partner
/// sent it. Every look-up runs under the viewer's sharing filter, so a hidden target is neither named nor counted.
/// </summary>
internal static class LinkTargets
{
    /// <summary>What a viewer reads of a link: the row it opens here (if any) and its label.</summary>
    public sealed record Target(Guid? RowId, string Label);

    public static Target OfValue(IncidentLink link) =>
        new(null, IndicatorTypes.TryCanonicalise(link.ValueType, link.Value, out var canonical, out _) ? $"{link.ValueType}: {canonical!.Display}" : $"{link.ValueType}: {link.Value}");

    /// <summary>The visible target of each indicator or report link, by link id; a link whose target the viewer may not see is absent.</summary>
    public static async Task<Dictionary<Guid, Target>> ResolveAsync(RibatDbContext db, IReadOnlyList<IncidentLink> links, CancellationToken cancellationToken)
    {
        var found = new Dictionary<Guid, Target>();
        var linked = links.Where(l => l.Kind != IncidentLinkKind.Value && l.TargetStixId is not null).ToList();
        if (linked.Count == 0)
        {
            return found;
        }

        var stixIds = linked.Select(l => l.TargetStixId!).Distinct().ToList();

        // Which rows a STIX id may stand for; the mapping itself shows nothing, the rows are then read under the viewer's filter.
        var became = await db.StixObjects.IgnoreQueryFilters().AsNoTracking()
            .Where(s => stixIds.Contains(s.StixId) && s.RibatObjectId != null)
            .Select(s => new { s.StixId, Row = s.RibatObjectId!.Value }).Distinct().ToListAsync(cancellationToken);
        var candidates = linked.ToDictionary(l => l.Id, l =>
        {
            var rows = became.Where(b => b.StixId == l.TargetStixId).Select(b => b.Row).ToList();
            if (StixIdentifier.TrySplit(l.TargetStixId!, out _, out var uuid))
            {
                rows.Add(uuid);
            }

            if (l.TargetId is { } row)
            {
                rows.Add(row);
            }

            return rows;
        });
        var ids = candidates.Values.SelectMany(r => r).Distinct().ToList();
        var indicators = await db.Indicators.AsNoTracking().Where(i => ids.Contains(i.Id))
            .Select(i => new { i.Id, i.Type, i.Display }).ToDictionaryAsync(i => i.Id, i => $"{i.Type}: {i.Display}", cancellationToken);
        var reports = await db.Reports.AsNoTracking().Where(r => ids.Contains(r.Id)).Select(r => new { r.Id, r.Title }).ToDictionaryAsync(r => r.Id, r => r.Title, cancellationToken);
        foreach (var link in linked)
        {
            var rows = link.Kind == IncidentLinkKind.Indicator ? indicators : reports;
            if (candidates[link.Id].FirstOrDefault(rows.ContainsKey) is var row && row != Guid.Empty)
            {
                found[link.Id] = new Target(row, rows[row]);
            }
        }

        // Not a row here: the STIX object a partner sent, when the viewer may see it.
        var rest = linked.Where(l => !found.ContainsKey(l.Id)).Select(l => l.TargetStixId!).Distinct().ToList();
        if (rest.Count == 0)
        {
            return found;
        }

        // A partner's objects keep their JSON; this node's indicators were found as rows above.
        var objects = await db.StixObjects.AsNoTracking().Where(s => rest.Contains(s.StixId) && s.Json != string.Empty)
            .Select(s => new { s.StixId, s.VersionAt, s.Json }).ToListAsync(cancellationToken);
        var labels = objects.GroupBy(o => o.StixId).ToDictionary(g => g.Key, g => Label(g.MaxBy(o => o.VersionAt)!.Json));
        foreach (var link in linked.Where(l => !found.ContainsKey(l.Id) && labels.ContainsKey(l.TargetStixId!)))
        {
            found[link.Id] = new Target(null, labels[link.TargetStixId!]);
        }

        return found;
    }

    /// <summary>An indicator's typed value (from its pattern) or its name; a report's name; else its id.</summary>
    private static string Label(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var pattern = StixIntake.Text(root, "pattern");
        if (pattern is not null && StixIntake.Text(root, "pattern_type") == "stix" && StixObservableMap.TryRead(pattern, out var type, out var value))
        {
            return $"{type}: {value}";
        }

        return StixIntake.Text(root, "name") ?? StixIntake.Text(root, "id") ?? "?";
    }
}
