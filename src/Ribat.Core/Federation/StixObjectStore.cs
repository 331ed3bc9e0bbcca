using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Stix.Model;

namespace Ribat.Core.Federation;

/// <summary>
/// Adds object versions to <c>stix_objects</c>. Every version gets a <c>date_added</c> one microsecond or more after
/// the newest already stored, under a node-wide lock held until the transaction commits, so a reader paging with
/// <c>added_after</c> never skips a version committed later with an earlier date.
/// </summary>
public static class StixObjectStore
{
    /// <summary>A STIX id is the type (at most 250 characters) and a UUID.</summary>
    public const int MaxIdLength = 250 + 2 + 36;

    private const long TicksPerMicrosecond = 10;

    /// <summary>
    /// The row for one object, before it is added: its id, type, spec version and version read from the JSON.
    /// Null with <paramref name="error"/> when the object lacks what TAXII needs to serve it.
    /// </summary>
    internal static StixObjectRecord? Describe(JsonElement element, SharingTerms terms, Guid localNode, StixOrigin origin, Guid? createdBy, out string? error)
    {
        error = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = "an object is a JSON object";
            return null;
        }

        var id = Text(element, "id");
        var type = Text(element, "type");
        if (id is null || type is null || !id.StartsWith(type + "--", StringComparison.Ordinal) || id.Length > MaxIdLength)
        {
            error = "an object needs a type and an id of the form type--uuid";
            return null;
        }

        string? version = null;
        StixTimestamp at = default;
        foreach (var name in (ReadOnlySpan<string>)["modified", "created"])
        {
            if (Text(element, name) is { } text)
            {
                if (!StixTimestamp.TryParse(text, out at, out var reason))
                {
                    error = $"{name}: {reason}";
                    return null;
                }

                version = text;
                break;
            }
        }

        var row = new StixObjectRecord
        {
            Id = Common.RowIds.Next(),
            StixId = id,
            Type = type,
            SpecVersion = Text(element, "spec_version") ?? StixVersion.Current,
            Version = version ?? string.Empty,
            VersionAt = version is null ? default : Microseconds(new DateTimeOffset(at.UtcDateTime, TimeSpan.Zero)),
            Origin = origin,
            CreatedBy = createdBy,
            Json = element.GetRawText(),
        };
        SharedColumns.Apply(row, terms, localNode);
        return row;
    }

    /// <summary>The row for one object Ribat built itself, from the model it was serialised from: nothing to read back.</summary>
    internal static StixObjectRecord Describe(StixObject stix, string json, SharingTerms terms, Guid localNode, StixOrigin origin, Guid? createdBy)
    {
        var at = stix is StixCoreObject core ? core.Modified ?? core.Created : null;
        var row = new StixObjectRecord
        {
            Id = Common.RowIds.Next(),
            StixId = stix.Id,
            Type = stix.Type,
            SpecVersion = stix.SpecVersion ?? StixVersion.Current,
            Version = at?.ToString() ?? string.Empty,
            VersionAt = at is { } version ? Microseconds(new DateTimeOffset(version.UtcDateTime, TimeSpan.Zero)) : default,
            Origin = origin,
            CreatedBy = createdBy,
            Json = json,
        };
        SharedColumns.Apply(row, terms, localNode);
        return row;
    }

    /// <summary>
    /// Dates and adds <paramref name="added"/> to the context inside its open transaction; the caller saves and commits.
    /// Rows without a version of their own (SCOs) take their date added as their version.
    /// </summary>
    internal static async Task AddAsync(RibatDbContext db, IReadOnlyList<(StixObjectRecord Row, SharingTerms Terms)> added, Guid localNode, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (added.Count == 0)
        {
            return;
        }

        await DateAsync(db, added, clock, cancellationToken);
        db.StixObjects.AddRange(added.Select(a => a.Row));
        db.ShareGrants.AddRange(GrantsOf(added, localNode));
    }

    /// <summary>
    /// Gives each row a date added after the newest stored or still to be saved in this unit of work, under the
    /// node-wide lock, which is held until the transaction commits.
    /// </summary>
    private static async Task DateAsync(RibatDbContext db, IReadOnlyList<(StixObjectRecord Row, SharingTerms Terms)> added, TimeProvider clock, CancellationToken cancellationToken)
    {
        var next = await FirstFreeAsync(db, clock, cancellationToken);
        foreach (var (row, _) in added)
        {
            row.DateAdded = next;
            if (row.Version.Length == 0)
            {
                row.Version = Spell(next);
                row.VersionAt = next;
            }

            next = next.AddTicks(TicksPerMicrosecond);
        }
    }

    /// <summary>
    /// Dates the current versions of <paramref name="indicators"/> (ADR 0017): each row's <c>indicator</c> version at its
    /// <see cref="Indicators.Indicator.StixDateAdded"/>, its observable's one microsecond later, after the newest date
    /// used, under the node-wide lock held until the transaction commits.
    /// </summary>
    internal static async Task DateIndicatorsAsync(RibatDbContext db, IReadOnlyList<Indicators.Indicator> indicators, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (indicators.Count == 0)
        {
            return;
        }

        var next = await FirstFreeAsync(db, clock, cancellationToken);
        foreach (var row in indicators)
        {
            // A row recorded before versions were served from rows learns its observable's id when it is first dated.
            row.ObservableId ??= Indicators.ObservableIds.Of(row.Type, row.Value);
            row.StixDateAdded = next;
            next = IndicatorVersions.ObservableAdded(next).AddTicks(TicksPerMicrosecond);
        }

        db.LocalVersionsAdded = true;
    }

    /// <summary>
    /// Takes the node-wide date lock and answers the first free date added: now, or a microsecond after the newest
    /// version stored or pending in this unit of work, whichever is later. An indicator row's current versions use its
    /// date and the microsecond after it.
    /// </summary>
    private static async Task<DateTimeOffset> FirstFreeAsync(RibatDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        await db.LockAsync(NodeLock.StixDateAdded, cancellationToken);
        var newest = await db.StixObjects.IgnoreQueryFilters().AsNoTracking()
            .OrderByDescending(s => s.DateAdded)
            .Select(s => (DateTimeOffset?)s.DateAdded)
            .FirstOrDefaultAsync(cancellationToken);
        var row = await db.Indicators.IgnoreQueryFilters().AsNoTracking()
            .Where(i => i.StixDateAdded != null)
            .OrderByDescending(i => i.StixDateAdded)
            .Select(i => i.StixDateAdded)
            .FirstOrDefaultAsync(cancellationToken);
        var pending = db.ChangeTracker.Entries<StixObjectRecord>().Where(e => e.State == EntityState.Added).Select(e => (DateTimeOffset?)e.Entity.DateAdded)
            .Concat(db.ChangeTracker.Entries<Indicators.Indicator>().Where(e => e.State is EntityState.Added or EntityState.Modified).Select(e => e.Entity.StixDateAdded is { } added ? IndicatorVersions.ObservableAdded(added) : (DateTimeOffset?)null))
            .Append(newest)
            .Append(row is { } dated ? IndicatorVersions.ObservableAdded(dated) : null)
            .Max();
        var next = Microseconds(clock.GetUtcNow());
        return pending is { } last && next <= last ? last.AddTicks(TicksPerMicrosecond) : next;
    }

    private static IEnumerable<ShareGrant> GrantsOf(IReadOnlyList<(StixObjectRecord Row, SharingTerms Terms)> added, Guid localNode) =>
        added.Where(a => a.Terms.Recipients.Count > 0 || a.Terms.Permissions.CourtUse.Count > 0 || a.Terms.Permissions.OnwardSharing.Count > 0)
            .SelectMany(a => SharedColumns.Grants(a.Row.Id, a.Terms, localNode, a.Row.DateAdded));

    /// <summary>Removes every version of the STIX objects that stand for the Ribat objects <paramref name="ribatIds"/>, with their grants.</summary>
    internal static async Task RemoveForAsync(RibatDbContext db, IReadOnlyCollection<Guid> ribatIds, CancellationToken cancellationToken)
    {
        if (ribatIds.Count == 0)
        {
            return;
        }

        var ids = ribatIds.ToList();
        var rows = db.StixObjects.IgnoreQueryFilters().Where(s => s.RibatObjectId != null && ids.Contains(s.RibatObjectId.Value));
        await db.ShareGrants.Where(g => rows.Select(r => r.Id).Contains(g.ObjectId)).ExecuteDeleteAsync(cancellationToken);
        await rows.ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>A date added as TAXII spells it: RFC 3339 with microseconds.</summary>
    public static string Spell(DateTimeOffset instant) => StixTimestamp.FromDateTime(instant.UtcDateTime, 6).ToString();

    public static DateTimeOffset Microseconds(DateTimeOffset instant) =>
        new(instant.UtcTicks - (instant.UtcTicks % TicksPerMicrosecond), TimeSpan.Zero);

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
