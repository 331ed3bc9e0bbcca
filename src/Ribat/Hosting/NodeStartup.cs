using Microsoft.Extensions.Hosting;
using Ribat.Core.Audit;
using Ribat.Core.Data;
using Ribat.Core.Node;
using Ribat.Core.Tenancy;

namespace Ribat.Hosting;

/// <summary>
/// Runs before the server binds its port: proves the data directory writable, migrates the database
/// (unless told not to), loads or generates the node key, and creates the node administrator on first start.
/// A failure stops the start with one clear message (<see cref="NodeStartupException"/>).
/// </summary>
internal sealed class NodeStartup(
    NodeSettings settings,
    RibatDatabase database,
    NodeBootstrap bootstrap,
    AuditTrail audit,
    NodeIdentity identity,
    ILogger<NodeStartup> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var directory = DataDirectory.Prepare(settings.DataDirectory);
        if (directory.Error is { } notWritable)
        {
            throw new NodeStartupException(notWritable.Message);
        }

        if (settings.Migrate)
        {
            var migrated = await database.MigrateAsync(cancellationToken, step => logger.LogInformation("{Step}", step));
            if (migrated.Error is { } unreachable)
            {
                throw new NodeStartupException(unreachable.Message);
            }

            if (migrated.Value > 0)
            {
                await audit.WriteAsync(Actor.System("node start"), AuditEvents.DatabaseMigrated, null, "node", null, new { applied = migrated.Value }, cancellationToken);
                logger.LogInformation("Applied {Count} database migration(s) to {Database}", migrated.Value, database.Options.Describe());
            }
        }
        else if (!await database.IsReadyAsync(cancellationToken))
        {
            throw new NodeStartupException($"The database ({database.Options.Describe()}) is unreachable or not migrated; run 'ribat admin migrate' or start without --no-migrate.");
        }

        var key = NodeKey.LoadOrCreate(directory.Value!);
        if (key.Error is { } keyError)
        {
            throw new NodeStartupException(keyError.Message);
        }

        identity.Key = key.Value;
        if (key.Value!.Created)
        {
            logger.LogInformation("Generated the node key {Fingerprint}", key.Value.Fingerprint);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The first administrator is created only once the port is bound: a start that fails to bind must not
    /// print (and so lose) the one-time password of an account it created.
    /// </summary>
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var outcome = await bootstrap.RunAsync(settings.AdminEmail, settings.AdminPassword, identity.Key!.Fingerprint, cancellationToken);
        if (outcome.Error is { } bootstrapError)
        {
            throw new NodeStartupException(bootstrapError.Message);
        }

        if (outcome.Value is { } created)
        {
            // Printed once, to the operator's terminal only; it is never logged or stored.
            Console.Out.WriteLine();
            Console.Out.WriteLine($"Node administrator: {created.AdminEmail}");
            Console.Out.WriteLine(created.GeneratedPassword is { } password
                ? $"One-time password:  {password}   (shown once; you must change it at first sign-in)"
                : "Password:           the value of RIBAT_ADMIN_PASSWORD (you must change it at first sign-in)");
            Console.Out.WriteLine();
        }

        identity.Ready = true;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The node key once loaded, and whether start-up (including the first administrator) finished.</summary>
public sealed class NodeIdentity
{
    public NodeKey? Key { get; set; }

    public bool Ready { get; set; }
}

/// <summary>A start-up failure whose message is the whole story: the CLI prints it as one line.</summary>
public sealed class NodeStartupException(string message) : Exception(message);
