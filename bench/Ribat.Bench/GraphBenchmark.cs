using System.CommandLine;
using System.Diagnostics;
using Ribat.Core.Cases;
using Ribat.Core.Cases.Subjects;
using Ribat.Core.Data;
using Ribat.Core.Indicators;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Bench;

/// <summary>
/// The link graph of a large case as <c>GET /api/v1/cases/{id}/graph</c> answers it (<see cref="ReadCaseGraph"/>: the
/// sharing filter, subjects, relationships, the layout-free DTO and the look-up's audit entry): the whole case, the
/// whole case with correlations from the intelligence store, and a focus three steps out from one subject.
/// </summary>
internal static class GraphBenchmark
{
    public static Command Create()
    {
        var provider = new Option<string>("--provider") { Description = "sqlite or postgres.", DefaultValueFactory = _ => "sqlite" };
        provider.AcceptOnlyFromAmong("sqlite", "postgres");
        var subjects = new Option<int>("--subjects") { Description = "Subjects in the case; one in five is an IP address, the others persons.", DefaultValueFactory = _ => 5_000 };
        var extra = new Option<int>("--extra-links") { Description = "Random links beside the spanning tree that connects every subject.", DefaultValueFactory = _ => 1_000 };
        var held = new Option<int>("--held") { Description = "IP subjects whose address another organisation also holds as a community indicator.", DefaultValueFactory = _ => 500 };
        var rounds = new Option<int>("--rounds") { Description = "Timed reads of each kind (after 3 untimed ones).", DefaultValueFactory = _ => 30 };
        var common = new CommonOptions();
        var command = new Command("graph", "Time the link graph of a case with thousands of subjects: whole, with correlations, and around one subject.")
        {
            provider, subjects, extra, held, rounds,
        };
        common.AddTo(command);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var startedAt = DateTimeOffset.UtcNow;
            await using var store = await BenchStore.CreateAsync(parsed.GetValue(provider)!, parsed.GetValue(common.Database), parsed.GetValue(common.Data), parsed.GetValue(common.Keep), cancellationToken);
            Console.Error.WriteLine($"Store: {store.Location}");
            var machine = MachineInfo.Describe(await store.SettingsAsync(cancellationToken));
            var community = await Community.CreateAsync(store, cancellationToken);
            var run = await RunAsync(store, community, parsed.GetValue(subjects), parsed.GetValue(extra), parsed.GetValue(held), parsed.GetValue(rounds), parsed.GetValue(common.Seed), cancellationToken);
            Console.WriteLine();
            Console.WriteLine($"{run.Provider}: a case of {run.Subjects:N0} subjects and {run.Relationships:N0} relationships; {run.Held:N0} addresses also held as indicators");
            foreach (var (name, figures) in new[] { ("whole graph", run.Whole), ("whole graph + correlations", run.WithCorrelations), ("focus, depth 3", run.Focus) })
            {
                Console.WriteLine($"{name,-28} {figures.Latency}  ({figures.Nodes:N0} nodes, {figures.Edges:N0} edges, {figures.CpuMillisecondsPerRead:N1} ms CPU per read)");
            }

            await ResultFile.WriteAsync(parsed.GetValue(common.Out), run with { StartedAt = startedAt, Machine = machine }, cancellationToken);
            return 0;
        });
        return command;
    }

    private static async Task<GraphRun> RunAsync(BenchStore store, Community community, int count, int extraLinks, int held, int rounds, ulong seed, CancellationToken cancellationToken)
    {
        var analyst = community.Analysts[0];
        var opened = Community.Ok(await store.Get<OpenCase>().HandleAsync(analyst, new CaseInput("Botnet herders (benchmark)"), cancellationToken));
        var random = new Random(unchecked((int)seed));
        var now = DateTimeOffset.UtcNow;
        var rows = new List<CaseSubject>(count);
        var addresses = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var row = new CaseSubject
            {
                Id = Guid.CreateVersion7(),
                CaseId = opened.Id,
                OwnerOrganisationId = analyst.OrganisationId!.Value,
                CreatedBy = analyst.UserId!.Value,
                CreatedAt = now,
                UpdatedAt = now,
                SourceKind = SourceKind.Text,
                SourceText = "generated",
            };
            if (i % 5 == 0 && IndicatorTypes.TryCanonicalise("ipv4", $"198.{18 + i / 65536 % 2}.{i / 256 % 256}.{i % 256}", out var ip, out _))
            {
                (row.Kind, row.ValueType, row.Value, row.Display, row.ValueKey) = (SubjectKind.Ip, ip!.Type, ip.Value, ip.Display, ip.ValueKey);
                addresses.Add(ip.Value);
            }
            else
            {
                (row.Kind, row.Name) = (SubjectKind.Person, $"Person {i}");
            }

            rows.Add(row);
        }

        var links = new List<CaseRelationship>();
        CaseRelationship Link(Guid from, Guid to) => new()
        {
            Id = Guid.CreateVersion7(),
            CaseId = opened.Id,
            OwnerOrganisationId = analyst.OrganisationId!.Value,
            FromId = from,
            ToId = to,
            Kind = "communicates-with",
            SourceKind = SourceKind.Text,
            SourceText = "generated",
            CreatedBy = analyst.UserId!.Value,
            CreatedAt = now,
        };
        for (var i = 1; i < count; i++)
        {
            links.Add(Link(rows[random.Next(i)].Id, rows[i].Id));
        }

        var pairs = new HashSet<(int, int)>();
        while (pairs.Count < extraLinks && count > 2)
        {
            var (x, y) = (random.Next(count), random.Next(count));
            if (x != y && pairs.Add((Math.Min(x, y), Math.Max(x, y))))
            {
                links.Add(Link(rows[x].Id, rows[y].Id));
            }
        }

        // The rows are written as the subject use cases would leave them; the use cases themselves are timed by the API tests.
        await using (var db = store.Get<RibatDatabase>().Open(TenantScope.NodeWide("benchmark")))
        {
            db.CaseSubjects.AddRange(rows);
            db.CaseRelationships.AddRange(links);
            await db.SaveChangesAsync(cancellationToken);
        }

        var holder = community.Analysts[1];
        var heldValues = addresses.Take(held).Select(a => new IndicatorInput("ipv4", a, "seen scanning", null, 70, Tlp: "green")).ToList();
        if (heldValues.Count > 0)
        {
            Community.Ok(await store.Get<RecordIndicators>().HandleAsync(holder, new RecordIndicatorsRequest(heldValues, new SharingTermsInput(Distribution: "community")), cancellationToken: cancellationToken));
        }

        var graph = store.Get<ReadCaseGraph>();
        async Task<GraphFigures> TimeAsync(GraphQuery query)
        {
            CaseGraphDto? last = null;
            for (var i = 0; i < 3; i++)
            {
                last = Community.Ok(await graph.HandleAsync(analyst, opened.Id, query, cancellationToken));
            }

            var samples = new List<double>(rounds);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            for (var i = 0; i < rounds; i++)
            {
                var started = Stopwatch.GetTimestamp();
                last = Community.Ok(await graph.HandleAsync(analyst, opened.Id, query, cancellationToken));
                samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / Math.Max(1, rounds);
            return new GraphFigures(LatencySummary.Of(samples), last!.Nodes.Count, last.Edges.Count, Math.Round(cpuMs, 1));
        }

        var whole = await TimeAsync(new GraphQuery());
        var correlated = await TimeAsync(new GraphQuery(Correlations: true));
        var focus = await TimeAsync(new GraphQuery(Focus: rows[0].Id, Depth: 3, Correlations: true));
        return new GraphRun("graph", store.Provider, default, null, count, links.Count, heldValues.Count, rounds, whole, correlated, focus);
    }
}

public sealed record GraphFigures(LatencySummary Latency, int Nodes, int Edges, double CpuMillisecondsPerRead);

public sealed record GraphRun(
    string Benchmark, string Provider, DateTimeOffset StartedAt, MachineInfo? Machine, int Subjects, int Relationships, int Held, int Rounds,
    GraphFigures Whole, GraphFigures WithCorrelations, GraphFigures Focus);
