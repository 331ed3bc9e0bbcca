using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;
using Ribat.Testing;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Exercises;

/// <summary><c>ribat demo</c> as a user runs it: three real nodes on loopback, federated, playing the shipped outbreak.</summary>
public sealed class CliDemoTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ribat-demo-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Demo_starts_three_federated_nodes_plays_the_outbreak_and_stops_once_they_have_exchanged_it()
    {
        var data = Path.Combine(_root, "demo");
        var port = LoopbackPort.FreeRun(3);
        await using var demo = RibatProcess.Start("demo", "--data", data, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--time-scale", "300", "--exit-after-play");
        var result = await demo.WaitAsync(TimeSpan.FromMinutes(6));

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain("3 federated nodes are running")
            .And.Contain($"http://127.0.0.1:{port}").And.Contain($"http://127.0.0.1:{port + 2}")
            .And.Contain("sign in as duty@jo-cert.example").And.Contain("sign in as duty@fr-cert.example")
            .And.Contain("24 of 24 injects played, 0 failed")
            .And.Contain("Every node has exchanged what the run wrote with its partners.");

        // One incident, opened on Amman's node with the two other CERTs as participants, is on every node in the same
        // run, with what each of the three organisations wrote on it.
        var seen = new List<(Guid Incident, Guid? Run, int Writers, int Entries, string Work)>();
        foreach (var node in new[] { "jo", "ma", "fr" })
        {
            var database = new RibatDatabase(DatabaseOptions.Resolve(Path.Combine(data, node), null));
            await using var db = database.Open(TenantScope.NodeWide("test"));
            (await db.Partners.CountAsync(p => p.Enabled)).Should().Be(2, $"node {node} federates with the two others");
            var run = await db.Exercises.SingleAsync();
            (await db.Users.CountAsync(u => u.Email == $"duty@{node}-cert.example")).Should().Be(1);
            var incident = await db.Incidents.IgnoreQueryFilters().Include(i => i.Participants).SingleAsync();
            incident.IsExercise.Should().BeTrue();
            incident.ExerciseId.Should().Be(run.Id, $"node {node} holds the incident in the run it played");
            incident.Participants.Should().HaveCount(2);
            var entries = await db.TimelineEntries.IgnoreQueryFilters().Where(e => e.IncidentId == incident.Id).ToListAsync();
            if (node == "jo")
            {
                // The response times follow the scenario: Rabat first acts at 15 scenario minutes, Paris at 25; at time
                // scale 300 that is 3 s and 5 s after the incident opened at 0, less however late the opening was played
                // (a fraction of a second); the upper bound only allows for a loaded machine.
                var names = await db.PartnerOrganisations.ToDictionaryAsync(o => o.Id, o => o.Name);
                var actedAfter = incident.Participants.ToDictionary(p => names[p.OrganisationId], p => (p.FirstActionAt - p.JoinedAt)!.Value.TotalSeconds);
                actedAfter["maCERT"].Should().BeInRange(2.5, 30);
                actedAfter["CERT-FR"].Should().BeInRange(4.5, 30);
            }

            // The lead's status moves, the tasks with their assignees' progress, and every CERT's published situation
            // report replicated to every node.
            incident.Status.Should().Be(Ribat.Core.Incidents.IncidentStatus.Recovery, $"node {node} holds the lead's last move");
            incident.ContainedAt.Should().NotBeNull();
            var tasks = await db.IncidentTasks.IgnoreQueryFilters().Where(t => t.IncidentId == incident.Id).OrderBy(t => t.Title).ToListAsync();
            tasks.Select(t => (t.Title, t.Status)).Should().Equal(
                ("Check national sensors for the payload hash and SMB scanning on 445/tcp", Ribat.Core.Incidents.IncidentTaskStatus.Done),
                ("Collect the ransom wallets from ministry samples", Ribat.Core.Incidents.IncidentTaskStatus.Done));
            var sitreps = await db.SituationReports.IgnoreQueryFilters().Where(r => r.IncidentId == incident.Id && r.PublishedAt != null).Select(r => r.Title).ToListAsync();
            sitreps.Should().HaveCount(3, $"node {node} holds the three CERTs' published situation reports");
            // The indicators each CERT raised are on the incident as its value links, on every node, and in no indicator store.
            var links = await db.IncidentLinks.IgnoreQueryFilters().Where(l => l.IncidentId == incident.Id).ToListAsync();
            links.Should().OnlyContain(l => l.Kind == Ribat.Core.Incidents.IncidentLinkKind.Value);
            links.Select(l => l.Value).Should().BeEquivalentTo(
                "ed01ebfbc9eb5bbea545af4d01bf5f1071661840480439c6e5babe8e080e41aa", "iuqerfsodp9ifjaposdfjhgosurijfaewrwergwea.com",
                "115p7UMMngoj1pMvkpHijcRdfJNXj6LrLn", "12t9YDPgwueZ9NyMgw519p7AA8isjr6SMw", "13AM4VW2dhxYgXeQepoHkHSQuy6NgaEb94");
            links.Select(l => l.OrganisationId).Distinct().Should().HaveCount(3);
            (await db.Indicators.IgnoreQueryFilters().CountAsync()).Should().Be(0, "exercise indicators never enter the store");

            // Times cross nodes as STIX timestamps, to the millisecond.
            var work = string.Join("|", tasks.Select(t => $"{t.StixId}:{t.Status}:{t.DueAt:yyyy-MM-ddTHH:mm:ss.fff}").Concat(sitreps.Order(StringComparer.Ordinal))
                .Concat(links.Select(l => l.StixId).Order(StringComparer.Ordinal)));
            seen.Add((incident.Id, incident.ExerciseId, entries.Select(e => e.OrganisationId).Distinct().Count(), entries.Count, work));
        }

        seen.Select(s => s.Incident).Distinct().Should().ContainSingle("the incident keeps one identity on every node");
        seen.Select(s => s.Run).Distinct().Should().ContainSingle("the run keeps one id on every node");
        seen.Should().OnlyContain(s => s.Writers == 3, "each node holds what all three organisations wrote");
        seen.Select(s => s.Entries).Distinct().Should().ContainSingle("the nodes converge on the same timeline");
        seen.Select(s => s.Work).Distinct().Should().ContainSingle("the nodes converge on the same tasks, situation reports and links");
    }

    [Fact]
    public async Task A_used_data_directory_a_bad_time_scale_and_a_broken_scenario_are_refused_before_anything_starts()
    {
        var used = Path.Combine(_root, "used");
        Directory.CreateDirectory(used);
        await File.WriteAllTextAsync(Path.Combine(used, "keep.txt"), "not the demo's");
        var taken = await RibatProcess.RunAsync("demo", "--data", used);
        taken.ExitCode.Should().Be(2, taken.ToString());
        taken.Stderr.Should().Contain("already holds data");
        File.Exists(Path.Combine(used, "keep.txt")).Should().BeTrue("nothing of what was there is touched");

        var database = await RibatProcess.RunAsync("demo", "--data", Path.Combine(_root, "database"), "--database", "Host=127.0.0.1;Database=x");
        database.ExitCode.Should().Be(2, database.ToString());
        database.Stderr.Should().Contain("--database is not used");

        var scale = await RibatProcess.RunAsync("demo", "--data", Path.Combine(_root, "scale"), "--time-scale", "0");
        scale.ExitCode.Should().Be(2, scale.ToString());
        scale.Stderr.Should().Contain("--time-scale must be from");

        var broken = Path.Combine(_root, "broken.yaml");
        await File.WriteAllTextAsync(broken, "name: x\nnodes: [\n");
        var parsed = await RibatProcess.RunAsync("demo", "--data", Path.Combine(_root, "broken"), "--scenario", broken);
        parsed.ExitCode.Should().Be(2, parsed.ToString());
        parsed.Stderr.Should().Contain($"{broken}:");
        Directory.Exists(Path.Combine(_root, "broken")).Should().BeFalse("no node was set up");
    }
}
