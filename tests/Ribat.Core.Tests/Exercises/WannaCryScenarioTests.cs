using Ribat.Core.Exercises;

namespace Ribat.Core.Tests.Exercises;

/// <summary>The WannaCry-style scenario shipped in docs/exercises is valid and carries the publicly documented facts.</summary>
public sealed class WannaCryScenarioTests
{
    [Fact]
    public void The_shipped_scenario_parses_and_names_the_documented_indicators()
    {
        var path = Path.Combine(SharedCorpus.RepositoryRoot(), "docs", "exercises", "wannacry.yaml");
        var reading = ScenarioParser.Parse(File.ReadAllText(path));

        reading.Problems.Should().BeEmpty();
        var scenario = reading.Scenario!;
        scenario.Nodes.Select(n => n.Country).Should().Equal("JO", "MA", "FR");
        scenario.Injects[0].Type.Should().Be("incident");
        scenario.Injects[0].Participants.Should().BeEquivalentTo("ma-cert", "fr-cert");
        var values = scenario.Injects.Where(i => i.Type is "indicator" or "sighting").Select(i => (i.IndicatorType, i.Value)).ToList();
        values.Should().Contain(("sha256", "ed01ebfbc9eb5bbea545af4d01bf5f1071661840480439c6e5babe8e080e41aa"));
        values.Should().Contain(("domain", "iuqerfsodp9ifjaposdfjhgosurijfaewrwergwea.com"));
        values.Where(v => v.IndicatorType == "btc-address").Select(v => v.Value).Should().BeEquivalentTo(
            "115p7UMMngoj1pMvkpHijcRdfJNXj6LrLn", "12t9YDPgwueZ9NyMgw519p7AA8isjr6SMw", "13AM4VW2dhxYgXeQepoHkHSQuy6NgaEb94");
        var text = string.Join(" ", scenario.Injects.Select(i => $"{i.Title} {i.Text} {i.Subject} {i.Body}"));
        text.Should().Contain(".WNCRY").And.Contain("445/tcp").And.Contain("MS17-010");
        scenario.Injects.Select(i => i.Type).Should().Contain(["email", "sighting", "timeline", "task", "task-status", "sitrep", "status"]);
        var tasks = scenario.Injects.Where(i => i.Type == "task").ToList();
        tasks.Select(t => t.Assignee).Should().BeEquivalentTo("ma-cert", "fr-cert");
        scenario.Injects.Where(i => i.Type == "task-status" && i.Status == "done").Select(i => i.Title).Should().BeEquivalentTo(tasks.Select(t => t.Title),
            "every task the scenario assigns is reported done by its assignee, so the after-action report shows it completed");
        scenario.Injects.Where(i => i.Type == "sitrep").Select(i => i.Organisation).Should().BeEquivalentTo("ma-cert", "fr-cert", "jo-cert");
        scenario.Injects.Where(i => i.Type == "status").Select(i => i.Status).Should().Equal("triage", "confirmed", "containment", "recovery");
    }
}
