using System.CommandLine;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Ribat.Core.Data;
using Ribat.Hosting;

namespace Ribat.Cli;

/// <summary><c>ribat serve</c>: the node (UI, API, health) until Ctrl+C. The default command.</summary>
internal static class ServeCommand
{
    private static readonly Option<string?> Urls = new("--urls")
    {
        Description = $"Where to listen, ';'-separated. Default: {NodeSettings.DefaultUrls}, or RIBAT_URLS.",
        HelpName = "URLS",
    };

    private static readonly Option<bool> NoMigrate = new("--no-migrate")
    {
        Description = "Do not apply database migrations at start (refuse to start if any are pending).",
    };

    public static Command Create(string[] hostArgs)
    {
        var serve = new Command("serve", "Start the node: web UI, REST API (/api/v1) and health endpoints.");
        serve.Options.Add(Urls);
        serve.Options.Add(NoMigrate);
        serve.SetAction((parsed, ct) => RunAsync(parsed, hostArgs, ct));
        return serve;
    }

    private static async Task<int> RunAsync(ParseResult parsed, string[] hostArgs, CancellationToken ct)
    {
        var urls = parsed.GetValue(Urls) ?? Environment.GetEnvironmentVariable("RIBAT_URLS") ?? NodeSettings.DefaultUrls;
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url.Replace("*", "0.0.0.0", StringComparison.Ordinal).Replace("+", "0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
            {
                return CliOutput.Fail($"--urls: '{url}' is not an address to listen on (for example http://127.0.0.1:5080).");
            }
        }

        var storage = RibatCli.ResolveStorage(parsed, RibatCli.HostSetting(hostArgs, NodeSettings.DataKey), RibatCli.HostSetting(hostArgs, NodeSettings.DatabaseKey));
        if (storage.Error is { } storageError)
        {
            return CliOutput.Fail(storageError);
        }

        var settings = new Dictionary<string, string?>
        {
            ["urls"] = urls,
            [NodeSettings.DataKey] = storage.Value.Directory,
            [NodeSettings.DatabaseKey] = storage.Value.Database.Provider == DatabaseProvider.Postgres ? storage.Value.Database.ConnectionString : string.Empty,
            [NodeSettings.MigrateKey] = parsed.GetValue(NoMigrate) ? "false" : "true",
        };

        await using var app = RibatWebHost.Build(hostArgs, settings);
        try
        {
            await app.StartAsync(ct);
        }
        catch (NodeStartupException ex)
        {
            return CliOutput.Fail(ex.Message);
        }
        catch (IOException ex) when (ex.InnerException is SocketException || ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            return CliOutput.Fail($"cannot listen on {urls}: the address is already in use or not available.");
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        Console.Out.WriteLine($"Ribat is listening on {string.Join(", ", addresses)}  (data: {storage.Value.Directory}; database: {storage.Value.Database.Describe()})");
        await app.WaitForShutdownAsync(CancellationToken.None);
        return ExitCodes.Ok;
    }
}
