using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Data;

/// <summary>The embedded default. Its migrations live in <c>Data/Migrations/Sqlite</c>.</summary>
public sealed class SqliteRibatDbContext(DbContextOptions<SqliteRibatDbContext> options, TenantScope scope)
    : RibatDbContext(options, scope)
{
    public override bool IsPostgres => false;

    /// <summary>
    /// Numbers the indicators the save adds and adds their key-table entries (<see cref="Ribat.Core.Indicators.KeyTables"/>)
    /// inside the save's write transaction: the caller's, or one of its own.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var added = Ribat.Core.Indicators.KeyTables.Unnumbered(this);
        if (added.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        await using var transaction = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        Ribat.Core.Indicators.KeyTables.TrackAdded(this, added, await Ribat.Core.Indicators.KeyTables.NextSequenceAsync(this, cancellationToken));
        var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return saved;
    }

    /// <summary>Indicators are added through <see cref="SaveChangesAsync(bool, CancellationToken)"/> only, which numbers them.</summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        Ribat.Core.Indicators.KeyTables.Unnumbered(this).Count == 0
            ? base.SaveChanges(acceptAllChangesOnSuccess)
            : throw new InvalidOperationException("Indicators are added through SaveChangesAsync, which numbers them for the key tables.");

    private static readonly ValueConverter<DateTimeOffset, long> UtcMicroseconds = new(
        time => time.UtcTicks / 10,
        stored => new DateTimeOffset(stored * 10, TimeSpan.Zero));

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        Ribat.Core.Indicators.KeyTablesModel.Configure(builder);

        // SQLite has no date type: store instants as UTC microseconds since 0001-01-01, sortable integers
        // so range filters and ordering run in SQL, at the same precision as PostgreSQL.
        foreach (var property in builder.Model.GetEntityTypes().SelectMany(t => t.GetProperties()))
        {
            if (property.ClrType == typeof(DateTimeOffset) || property.ClrType == typeof(DateTimeOffset?))
            {
                property.SetValueConverter(UtcMicroseconds);
            }
        }
    }
}

/// <summary>PostgreSQL at scale. Its migrations live in <c>Data/Migrations/Postgres</c>.</summary>
public sealed class PostgresRibatDbContext(DbContextOptions<PostgresRibatDbContext> options, TenantScope scope)
    : RibatDbContext(options, scope)
{
    public override bool IsPostgres => true;
}

/// <summary>Lets <c>dotnet ef migrations add … --context SqliteRibatDbContext</c> build the model.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteRibatDbContext>
{
    public SqliteRibatDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteRibatDbContext>().UseSqlite("Data Source=design-time.db").Options, TenantScope.NodeWide("design time"));
}

/// <summary>Lets <c>dotnet ef migrations add … --context PostgresRibatDbContext</c> build the model; it never connects.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresRibatDbContext>
{
    public PostgresRibatDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresRibatDbContext>().UseNpgsql("Host=localhost;Database=ribat_design").Options, TenantScope.NodeWide("design time"));
}
