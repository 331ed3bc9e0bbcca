using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data.Bulk;
using Ribat.Core.Indicators;

namespace Ribat.Core.Data;

/// <summary>
/// Changes to stored data that SQL cannot make, run by the node right after the migrations. A migration that needs
/// one leaves its name in <c>node_settings</c> (<see cref="Pending"/>); the step runs in one transaction and removes
/// the name in it, so an interrupted step runs again whole at the next start.
/// </summary>
internal static class StoreUpgrades
{
    /// <summary>The prefix of a pending step's key in <c>node_settings</c>.</summary>
    public const string Pending = "upgrade:";

    /// <summary>Correlation keys become the first 64 bits of the observable's id (<see cref="CorrelationKeys.Key"/>).</summary>
    public const string ValueKeysFromObservables = Pending + "value-keys-from-observables";

    private static readonly BulkTable<Rekeyed> Table = new("rekeyed", ["Id", "ValueKey", "DuplicateKey"], (sink, row) =>
    {
        sink.Uuid(row.Id);
        sink.Int64(row.ValueKey);
        sink.Int64(row.DuplicateKey);
    });

    /// <summary>Runs the pending steps; <paramref name="progress"/> hears what each did.</summary>
    public static async Task RunAsync(RibatDbContext db, Action<string>? progress, CancellationToken cancellationToken)
    {
        var pending = await db.NodeSettings.AsNoTracking().Where(s => s.Key.StartsWith(Pending)).Select(s => s.Key).ToListAsync(cancellationToken);
        if (pending.Contains(ValueKeysFromObservables))
        {
            await RekeyAsync(db, progress, cancellationToken);
        }
    }

    /// <summary>
    /// Computes every stored correlation key again from the type and value beside it: indicators (value and duplicate
    /// keys), sightings and case subjects. The value index is dropped while the keys are written and built again after,
    /// which is faster than moving each entry.
    /// </summary>
    private static async Task RekeyAsync(RibatDbContext db, Action<string>? progress, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // Nothing records or changes a value while the keys are computed (on SQLite dropping the index takes the write lock).
        if (db.IsPostgres)
        {
            await db.Database.ExecuteSqlRawAsync("LOCK TABLE indicators, sightings, case_subjects IN EXCLUSIVE MODE", cancellationToken);
        }

        // On SQLite the value index is a key table in three parts (ADR 0019), filled again below.
        if (db.IsPostgres)
        {
            await db.Database.ExecuteSqlRawAsync("DROP INDEX \"IX_indicators_ValueKey_DuplicateKey\"", cancellationToken);
        }

        var indicators = new List<Rekeyed>();
        await foreach (var row in db.Indicators.IgnoreQueryFilters().AsNoTracking().Select(i => new { i.Id, i.Type, i.Value, i.DuplicateKey }).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var key = CorrelationKeys.Key(row.Type, row.Value);
            indicators.Add(new Rekeyed(row.Id, key, CorrelationKeys.WithValueKey(row.DuplicateKey, row.Type, key)));
        }

        var sightings = new List<Rekeyed>();
        await foreach (var row in db.Sightings.IgnoreQueryFilters().AsNoTracking().Select(s => new { s.Id, s.Type, s.Value }).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            sightings.Add(new Rekeyed(row.Id, CorrelationKeys.Key(row.Type, row.Value), 0));
        }

        var subjects = new List<Rekeyed>();
        await foreach (var row in db.CaseSubjects.IgnoreQueryFilters().AsNoTracking().Where(s => s.ValueKey != null && s.ValueType != null && s.Value != null)
            .Select(s => new { s.Id, s.ValueType, s.Value }).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            subjects.Add(new Rekeyed(row.Id, CorrelationKeys.Key(row.ValueType!, row.Value!), 0));
        }

        await db.Database.ExecuteSqlRawAsync(db.IsPostgres
            ? "CREATE TEMPORARY TABLE rekeyed (\"Id\" uuid PRIMARY KEY, \"ValueKey\" bigint NOT NULL, \"DuplicateKey\" bigint NOT NULL)"
            : "CREATE TEMPORARY TABLE rekeyed (\"Id\" TEXT PRIMARY KEY, \"ValueKey\" INTEGER NOT NULL, \"DuplicateKey\" INTEGER NOT NULL)", cancellationToken);
        await UpdateAsync(db, "indicators", "\"ValueKey\" = r.\"ValueKey\", \"DuplicateKey\" = r.\"DuplicateKey\"", indicators, cancellationToken);
        if (db.IsPostgres)
        {
            await db.Database.ExecuteSqlRawAsync("CREATE INDEX \"IX_indicators_ValueKey_DuplicateKey\" ON indicators (\"ValueKey\", \"DuplicateKey\")", cancellationToken);
        }
        else
        {
            await Indicators.KeyTables.RefillValuesAsync(db, cancellationToken);
        }

        await UpdateAsync(db, "sightings", "\"ValueKey\" = r.\"ValueKey\"", sightings, cancellationToken);
        await UpdateAsync(db, "case_subjects", "\"ValueKey\" = r.\"ValueKey\"", subjects, cancellationToken);
        await db.Database.ExecuteSqlRawAsync("DROP TABLE rekeyed", cancellationToken);
        await db.NodeSettings.Where(s => s.Key == ValueKeysFromObservables).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        progress?.Invoke($"Correlation keys derived from observable ids: {indicators.Count:N0} indicators, {sightings.Count:N0} sightings, {subjects.Count:N0} case subjects in {started.Elapsed.TotalSeconds:N1} s");
    }

    private static async Task UpdateAsync(RibatDbContext db, string table, string assignments, List<Rekeyed> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await db.Database.ExecuteSqlRawAsync("DELETE FROM rekeyed", cancellationToken);
        await BulkWriter.WriteAsync(db, Table, rows, cancellationToken);
        // Both names are this class's constants.
        var update = $"UPDATE {table} SET {assignments} FROM rekeyed AS r WHERE {table}.\"Id\" = r.\"Id\"";
        await db.Database.ExecuteSqlRawAsync(update, cancellationToken);
    }

    private readonly record struct Rekeyed(Guid Id, long ValueKey, long DuplicateKey);
}
