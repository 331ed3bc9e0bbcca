using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;
using Ribat.Forensics.Ioc;

namespace Ribat.Core.Indicators;

/// <summary>A MISP-format warning list loaded into this node. Node-wide reference data, not owned by an organisation.</summary>
public sealed class WarningListRecord
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public required string Version { get; set; }

    public required string Description { get; set; }

    public required string Kind { get; set; }

    public int EntryCount { get; set; }

    /// <summary>The list as loaded (MISP JSON), so every instance builds the same index.</summary>
    public required string Source { get; set; }

    public bool Enabled { get; set; } = true;

    public DateTimeOffset LoadedAt { get; set; }
}

public sealed record WarningListDto(Guid? Id, string Name, string Version, string Description, string Kind, int Entries, bool Enabled, bool BuiltIn, DateTimeOffset? LoadedAt);

/// <summary>
/// The warning lists in force: the built-in ones (private, reserved and documentation ranges…) plus every
/// enabled list loaded into the database. The index is rebuilt when the stored lists change; instances
/// sharing a database notice within <see cref="RefreshInterval"/>.
/// </summary>
public sealed class WarningLists(RibatDatabase database, AuditTrail audit, TimeProvider clock)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    /// <summary>16 MiB: the largest upstream lists are a few MiB.</summary>
    public const int MaxListBytes = 16 * 1024 * 1024;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (WarningListIndex Index, string Stamp, DateTimeOffset CheckedAt)? _current;

    public async Task<WarningListIndex> IndexAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        if (_current is { } fresh && now - fresh.CheckedAt < RefreshInterval)
        {
            return fresh.Index;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var db = database.Open(TenantScope.NodeWide("warning lists"));
            var stored = db.Set<WarningListRecord>().AsNoTracking().Where(l => l.Enabled);
            var stamp = $"{await stored.CountAsync(cancellationToken)}:{await stored.MaxAsync(l => (DateTimeOffset?)l.LoadedAt, cancellationToken)}";
            if (_current is { } known && known.Stamp == stamp)
            {
                _current = known with { CheckedAt = now };
                return known.Index;
            }

            var lists = new List<WarningList>(WarningList.BuiltIn());
            foreach (var source in await stored.Select(l => l.Source).ToListAsync(cancellationToken))
            {
                if (WarningList.TryParse(System.Text.Encoding.UTF8.GetBytes(source), out var list, out _))
                {
                    lists.Add(list!);
                }
            }

            var index = WarningListIndex.Build(lists);
            _current = (index, stamp, now);
            return index;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<WarningListDto>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = database.Open(TenantScope.NodeWide("warning lists"));
        var stored = await db.Set<WarningListRecord>().AsNoTracking().OrderBy(l => l.Name).ToListAsync(cancellationToken);
        return WarningList.BuiltIn()
            .Select(l => new WarningListDto(null, l.Name, l.Version, l.Description, l.Kind.ToString().ToLowerInvariant(), l.Entries.Count, true, true, null))
            .Concat(stored.Select(l => new WarningListDto(l.Id, l.Name, l.Version, l.Description, l.Kind, l.EntryCount, l.Enabled, false, l.LoadedAt)))
            .ToList();
    }

    /// <summary>Loads (or replaces, by name) one MISP-format list. Node administrators only.</summary>
    public async Task<Result<WarningListDto>> ImportAsync(Actor actor, ReadOnlyMemory<byte> json, CancellationToken cancellationToken = default)
    {
        if (!actor.IsNodeAdmin)
        {
            return Error.Forbidden("Only node administrators load warning lists.");
        }

        if (actor.RequireWrite() is { } readOnly)
        {
            return readOnly;
        }

        if (json.Length > MaxListBytes)
        {
            return Error.Validation("file", $"A warning list is at most {MaxListBytes / (1024 * 1024)} MiB.");
        }

        if (!WarningList.TryParse(json.Span, out var list, out var reason))
        {
            return Error.Validation("file", $"Not a MISP warning list: {reason}");
        }

        if (WarningList.BuiltIn().Any(b => b.Name == list!.Name))
        {
            return Error.Conflict($"'{list!.Name}' is a built-in list; give the loaded list another name.");
        }

        await using var db = database.Open(TenantScope.NodeWide("warning lists"));
        var row = await db.Set<WarningListRecord>().FirstOrDefaultAsync(l => l.Name == list!.Name, cancellationToken);
        var kind = list!.Kind.ToString().ToLowerInvariant();
        if (row is null)
        {
            row = new WarningListRecord { Id = Guid.CreateVersion7(), Name = list.Name, Version = list.Version, Description = list.Description, Kind = kind, Source = string.Empty };
            db.Add(row);
        }

        row.Version = list.Version;
        row.Description = list.Description.Length > 2000 ? list.Description[..2000] : list.Description;
        row.Kind = kind;
        row.EntryCount = list.Entries.Count;
        row.Source = System.Text.Encoding.UTF8.GetString(json.Span);
        row.Enabled = true;
        row.LoadedAt = clock.GetUtcNow();
        audit.Add(db, actor, AuditEvents.WarningListLoaded, actor.OrganisationId, "warning-list", row.Id.ToString(), new { list.Name, list.Version, entries = list.Entries.Count });
        await db.SaveChangesAsync(cancellationToken);
        _current = null;
        return new WarningListDto(row.Id, row.Name, row.Version, row.Description, row.Kind, row.EntryCount, row.Enabled, false, row.LoadedAt);
    }

    public async Task<Result<WarningListDto>> SetEnabledAsync(Actor actor, Guid id, bool enabled, CancellationToken cancellationToken = default)
    {
        if (!actor.IsNodeAdmin)
        {
            return Error.Forbidden("Only node administrators change warning lists.");
        }

        if (actor.RequireWrite() is { } readOnly)
        {
            return readOnly;
        }

        await using var db = database.Open(TenantScope.NodeWide("warning lists"));
        var row = await db.Set<WarningListRecord>().FirstOrDefaultAsync(l => l.Id == id, cancellationToken);
        if (row is null)
        {
            return Error.NotFound("The warning list");
        }

        row.Enabled = enabled;
        row.LoadedAt = clock.GetUtcNow();
        audit.Add(db, actor, AuditEvents.WarningListChanged, actor.OrganisationId, "warning-list", row.Id.ToString(), new { row.Name, enabled });
        await db.SaveChangesAsync(cancellationToken);
        _current = null;
        return new WarningListDto(row.Id, row.Name, row.Version, row.Description, row.Kind, row.EntryCount, row.Enabled, false, row.LoadedAt);
    }
}
