using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Ribat.Core.Data;
using Ribat.Core.Node;
using Ribat.Hosting;

namespace Ribat.Cli;

/// <summary>
/// <c>ribat [serve] | admin … | audit … | intel … | analyze … | enrich … | hunt …</c>. Every failure is one line on stderr with exit code 2
/// <c>ribat [serve] | admin … | audit … | intel … | analyze … | enrich … | evidence … | verify … | taxii …</c>. Every failure is one line on stderr with exit code 2
/// (usage, input or environment) or 1 (refused, or verification failed).
/// </summary>
public static class RibatCli
{
    /// <summary>Host settings in <c>--key=value</c> form pass through to the web host (the test host sends these).</summary>
    private static readonly string[] HostSettingPrefixes = ["--contentRoot=", "--environment=", "--applicationName=", "--Ribat:", "--Ribat="];

    internal static readonly Option<string?> Data = new("--data")
    {
        Description = "Data directory (database, node key). Default: ./ribat-data, or RIBAT_DATA.",
        Recursive = true,
        HelpName = "DIR",
    };

    internal static readonly Option<string?> Database = new("--database")
    {
        Description = "PostgreSQL connection string (Host=…;Database=…;Username=…;Password=…), or RIBAT_DATABASE. Default: SQLite in the data directory.",
        Recursive = true,
        HelpName = "CONNECTION",
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var hostArgs = args.Where(a => HostSettingPrefixes.Any(p => a.StartsWith(p, StringComparison.Ordinal))).ToArray();
        var cliArgs = args.Except(hostArgs).ToArray();
        if (cliArgs.Length == 0 || (cliArgs[0].StartsWith('-') && cliArgs[0] is not ("-h" or "--help" or "-?" or "--version")))
        {
            cliArgs = ["serve", .. cliArgs];
        }

        var root = new RootCommand(
            "Ribat: investigate cybercrime, cooperate across borders and respond to incidents together.\n" +
            "Without a command, runs 'serve'. Exit codes: 0 ok, 1 refused or verification failed, 2 usage, input or environment error.");
        root.Options.Add(Data);
        root.Options.Add(Database);
        root.Subcommands.Add(ServeCommand.Create(hostArgs));
        root.Subcommands.Add(AdminCommands.Create());
        root.Subcommands.Add(AuditCommands.Create());
        root.Subcommands.Add(IntelCommands.Create());
        root.Subcommands.Add(AnalyzeCommands.Create());
        root.Subcommands.Add(EnrichCommand.Create());
        root.Subcommands.Add(EvidenceCommands.Create());
        root.Subcommands.Add(CaptureCommand.Create());
        root.Subcommands.Add(HuntCommand.Create());
        root.Subcommands.Add(VerifyCommand.Create());
        root.Subcommands.Add(ExerciseCommands.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(TaxiiCommands.Create());

        var parsed = root.Parse(cliArgs);
        if (parsed.Errors.Count > 0)
        {
            // "Required command was not provided" comes first for 'ribat frobnicate'; the unknown word is the news.
            var error = parsed.Errors.FirstOrDefault(e => parsed.UnmatchedTokens.Any(t => e.Message.Contains(t, StringComparison.Ordinal))) ?? parsed.Errors[0];
            return CliOutput.Fail($"{error.Message} (see 'ribat --help')");
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
        }
        catch (OperationCanceledException)
        {
            return CliOutput.Fail("cancelled.");
        }
        catch (Exception ex) when (ex is not HostAbortedException)
        {
            return CliOutput.Fail(ex is NodeStartupException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>The value of a <c>--key=value</c> host setting, or null.</summary>
    internal static string? HostSetting(string[] hostArgs, string key) =>
        hostArgs.LastOrDefault(a => a.StartsWith($"--{key}=", StringComparison.OrdinalIgnoreCase)) is { } arg ? arg[(key.Length + 3)..] : null;

    /// <summary>The data directory and database the command line (or environment) names, checked before use.</summary>
    /// <remarks>
    /// <paramref name="hostData"/> and <paramref name="hostDatabase"/> are the <c>--Ribat:Data=</c> and
    /// <c>--Ribat:Database=</c> host settings (the test host passes its settings that way); options win over them.
    /// </remarks>
    internal static Core.Common.Result<(string Directory, DatabaseOptions Database)> ResolveStorage(ParseResult parsed, string? hostData = null, string? hostDatabase = null)
    {
        var data = parsed.GetValue(Data) ?? hostData ?? Environment.GetEnvironmentVariable("RIBAT_DATA") ?? DataDirectory.Default;
        var prepared = DataDirectory.Prepare(data);
        if (prepared.Error is { } error)
        {
            return error;
        }

        var connection = parsed.GetValue(Database) ?? hostDatabase ?? Environment.GetEnvironmentVariable("RIBAT_DATABASE");
        if (!string.IsNullOrWhiteSpace(connection))
        {
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(connection);
            }
            catch (ArgumentException ex)
            {
                return Core.Common.Error.Validation("database", $"--database is not a valid PostgreSQL connection string: {ex.Message}");
            }
        }

        return (prepared.Value!, DatabaseOptions.Resolve(prepared.Value!, connection));
    }
}
