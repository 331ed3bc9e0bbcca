using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Ribat.Core.Common;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Data;

/// <summary>
/// Opens database contexts for a tenant scope. Use cases open one context per operation with the
/// actor's scope, so Blazor circuits and API requests never share a long-lived context.
/// </summary>
public sealed class RibatDatabase
{
    private readonly DbContextOptions<SqliteRibatDbContext>? _sqlite;
    private readonly DbContextOptions<PostgresRibatDbContext>? _postgres;

    /// <remarks>
    /// A list a query tests a column against (<c>ids.Contains(row.Id)</c>) travels as one parameter, which SQLite reads
    /// with <c>json_each</c> and PostgreSQL as an array. With one parameter per element, EF wrote the statement's SQL
    /// again on every execution, since it depended on the list's length: about 6 % of a TAXII page's server time in a
    /// profile.
    /// </remarks>
    public RibatDatabase(DatabaseOptions options)
    {
        Options = options;
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            SqliteProcessSetup.Apply();
            _sqlite = new DbContextOptionsBuilder<SqliteRibatDbContext>().UseSqlite(options.ConnectionString, o => o.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter)).AddInterceptors(new SqliteConnectionSetup(), new Federation.Sync.LocalVersionsInterceptor()).Options;
        }
        else
        {
            _postgres = new DbContextOptionsBuilder<PostgresRibatDbContext>().UseNpgsql(WithPreparedStatements(options.ConnectionString), o => o.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter)).AddInterceptors(new Federation.Sync.LocalVersionsInterceptor()).Options;
        }
    }

    public DatabaseOptions Options { get; }

    /// <summary>
    /// Unless the operator chose otherwise, lets Npgsql prepare the statements a connection runs repeatedly, so that
    /// PostgreSQL parses and plans the sharing predicate once per connection instead of once per query (a search
    /// runs about ten of them). An explicit <c>Max Auto Prepare</c> in the connection string wins, including 0 for a
    /// pooler that cannot keep prepared statements.
    /// </summary>
    internal static string WithPreparedStatements(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>();
        if (given.Any(k => k.Replace(" ", string.Empty, StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)))
        {
            return connectionString;
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.MaxAutoPrepare = 100;
        builder.AutoPrepareMinUsages = 2;
        return builder.ConnectionString;
    }

    public RibatDbContext Open(TenantScope scope) =>
        _sqlite is not null ? new SqliteRibatDbContext(_sqlite, scope) : new PostgresRibatDbContext(_postgres!, scope);

    public RibatDbContext Open(Actor actor) => Open(actor.Scope);

    /// <summary>
    /// Applies pending migrations, then the data steps they left for the node (<see cref="StoreUpgrades"/>), telling
    /// <paramref name="progress"/> what each step did; returns how many migrations were applied.
    /// </summary>
    public async Task<Result<int>> MigrateAsync(CancellationToken cancellationToken = default, Action<string>? progress = null)
    {
        try
        {
            await using var db = Open(TenantScope.NodeWide("migration"));
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            await db.Database.MigrateAsync(cancellationToken);
            if (!db.IsPostgres)
            {
                // WAL lets the CLI write while the server reads and writes.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }

            await StoreUpgrades.RunAsync(db, progress, cancellationToken);
            return pending;
        }
        catch (Exception ex) when (IsConnectionFault(ex))
        {
            return new Error(ErrorKind.Validation, "database-unreachable", $"Cannot open the database ({Options.Describe()}): {FirstLine(ex)}");
        }
    }

    /// <summary>Ready means reachable with every migration applied.</summary>
    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = Open(TenantScope.None);
            return await db.Database.CanConnectAsync(cancellationToken)
                && !(await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any();
        }
        catch (Exception ex) when (IsConnectionFault(ex))
        {
            return false;
        }
    }

    /// <summary>A database or network failure, possibly wrapped (EF wraps provider errors); not any bug that happens during migration.</summary>
    public static bool IsConnectionFault(Exception ex) =>
        ex is SqliteException or NpgsqlException or System.Net.Sockets.SocketException or TimeoutException
            || ex.InnerException is not null && IsConnectionFault(ex.InnerException);

    private static string FirstLine(Exception ex)
    {
        var inner = ex;
        while (inner.InnerException is not null && inner is InvalidOperationException)
        {
            inner = inner.InnerException;
        }

        return inner.Message.Split('\n')[0].Trim();
    }
}
