using Microsoft.EntityFrameworkCore;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Stix.Serialization;

namespace Ribat.Core.Federation;

/// <summary>
/// The current STIX versions an indicator row stands for (ADR 0017): its <c>indicator</c>, added at the row's
/// <see cref="Indicators.Indicator.StixDateAdded"/>, and the observable it names (none for a rule or a type STIX has no
/// observable for), added one microsecond later, an SCO's version being its date added. They are not stored: each is
/// rendered from the row and its sharing-term columns, exactly as a stored version of it would read, under the row's id
/// (whose grants are the versions' grants). A change to the row first keeps both in <c>stix_objects</c>
/// (<see cref="RenderedVersions.SealAsync"/>) and then dates the row again, so a version never changes once served.
/// </summary>
internal static class IndicatorVersions
{
    private const long TicksPerMicrosecond = 10;

    /// <summary>The date added of the observable's version of a row dated <paramref name="indicatorAdded"/>.</summary>
    public static DateTimeOffset ObservableAdded(DateTimeOffset indicatorAdded) => indicatorAdded.AddTicks(TicksPerMicrosecond);

    /// <summary>The versions <paramref name="row"/> stands for while it is dated, indicator first; none for an undated row.</summary>
    public static IReadOnlyList<StixObjectRecord> Of(Indicators.Indicator row, Guid localNode, bool withJson = true)
    {
        if (row.StixDateAdded is not { } added)
        {
            return [];
        }

        if (withJson && Recent.TryGet(row.Id, added, out var cached))
        {
            return cached;
        }

        var terms = SharedColumns.ToTerms(row, [], localNode);
        var indicator = RibatToStix.IndicatorObject(row, terms);
        var versions = new List<StixObjectRecord>(2) { Record(row, indicator, terms, localNode, added, withJson) };
        if (RibatToStix.Observable(row, terms) is { } observable)
        {
            versions.Add(Record(row, observable, terms, localNode, ObservableAdded(added), withJson));
        }

        if (withJson)
        {
            Recent.Add(row.Id, added, versions);
        }

        return versions;
    }

    /// <summary>
    /// The versions of the rows <paramref name="heads"/> names (id and date), in that order: from the versions rendered
    /// lately when they are there, else from the rows, read in one query. A row dated again since its head was read is
    /// given as it stands now; one deleted since is left out.
    /// </summary>
    public static async Task<List<IReadOnlyList<StixObjectRecord>>> OfRowsAsync(IQueryable<Indicators.Indicator> scope, IReadOnlyList<(Guid Id, DateTimeOffset Added)> heads, Guid localNode, bool withJson, CancellationToken cancellationToken)
    {
        var found = new IReadOnlyList<StixObjectRecord>?[heads.Count];
        var missing = new List<Guid>();
        for (var i = 0; i < heads.Count; i++)
        {
            if (Recent.TryGet(heads[i].Id, heads[i].Added, out var cached))
            {
                if (!withJson)
                {
                    foreach (var version in cached)
                    {
                        version.Json = string.Empty;
                    }
                }

                found[i] = cached;
            }
            else
            {
                missing.Add(heads[i].Id);
            }
        }

        if (missing.Count > 0)
        {
            var rows = new Dictionary<Guid, Indicators.Indicator>();
            foreach (var slice in missing.Chunk(500))
            {
                foreach (var row in await scope.Where(i => slice.Contains(i.Id)).ToListAsync(cancellationToken))
                {
                    rows[row.Id] = row;
                }
            }

            for (var i = 0; i < heads.Count; i++)
            {
                if (found[i] is null && rows.TryGetValue(heads[i].Id, out var row))
                {
                    found[i] = Of(row, localNode, withJson);
                }
            }
        }

        return [.. found.Where(f => f is not null).Select(f => f!)];
    }

    private static StixObjectRecord Record(Indicators.Indicator row, Stix.Model.StixObject stix, SharingTerms terms, Guid localNode, DateTimeOffset added, bool withJson)
    {
        var json = withJson ? System.Text.Encoding.UTF8.GetString(StixSerializer.WriteObject(stix)) : string.Empty;
        var record = StixObjectStore.Describe(stix, json, terms, localNode, StixOrigin.Local, row.CreatedBy);
        record.Id = row.Id;
        record.RibatObjectId = row.Id;
        record.DateAdded = added;
        if (record.Version.Length == 0)
        {
            record.Version = StixObjectStore.Spell(added);
            record.VersionAt = added;
        }

        return record;
    }

    /// <summary>
    /// The versions rendered lately, by row and date: a row's versions at one date never change (a change dates the row
    /// again), so the newest indicators, which every partner and TAXII client polls for, are served again without
    /// rendering them. Callers may change what they are given (a partner's copy names its recipients): each gets copies.
    /// </summary>
    private static class Recent
    {
        private static readonly RenderedLately<(Guid, DateTimeOffset), IReadOnlyList<StixObjectRecord>> Rendered = new(8 * 1024 * 1024, versions => versions.Sum(v => (long)v.Json.Length));

        public static bool TryGet(Guid id, DateTimeOffset added, out IReadOnlyList<StixObjectRecord> versions)
        {
            if (Rendered.TryGet((id, added), out var kept))
            {
                versions = [.. kept.Select(Copy)];
                return true;
            }

            versions = [];
            return false;
        }

        public static void Add(Guid id, DateTimeOffset added, IReadOnlyList<StixObjectRecord> versions) =>
            Rendered.Add((id, added), [.. versions.Select(Copy)]);

        private static StixObjectRecord Copy(StixObjectRecord v) => new()
        {
            Id = v.Id,
            OwnerOrganisationId = v.OwnerOrganisationId,
            OwnerNode = v.OwnerNode,
            Tlp = v.Tlp,
            Pap = v.Pap,
            Distribution = v.Distribution,
            SharingGroupId = v.SharingGroupId,
            Handling = v.Handling,
            HandlingConditions = v.HandlingConditions,
            Evaluation = v.Evaluation,
            StixId = v.StixId,
            Type = v.Type,
            SpecVersion = v.SpecVersion,
            Version = v.Version,
            VersionAt = v.VersionAt,
            DateAdded = v.DateAdded,
            Origin = v.Origin,
            PartnerId = v.PartnerId,
            RibatObjectId = v.RibatObjectId,
            Json = v.Json,
            CreatedBy = v.CreatedBy,
        };
    }
}
