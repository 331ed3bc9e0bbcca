using System.CommandLine;
using Ribat.Core.Indicators;
using Ribat.Core.Tenancy;
using Ribat.Core.Tenancy.Organisations;
using Ribat.Forensics.Detection;
using Ribat.Forensics.Hunting;
using Ribat.Forensics.Ioc;

namespace Ribat.Cli;

/// <summary>
/// <c>ribat hunt PATH…</c>: Sigma rules, indicators and unauthorized-access rules over logs on this machine (EVTX, syslog,
/// access logs, JSON lines, CSV; files, folders, zip and gzip). Nothing is stored; indicators may come from the store.
/// </summary>
internal static class HuntCommand
{
    private static readonly Argument<string[]> Paths = new("PATH") { Description = "Log files, folders (searched recursively) and zip or gzip archives; formats are recognised by content.", Arity = ArgumentArity.OneOrMore };
    private static readonly Option<string[]> Sigma = new("--sigma") { Description = "A Sigma rules folder (searched recursively; deprecated and unsupported folders skipped) or rule file; repeatable.", HelpName = "PATH", AllowMultipleArgumentsPerToken = true };
    private static readonly Option<string?> Iocs = new("--iocs") { Description = "An indicator file: one per line (IP, CIDR, domain, host, URL, e-mail, MD5/SHA-1/SHA-256/SHA-512), type from its shape.", HelpName = "FILE" };
    private static readonly Option<bool> FromStore = new("--iocs-from-store") { Description = "Hunt for the indicators --organisation may see in this node's store (same --data/--database as the admin commands)." };
    private static readonly Option<string?> Organisation = new("--organisation", "--org") { Description = "With --iocs-from-store: the organisation whose view of the store is used, by name.", HelpName = "NAME" };
    private static readonly Option<string> Format = new("--format") { Description = "table (default), json (one JSON object per line) or csv.", DefaultValueFactory = _ => "table", HelpName = "FORMAT" };
    private static readonly Option<string?> Out = new("--out") { Description = "Write the rows to this file (replaced whole at the end) instead of stdout.", HelpName = "FILE" };
    private static readonly Option<string?> MinLevel = new("--min-level") { Description = "Report Sigma and correlation detections of this level or above: informational, low, medium, high, critical.", HelpName = "LEVEL" };
    private static readonly Option<bool> Timeline = new("--timeline") { Description = "Write every event, merged across files and sorted by time (events without a time last), instead of the detections; each row names what fired on it." };
    private static readonly Option<bool> NoAccess = new("--no-access") { Description = "Do not run the unauthorized-access rules (brute force, spraying, success after failures, first-seen origin, unusual hours)." };
    private static readonly Option<int?> Year = new("--year") { Description = "The year RFC 3164 syslog files start in (their lines carry none); default: from each file's modification time.", HelpName = "N" };
    private static readonly Option<bool> Verbose = new("--verbose") { Description = "In the summary, name every refused rule, refused indicator line and unreadable file (default: the first 10 of each, then a count)." };

    public static Command Create()
    {
        var databases = new GeoDatabaseOptions();
        var hunt = new Command("hunt",
            "Hunt through logs: every event through the Sigma rules (--sigma), the indicators (--iocs or --iocs-from-store) and the " +
            "unauthorized-access rules (logons of Windows Security and Linux auth logs, in time order across files). Detections are " +
            "written as they are found; correlation and access findings at the end. A progress line and, at the end, a summary go " +
            "to stderr. Exit codes: 0 nothing found, 1 detections found, 2 usage or input error.")
        {
            Paths, Sigma, Iocs, FromStore, Organisation, Format, Out, MinLevel, Timeline, NoAccess, Year, Verbose,
        };
        databases.AddTo(hunt);
        hunt.SetAction((parsed, ct) => RunAsync(parsed, databases, ct));
        return hunt;
    }

    private static async Task<int> RunAsync(ParseResult parsed, GeoDatabaseOptions databases, CancellationToken ct)
    {
        if (Check(parsed) is { } usage)
        {
            return CliOutput.Fail(usage);
        }

        var rules = LoadRules(parsed.GetValue(Sigma) ?? []);
        if (rules.Error is not null)
        {
            return CliOutput.Fail(rules.Error);
        }

        var indicators = await LoadIndicatorsAsync(parsed, ct);
        if (indicators.Error is not null)
        {
            return CliOutput.Fail(indicators.Error);
        }

        var (enricher, geoError) = databases.Open(parsed);
        if (geoError is not null)
        {
            return CliOutput.Fail(geoError);
        }

        using (enricher)
        {
            var options = new HuntOptions
            {
                Rules = rules.Load is null ? null : new SigmaRuleSet(rules.Load.Rules),
                Correlations = rules.Load?.Correlations ?? [],
                Indicators = indicators.Set,
                DetectAccess = !parsed.GetValue(NoAccess),
                Enricher = enricher,
                MinLevel = parsed.GetValue(MinLevel),
                Timeline = parsed.GetValue(Timeline),
                Read = new Forensics.Logs.LogReadOptions { SyslogYear = parsed.GetValue(Year) },
            };
            return await HuntRun.RunAsync(parsed.GetValue(Paths)!, options, OutputFormatOf(parsed), parsed.GetValue(Out),
                new HuntStatus(rules.Load, indicators, parsed.GetValue(Verbose)), ct);
        }
    }

    private static string? Check(ParseResult parsed)
    {
        if (parsed.GetValue(Format)!.ToLowerInvariant() is not ("table" or "json" or "csv"))
        {
            return $"--format must be table, json or csv, not '{parsed.GetValue(Format)}'.";
        }

        if (parsed.GetValue(MinLevel) is { } level && !HuntLevels.IsKnown(level))
        {
            return $"--min-level must be one of {string.Join(", ", HuntLevels.All)}, not '{level}'.";
        }

        if (parsed.GetValue(Year) is < 1970 or > 9998)
        {
            return $"--year must be between 1970 and 9998, not {parsed.GetValue(Year)}.";
        }

        if (parsed.GetValue(FromStore) && parsed.GetValue(Iocs) is not null)
        {
            return "give --iocs or --iocs-from-store, not both.";
        }

        if (parsed.GetValue(FromStore) != parsed.GetValue(Organisation) is not null)
        {
            return parsed.GetValue(FromStore) ? "--iocs-from-store needs --organisation NAME." : "--organisation is only used with --iocs-from-store.";
        }

        return parsed.GetValue(Paths)!.FirstOrDefault(p => !File.Exists(p) && !Directory.Exists(p)) is { } missing
            ? $"{missing}: no such file or folder."
            : null;
    }

    private static OutputFormat OutputFormatOf(ParseResult parsed) => parsed.GetValue(Format)!.ToLowerInvariant() switch
    {
        "json" => OutputFormat.Json,
        "csv" => OutputFormat.Csv,
        _ => OutputFormat.Table,
    };

    private static (SigmaLoadResult? Load, string? Error) LoadRules(string[] paths)
    {
        if (paths.Length == 0)
        {
            return (null, null);
        }

        if (paths.FirstOrDefault(p => !Directory.Exists(p) && !File.Exists(p)) is { } missing)
        {
            return (null, $"--sigma {missing}: no such rules folder or file.");
        }

        // One load for all folders, so a rule id met twice is refused across folders as within one.
        var load = SigmaRuleLoader.LoadDirectories(paths.Where(Directory.Exists));
        foreach (var path in paths.Where(File.Exists))
        {
            if (!SigmaRuleReader.TryRead(File.ReadAllText(path), path, SigmaEngineOptions.Default, out var rule, out var correlation, out var reason))
            {
                load.Failures.Add(new SigmaLoadFailure(path, reason));
            }
            else if (rule is not null)
            {
                load.Rules.Add(rule);
            }
            else
            {
                load.Correlations.Add(correlation!);
            }
        }

        return (load, null);
    }

    private static async Task<IndicatorSource> LoadIndicatorsAsync(ParseResult parsed, CancellationToken ct)
    {
        if (parsed.GetValue(Iocs) is { } file)
        {
            try
            {
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read);
                var load = IocSet.Parse(stream);
                return new IndicatorSource(load.Set, load.Problems, 0, null);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return new IndicatorSource(null, [], 0, $"--iocs {file}: cannot be read: {e.Message}");
            }
        }

        return parsed.GetValue(FromStore) ? await FromStoreAsync(parsed, parsed.GetValue(Organisation)!, ct) : new IndicatorSource(null, [], 0, null);
    }

    /// <summary>The indicators the organisation may see, as the server's hunts read them (<see cref="Core.Jobs.StoreIndicators"/>).</summary>
    private static async Task<IndicatorSource> FromStoreAsync(ParseResult parsed, string name, CancellationToken ct)
    {
        var opened = await AdminContext.OpenAsync(parsed, requireMigrated: true, ct);
        if (opened.Error is { } error)
        {
            return new IndicatorSource(null, [], 0, error.Message);
        }

        await using var admin = opened.Value!;
        var organisation = await admin.Get<ListOrganisations>().FindByNameAsync(Actor.Operator, name, ct);
        if (organisation is null)
        {
            return new IndicatorSource(null, [], 0, $"no organisation is named '{name}'.");
        }

        var actor = new Actor(null, "operator (cli)", organisation.Id, new HashSet<string> { Roles.Analyst });
        var loaded = await Core.Jobs.StoreIndicators.LoadAsync(admin.Get<ReadIndicators>(), actor, DateTimeOffset.UtcNow, ct);
        if (loaded.Error is { } failed)
        {
            return new IndicatorSource(null, [], 0, failed.Message);
        }

        var (load, left) = loaded.Value;
        return new IndicatorSource(load.Set, load.Problems, left, null);
    }
}

/// <summary>The indicators of a hunt, the lines refused, and how many store rows were left out (types logs do not show, false positives, expired, warning-listed).</summary>
internal sealed record IndicatorSource(IocSet? Set, IReadOnlyList<IocSetProblem> Problems, int LeftOut, string? Error);
