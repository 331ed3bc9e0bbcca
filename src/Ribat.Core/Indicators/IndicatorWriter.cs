using Microsoft.Data.Sqlite;
using Ribat.Core.Data;
using Ribat.Core.Data.Bulk;
using SQLitePCL;

namespace Ribat.Core.Indicators;

/// <summary>
/// Writes many indicators inside the caller's transaction through <see cref="BulkWriter"/> (a prepared statement on
/// SQLite, binary COPY on PostgreSQL). The columns written here are the columns the model maps, and a test round-trips
/// every property through EF to keep the two in step. The duplicate probe of a batch on SQLite lives here too, because
/// it steps a prepared statement through the same native calls.
/// </summary>
internal static class IndicatorWriter
{
    private static readonly BulkTable<Indicator> Table = new("indicators",
    [
        "Id", .. SharedBulkColumns.Names, "Type", "Value", "Display", "ValueKey", "DuplicateKey", "Address", "RegisteredDomain", "Pattern",
        "ReportId", "Comment", "Tags", "Confidence", "ValidFrom", "ValidUntil", "FirstSeen", "LastSeen", "ForDetection", "WarningList", "WarningSuppressed",
        "FalsePositive", "SourceId", "CreatedBy", "CreatedAt", "UpdatedAt", "StixDateAdded", "ObservableId",
    ], Bind);

    /// <summary>On SQLite the same columns and the row's sequence number (<see cref="KeyTables.Sequence"/>).</summary>
    private static readonly BulkTable<KeyTables.Sequenced> SqliteTable = new(Table.Name, [.. Table.Columns, KeyTables.Sequence], (sink, entry) =>
    {
        Bind(sink, entry.Row);
        sink.Int64(entry.Seq);
    });

    /// <summary>Writes <paramref name="rows"/>; on SQLite numbered in order, with their entries in the recent parts of the key tables.</summary>
    public static async Task WriteAsync(RibatDbContext db, IReadOnlyList<Indicator> rows, CancellationToken cancellationToken)
    {
        if (db.IsPostgres)
        {
            await BulkWriter.WriteAsync(db, Table, rows, cancellationToken);
            return;
        }

        if (rows.Count == 0)
        {
            return;
        }

        var next = await KeyTables.NextSequenceAsync(db, cancellationToken);
        var numbered = rows.Select((row, i) => new KeyTables.Sequenced(row, next + i)).ToList();
        await BulkWriter.WriteAsync(db, SqliteTable, numbered, cancellationToken);
        await KeyTables.WriteRecentAsync(db, numbered, cancellationToken);
    }

    private static void Bind(IRowSink sink, Indicator row)
    {
        sink.Uuid(row.Id);
        SharedBulkColumns.Bind(sink, row);
        sink.Text(row.Type);
        sink.Text(row.Value);
        sink.Text(row.Display);
        sink.Int64(row.ValueKey);
        sink.Int64(row.DuplicateKey);
        sink.Text(row.Address);
        sink.Text(row.RegisteredDomain);
        sink.Text(row.Pattern);
        sink.Uuid(row.ReportId);
        sink.Text(row.Comment);
        sink.TextList(row.Tags);
        sink.Int32(row.Confidence);
        sink.Time(row.ValidFrom);
        sink.Time(row.ValidUntil);
        sink.Time(row.FirstSeen);
        sink.Time(row.LastSeen);
        sink.Bool(row.ForDetection);
        sink.Text(row.WarningList);
        sink.Bool(row.WarningSuppressed);
        sink.Bool(row.FalsePositive);
        sink.Text(row.SourceId);
        sink.Uuid(row.CreatedBy);
        sink.Time(row.CreatedAt);
        sink.Time(row.UpdatedAt);
        sink.Time(row.StixDateAdded);
        sink.Text(row.ObservableId);
    }

    /// <summary>
    /// The owner's rows holding each (value key, duplicate key) pair, as (type, value key, report): one prepared
    /// statement stepped per pair, each step one probe of each part of the value index.
    /// </summary>
    public static List<(string Type, long ValueKey, Guid? Report)> Probe(SqliteConnection connection, Guid owner, IReadOnlyList<(long ValueKey, long DuplicateKey)> pairs, CancellationToken cancellationToken)
    {
        var db = connection.Handle!;
        // The value index is the three parts of a key table (KeyTables), read through their view.
        const string Sql = $"""
            SELECT i."Type", i."ReportId" FROM {KeyTables.AllValues} AS k JOIN indicators AS i ON i."{KeyTables.Sequence}" = k."{KeyTables.Sequence}"
            WHERE k."ValueKey" = ?1 AND k."DuplicateKey" = ?2 AND i."OwnerOrganisationId" = ?3
            """;
        SqliteRows.Check(raw.sqlite3_prepare_v2(db, Sql, out var statement), db);
        var found = new List<(string, long, Guid?)>();
        using (statement)
        {
            SqliteRows.BindGuid(statement, 3, owner);
            foreach (var (valueKey, duplicateKey) in pairs)
            {
                cancellationToken.ThrowIfCancellationRequested();
                raw.sqlite3_bind_int64(statement, 1, valueKey);
                raw.sqlite3_bind_int64(statement, 2, duplicateKey);
                int stepped;
                while ((stepped = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
                {
                    var report = raw.sqlite3_column_type(statement, 1) == raw.SQLITE_NULL ? (Guid?)null : Guid.Parse(raw.sqlite3_column_text(statement, 1).utf8_to_string());
                    found.Add((raw.sqlite3_column_text(statement, 0).utf8_to_string(), valueKey, report));
                }

                raw.sqlite3_reset(statement);
                if (stepped != raw.SQLITE_DONE)
                {
                    SqliteRows.Check(stepped, db);
                }
            }
        }

        return found;
    }
}
