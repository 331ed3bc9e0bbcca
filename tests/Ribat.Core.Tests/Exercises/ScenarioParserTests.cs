using Ribat.Core.Exercises;

namespace Ribat.Core.Tests.Exercises;

/// <summary>Scenario files are read whole, and every problem comes back with its line and reason.</summary>
public sealed class ScenarioParserTests
{
    private const string Valid = """
        name: Ransomware worm across three nations
        description: SMB 445 propagation, kill-switch domain, .WNCRY files.
        timeScale: 60
        nodes:
          - { id: jo, name: Amman node, country: JO }
          - { id: ma, name: Rabat node, country: ma }
          - { id: fr, name: Paris node, country: FR }
        organisations:
          - { id: jo-cert, node: jo, name: JO-CERT, country: JO, kind: cert }
          - { id: ma-cert, node: ma, name: maCERT, country: MA, kind: cert }
          - { id: fr-police, node: fr, name: OFAC, country: FR, kind: police }
        injects:
          - at: 12m
            type: indicator
            node: ma
            organisation: ma-cert
            indicatorType: domain
            value: iuqerfsodp9ifjaposdfjhgosurijfaewrwergwea.com
          - at: 0m
            type: incident
            node: jo
            organisation: jo-cert
            title: Hospitals report encrypted files (.WNCRY)
            category: malicious-code:infected-system
            severity: critical
            participants: [ma-cert, fr-police]
          - at: "00:30:00"
            type: sighting
            node: fr
            organisation: fr-police
            indicatorType: sha256
            value: ed01ebfbc9eb5bbea545af4d01bf5f1071661840480439c6e5babe8e080e41aa
          - at: 1h
            type: email
            node: fr
            organisation: fr-police
            subject: Request for assistance
            body: Please share the samples.
          - at: 2h
            type: timeline
            node: jo
            organisation: jo-cert
            text: Kill-switch domain sinkholed
        """;

    [Fact]
    public void A_valid_scenario_is_read_with_its_injects_in_time_order()
    {
        var reading = ScenarioParser.Parse(Valid);
        reading.Problems.Should().BeEmpty();
        var s = reading.Scenario!;
        s.Name.Should().Be("Ransomware worm across three nations");
        s.TimeScale.Should().Be(60);
        s.Nodes.Select(n => n.Country).Should().Equal("JO", "MA", "FR");
        s.Organisations.Single(o => o.Id == "fr-police").Kind.Should().Be("police");
        s.Injects.Select(i => i.Type).Should().Equal("incident", "indicator", "sighting", "email", "timeline");
        s.Injects[0].Participants.Should().Equal("ma-cert", "fr-police");
        s.Injects[0].Line.Should().Be(19);
        s.Injects[2].At.Should().Be(TimeSpan.FromMinutes(30));
    }

    [Theory]
    [InlineData("jo-cert, node: jo", "jo-cert, node: xx", 9, "node 'xx' is not declared under 'nodes'")]
    [InlineData("at: 12m", "at: soon", 13, "at 'soon' is an offset")]
    [InlineData("severity: critical", "severity: apocalyptic", 25, "severity 'apocalyptic' is not a severity")]
    [InlineData("category: malicious-code:infected-system", "category: malware", 24, "category 'malware' is not a category")]
    [InlineData("participants: [ma-cert, fr-police]", "participants: [ma-cert, nobody]", 26, "'nobody' is not declared under 'organisations'")]
    [InlineData("type: email", "type: fax", 34, "type 'fax' is not one of")]
    [InlineData("indicatorType: sha256", "indicatorType: sha256\n    colour: red", 32, "'colour' is not a field of an inject")]
    [InlineData("value: ed01ebfbc9eb5bbea545af4d01bf5f1071661840480439c6e5babe8e080e41aa", "value: ed01", 32, "value 'ed01' is not a valid sha256")]
    [InlineData("organisation: ma-cert\n    indicatorType", "organisation: jo-cert\n    indicatorType", 16, "organisation 'jo-cert' is on node 'jo', not 'ma'")]
    [InlineData("country: FR, kind: police", "country: FX, kind: police", 11, "country 'FX' is not an ISO 3166-1 alpha-2 code")]
    [InlineData("timeScale: 60", "timeScale: fast", 3, "timeScale 'fast' is a number")]
    [InlineData("text: Kill-switch domain sinkholed", "text: \"\"", 39, "a timeline inject needs 'text'")]
    public void Each_problem_names_its_line_and_reason(string find, string replace, int line, string reason)
    {
        var text = Valid.Replace(find, replace, StringComparison.Ordinal);
        text.Should().NotBe(Valid);
        var reading = ScenarioParser.Parse(text);
        reading.IsValid.Should().BeFalse();
        reading.Scenario.Should().BeNull();
        reading.Problems.Should().Contain(p => p.Line == line && p.Reason.Contains(reason), string.Join("\n", reading.Problems));
    }

    private const string Work = """
        name: Work on the incident
        nodes:
          - { id: jo, name: Amman node, country: JO }
          - { id: ma, name: Rabat node, country: MA }
        organisations:
          - { id: jo-cert, node: jo, name: JO-CERT, country: JO }
          - { id: ma-cert, node: ma, name: maCERT, country: MA }
        injects:
          - { at: 10m, type: task, node: jo, organisation: jo-cert, title: Check sensors, assignee: ma-cert, due: 40m, text: Report sightings. }
          - { at: 20m, type: task-status, node: ma, organisation: ma-cert, title: Check sensors, status: in-progress }
          - { at: 25m, type: sitrep, node: ma, organisation: ma-cert, title: Sitrep 1, text: Seen on two networks. }
          - { at: 26m, type: sitrep, node: jo, organisation: jo-cert }
          - { at: 30m, type: status, node: jo, organisation: jo-cert, status: containment, text: Blocked at the border. }
        """;

    [Fact]
    public void Injects_that_work_on_the_incident_carry_their_fields()
    {
        var reading = ScenarioParser.Parse(Work);
        reading.Problems.Should().BeEmpty();
        var injects = reading.Scenario!.Injects;
        injects.Select(i => i.Type).Should().Equal("task", "task-status", "sitrep", "sitrep", "status");
        injects[0].Should().Match<Inject>(i => i.Title == "Check sensors" && i.Assignee == "ma-cert" && i.Due == TimeSpan.FromMinutes(40) && i.Text == "Report sightings.");
        injects[1].Status.Should().Be("in-progress");
        injects[2].Should().Match<Inject>(i => i.Title == "Sitrep 1" && i.Text == "Seen on two networks.");
        injects[3].Title.Should().BeNull("a situation report's title defaults to the drafted one");
        injects[4].Should().Match<Inject>(i => i.Status == "containment" && i.Text == "Blocked at the border.");
    }

    [Theory]
    [InlineData("assignee: ma-cert", "assignee: nobody", "assignee 'nobody' is not declared under 'organisations'")]
    [InlineData("title: Check sensors, assignee", "assignee", "a task inject needs 'title'")]
    [InlineData(", assignee: ma-cert, due: 40m", ", due: 40m", "a task inject needs 'assignee'")]
    [InlineData("due: 40m", "due: 5m", "due '5m' falls before the inject's own offset")]
    [InlineData("due: 40m", "due: tomorrow", "due 'tomorrow' is an offset")]
    [InlineData("status: in-progress", "status: finished", "status 'finished' is not a task status")]
    [InlineData("status: containment", "status: merged", "status 'merged' is not a status an incident moves to")]
    [InlineData("status: containment", "status: solved", "status 'solved' is not a status an incident moves to")]
    [InlineData("title: Sitrep 1", "title: [a, b]", "'title' is a single value")]
    public void Work_injects_with_a_problem_name_it(string find, string replace, string reason)
    {
        var text = Work.Replace(find, replace, StringComparison.Ordinal);
        text.Should().NotBe(Work);
        var reading = ScenarioParser.Parse(text);
        reading.IsValid.Should().BeFalse();
        reading.Problems.Should().Contain(p => p.Reason.Contains(reason), string.Join("\n", reading.Problems));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var reading = ScenarioParser.Parse("""
            name: x
            nodes:
              - { id: a, name: A, country: QQ }
              - { id: b, name: B, country: FR }
              - { id: b, name: C, country: MA }
            organisations: {}
            injects:
              - { at: 5m, type: incident, node: a, organisation: o }
            """);
        reading.Problems.Select(p => (p.Line, p.Reason.Split(' ')[0])).Should().BeEquivalentTo(new[] {
            (3, "country"), (3, "id"), (6, "'organisations'"), (8, "node"), (8, "organisation"), (8, "an"), (8, "an"), (8, "an") });
        reading.Problems.Should().Contain(p => p.Line == 3 && p.Reason == "id 'b' is declared twice under 'nodes'.");
        reading.Problems.Should().Contain(p => p.Line == 8 && p.Reason.Contains("node 'a' is not declared"), "node a was dropped for its bad country");
    }

    [Theory]
    [InlineData("", 1, "a scenario is a mapping")]
    [InlineData("- just\n- a list\n", 1, "a scenario is a mapping")]
    [InlineData("name: [unclosed\n", 2, "not valid YAML")]
    [InlineData("a: &x 1\nb: *x\n", 1, "anchors (&name) are not allowed")]
    [InlineData("name: one\n---\nname: two\n", 2, "one YAML document")]
    [InlineData("name: x\n\tnodes: []\n", 1, "not valid YAML")]
    public void Malformed_and_hostile_yaml_is_refused_with_a_position(string text, int line, string reason)
    {
        var reading = ScenarioParser.Parse(text);
        reading.IsValid.Should().BeFalse();
        reading.Problems.Should().ContainSingle().Which.Should().Match<ScenarioProblem>(p => p.Line == line && p.Reason.Contains(reason));
    }

    [Fact]
    public void Deep_nesting_and_oversized_files_are_refused_before_they_are_built()
    {
        ScenarioParser.Parse("name: " + new string('[', 5000) + new string(']', 5000)).Problems.Single().Reason.Should().Contain("deeper than 16");
        ScenarioParser.Parse("name: " + new string('x', ScenarioParser.MaxBytes)).Problems.Single().Reason.Should().Contain("larger than");
    }

    [Fact]
    public void Truncated_and_random_input_never_crashes()
    {
        for (var cut = 0; cut < Valid.Length; cut += 7)
        {
            var reading = ScenarioParser.Parse(Valid[..cut]);
            (reading.IsValid || reading.Problems.Count > 0).Should().BeTrue("a cut file is either still a whole scenario or has problems");
            reading.Problems.All(p => p.Line >= 1 && p.Column >= 1 && p.Reason.Length > 0).Should().BeTrue();
        }

        var random = new Random(5);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new char[random.Next(1, 400)];
            for (var j = 0; j < bytes.Length; j++)
            {
                bytes[j] = (char)random.Next(1, 128);
            }

            var reading = ScenarioParser.Parse(new string(bytes));
            reading.IsValid.Should().BeFalse();
            reading.Problems.Should().NotBeEmpty();
        }
    }
}
