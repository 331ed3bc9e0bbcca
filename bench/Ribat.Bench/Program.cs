using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Options;
using Ribat.Bench;
using Ribat.Core.Indicators;

var root = new RootCommand("Ribat benchmarks: throughput and latency of the real use cases on a fresh store.");
root.Subcommands.Add(CorrelationCommand());
root.Subcommands.Add(SkewCommand());
root.Subcommands.Add(PcapBenchmark.Create());
root.Subcommands.Add(LogsBenchmark.Command());
root.Subcommands.Add(SigmaBenchmark.Command());
root.Subcommands.Add(EvtxBenchmark.Command());
root.Subcommands.Add(FilesBenchmark.Create());
root.Subcommands.Add(EmailBenchmark.Command());
root.Subcommands.Add(IocBenchmark.Create());
root.Subcommands.Add(StixCommand.Create());
root.Subcommands.Add(TaxiiBenchmark.Create());
root.Subcommands.Add(HuntBenchmark.Command());
root.Subcommands.Add(GraphBenchmark.Create());
return await root.Parse(args).InvokeAsync();

static Option<string> ProviderOption()
{
    var provider = new Option<string>("--provider") { Description = "sqlite or postgres.", DefaultValueFactory = _ => "sqlite" };
    provider.AcceptOnlyFromAmong("sqlite", "postgres");
    return provider;
}

static Command CorrelationCommand()
{
    var provider = ProviderOption();
    var sizes = new Option<string>("--sizes") { Description = "Store sizes to grow to, in observables, comma-separated.", DefaultValueFactory = _ => "100000,1000000" };
    var batch = new Option<int>("--batch") { Description = "Observables per RecordIndicators call.", DefaultValueFactory = _ => 20_000 };
    var lookups = new Option<int>("--lookups") { Description = "Timed look-ups per size and per way of measuring.", DefaultValueFactory = _ => 10_000 };
    var warmup = new Option<int>("--warmup") { Description = "Untimed look-ups before each size's measurements.", DefaultValueFactory = _ => 1_000 };
    var searchWhileIngesting = new Option<bool>("--search-while-ingesting") { Description = "From the second size on, search every 20 ms while the store grows, and time those searches." };
    var common = new CommonOptions();
    var command = new Command("correlation", "Ingest through RecordIndicators to each size, then time correlation look-ups of stored and new values.")
    {
        provider, sizes, batch, lookups, warmup, searchWhileIngesting,
    };
    common.AddTo(command);
    command.SetAction(async (parsed, cancellationToken) =>
    {
        var settings = new CorrelationSettings(
            parsed.GetValue(sizes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToList(),
            parsed.GetValue(batch),
            parsed.GetValue(lookups),
            parsed.GetValue(warmup),
            parsed.GetValue(common.Seed),
            parsed.GetValue(searchWhileIngesting));
        var startedAt = DateTimeOffset.UtcNow;
        await using var store = await BenchStore.CreateAsync(parsed.GetValue(provider)!, parsed.GetValue(common.Database), parsed.GetValue(common.Data), parsed.GetValue(common.Keep), cancellationToken);
        Console.Error.WriteLine($"Store: {store.Location}");
        var machine = MachineInfo.Describe(await store.SettingsAsync(cancellationToken));
        var community = await Community.CreateAsync(store, cancellationToken);
        var benchmark = new CorrelationBenchmark(store, community, new ObservableGenerator(settings.Seed), settings);
        var steps = await benchmark.RunAsync(cancellationToken);
        var overall = IngestFigures.Sum(steps.Select(s => s.Ingest));
        Console.WriteLine();
        Table.PrintOverall(store.Provider, overall);
        foreach (var step in steps)
        {
            Table.PrintLookupDetail(step);
        }

        var run = new CorrelationRun("correlation", store.Provider, startedAt, machine, settings.Seed, settings.Batch,
            store.Get<IOptions<CorrelationOptions>>().Value.MaxPostings, store.Get<IOptions<CorrelationOptions>>().Value.MaxRelated, CorrelationBenchmark.IngestIncludes, CorrelationBenchmark.ProbesInclude,
            CorrelationBenchmark.UseCaseIncludes, steps, overall);
        await ResultFile.WriteAsync(parsed.GetValue(common.Out), run, cancellationToken);
        return 0;
    });
    return command;
}

static Command SkewCommand()
{
    var provider = ProviderOption();
    var hot = new Option<int>("--hot") { Description = "How many values every report holds (1 to 8).", DefaultValueFactory = _ => 5 };
    var holders = new Option<int>("--holders") { Description = "Reports, hence indicators per hot value.", DefaultValueFactory = _ => 100_000 };
    var background = new Option<int>("--background") { Description = "Ordinary observables per report beside the hot ones.", DefaultValueFactory = _ => 10 };
    var lookups = new Option<int>("--lookups") { Description = "Timed searches for hot values, and as many for background values.", DefaultValueFactory = _ => 1_000 };
    var common = new CommonOptions();
    var command = new Command("skew", "Hot values held by every report: postings stored against pairwise rows, and the time to answer 'over-correlating'.")
    {
        provider, hot, holders, background, lookups,
    };
    common.AddTo(command);
    command.SetAction(async (parsed, cancellationToken) =>
    {
        var settings = new SkewSettings(Math.Clamp(parsed.GetValue(hot), 1, 8), parsed.GetValue(holders), parsed.GetValue(background), parsed.GetValue(lookups), parsed.GetValue(common.Seed));
        var startedAt = DateTimeOffset.UtcNow;
        await using var store = await BenchStore.CreateAsync(parsed.GetValue(provider)!, parsed.GetValue(common.Database), parsed.GetValue(common.Data), parsed.GetValue(common.Keep), cancellationToken);
        Console.Error.WriteLine($"Store: {store.Location}");
        var machine = MachineInfo.Describe(await store.SettingsAsync(cancellationToken));
        var community = await Community.CreateAsync(store, cancellationToken);
        var run = await new SkewBenchmark(store, community, new ObservableGenerator(settings.Seed), settings).RunAsync(startedAt, machine, cancellationToken);
        Console.WriteLine();
        Console.WriteLine($"{run.Provider}: {run.Reports:N0} reports, {run.StoredRows:N0} rows, ingest {run.Ingest.PerSecond:N0} observables/s, store {run.Store.TotalBytes / 1048576.0:N0} MiB");
        Console.WriteLine($"{"hot value",-58}{"postings",12}{"MISP pairs",18}{"MISP (2 rows/pair)",20}");
        foreach (var value in run.Hot)
        {
            Console.WriteLine($"{value.Type + " " + value.Value,-58}{value.Postings,12:N0}{value.MispPairs,18:N0}{value.MispLegacyRows,20:N0}");
        }

        Console.WriteLine($"{"total",-58}{run.RibatPostings,12:N0}{run.MispPairs,18:N0}{run.MispLegacyRows,20:N0}");
        Console.WriteLine($"hot-value search ({(run.HotAnsweredOverCorrelating ? "always answered over-correlating" : "NOT always over-correlating")}): {run.HotLookup}");
        Console.WriteLine($"background search: {run.BackgroundLookup}");
        await ResultFile.WriteAsync(parsed.GetValue(common.Out), run, cancellationToken);
        return 0;
    });
    return command;
}

/// <summary>Where the store lives, how the run is seeded and where its results go.</summary>
internal sealed class CommonOptions
{
    public Option<string?> Database { get; } = new("--database") { Description = "PostgreSQL server connection string; a fresh database is created on it for the run." };

    public Option<string?> Data { get; } = new("--data") { Description = "Directory for the SQLite run's own subdirectory (default: the temp directory)." };

    public Option<bool> Keep { get; } = new("--keep") { Description = "Keep the store after the run instead of deleting it." };

    public Option<ulong> Seed { get; } = new("--seed") { Description = "Seed of the generated data.", DefaultValueFactory = _ => 20_261_122UL };

    public Option<string?> Out { get; } = new("--out") { Description = "Write the results as JSON to this file." };

    public void AddTo(Command command)
    {
        command.Options.Add(Database);
        command.Options.Add(Data);
        command.Options.Add(Keep);
        command.Options.Add(Seed);
        command.Options.Add(Out);
    }
}
