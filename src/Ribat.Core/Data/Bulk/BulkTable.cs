using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Ribat.Core.Data.Bulk;

/// <summary>
/// Where one row's values go, column after column, in the order of <see cref="BulkTable{T}.Columns"/>. The widths are
/// the database's: PostgreSQL's binary COPY needs to know an <c>integer</c> from a <c>bigint</c>; SQLite stores both alike.
/// </summary>
internal interface IRowSink
{
    void Uuid(Guid? value);

    void Int32(int value);

    void Int64(long value);

    void Bool(bool value);

    void Time(DateTimeOffset? value);

    void Text(string? value);

    /// <summary>A list of strings: <c>text[]</c> on PostgreSQL, a JSON array on SQLite (as EF maps a primitive collection).</summary>
    void TextList(List<string> values);
}

/// <summary>A table written past the ORM: its name, the mapped columns it writes, and how a row binds them in that order.</summary>
internal sealed class BulkTable<T>(string name, string[] columns, Action<IRowSink, T> bind)
{
    public string Name { get; } = name;

    public string[] Columns { get; } = columns;

    public void Bind(IRowSink sink, T row) => bind(sink, row);

    public string ColumnList => string.Join(", ", Columns.Select(c => $"\"{c}\""));
}

/// <summary>The sharing columns every shared object maps (<see cref="Sharing.Storage.ISharedObject"/>), in one order.</summary>
internal static class SharedBulkColumns
{
    public static readonly string[] Names =
        ["OwnerOrganisationId", "OwnerNode", "Tlp", "Pap", "Distribution", "SharingGroupId", "Handling", "HandlingConditions", "Evaluation"];

    public static void Bind(IRowSink sink, Sharing.Storage.ISharedObject row)
    {
        sink.Uuid(row.OwnerOrganisationId);
        sink.Uuid(row.OwnerNode);
        sink.Int32((int)row.Tlp);
        sink.Int32((int)row.Pap);
        sink.Int32((int)row.Distribution);
        sink.Uuid(row.SharingGroupId);
        sink.Int32((int)row.Handling);
        sink.Text(row.HandlingConditions);
        sink.Text(row.Evaluation);
    }
}

/// <summary>
/// Writes many rows inside the caller's transaction at the speed the database allows: one prepared statement stepped
/// per row on SQLite, binary COPY on PostgreSQL. EF's change tracker is bypassed on purpose (it costs more than the
/// insert), so every table written here has a test that round-trips each column through EF.
/// </summary>
internal static class BulkWriter
{
    public static async Task WriteAsync<T>(RibatDbContext db, BulkTable<T> table, IReadOnlyList<T> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException($"Rows of {table.Name} are written inside the caller's transaction.");
        }

        var connection = db.Database.GetDbConnection();
        if (db.IsPostgres)
        {
            await CopyRows.WriteAsync((NpgsqlConnection)connection, table, rows, cancellationToken);
        }
        else
        {
            SqliteRows.Insert((SqliteConnection)connection, table, rows, cancellationToken);
        }
    }
}
