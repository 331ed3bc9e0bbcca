using System.CommandLine;
using Ribat.Core;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;

namespace Ribat.Cli;

/// <summary>
/// The services an admin command needs, without the web host, over the same data directory or PostgreSQL
/// database as <c>serve</c>; safe to use while the server runs (SQLite in WAL mode, PostgreSQL as usual).
/// </summary>
internal sealed class AdminContext : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private AdminContext(ServiceProvider services) => _services = services;

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public static async Task<Result<AdminContext>> OpenAsync(ParseResult parsed, bool requireMigrated, CancellationToken ct)
    {
        var storage = RibatCli.ResolveStorage(parsed);
        if (storage.Error is { } error)
        {
            return error;
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRibatCore(storage.Value.Database);
        services.Configure<Core.Evidence.EvidenceStoreOptions>(o => o.Directory = Core.Evidence.EvidenceStore.DirectoryIn(storage.Value.Directory));
        var context = new AdminContext(services.BuildServiceProvider());
        if (requireMigrated && !await context.Get<RibatDatabase>().IsReadyAsync(ct))
        {
            await context.DisposeAsync();
            return new Error(ErrorKind.Validation, "database-not-ready",
                $"The database ({storage.Value.Database.Describe()}) is unreachable or not migrated; start the node once or run 'ribat admin migrate'.");
        }

        return context;
    }

    /// <summary>Opens the context, runs <paramref name="action"/> with it, and turns a failure to open into one line and exit 2.</summary>
    public static async Task<int> RunAsync(ParseResult parsed, bool requireMigrated, CancellationToken ct, Func<AdminContext, Task<int>> action)
    {
        var opened = await OpenAsync(parsed, requireMigrated, ct);
        if (opened.Error is { } error)
        {
            return CliOutput.Fail(error);
        }

        await using var admin = opened.Value!;
        return await action(admin);
    }

    /// <summary>Applies migrations and records it in the audit log when any were pending.</summary>
    public async Task<Result<int>> MigrateAsync(Actor actor, CancellationToken ct)
    {
        var applied = await Get<RibatDatabase>().MigrateAsync(ct, step => Console.Out.WriteLine(step));
        if (applied.IsSuccess && applied.Value > 0)
        {
            await Get<AuditTrail>().WriteAsync(actor, AuditEvents.DatabaseMigrated, null, "node", null, new { applied = applied.Value }, ct);
        }

        return applied;
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
