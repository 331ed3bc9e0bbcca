using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ribat.Cli;
using Ribat.Core.Exercises;
using Ribat.Tests.Cooperation;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Exercises;

/// <summary>
/// Exercises through the API: a scenario played by the runner against a node (and a node that is down), exercise
/// data kept out of real lists and metrics, the after-action report with the times the scenario fixed, bad input.
/// </summary>
public abstract class ExerciseApiTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ClockedFactory
{
    internal static string ScenarioYaml(string lead, string partner) => $"""
        name: Outbreak drill
        timeScale: 60
        nodes:
          - {"{"} id: jo, name: Amman, country: JO {"}"}
          - {"{"} id: ma, name: Rabat, country: MA {"}"}
          - {"{"} id: tn, name: Tunis, country: TN {"}"}
        organisations:
          - {"{"} id: lead, node: jo, name: "{lead}", country: FR, kind: cert {"}"}
          - {"{"} id: partner, node: ma, name: "{partner}", country: FR, kind: cert {"}"}
          - {"{"} id: far, node: tn, name: Far CERT, country: TN, kind: cert {"}"}
        injects:
          - at: 0m
            type: incident
            node: jo
            organisation: lead
            title: Hospitals report .WNCRY files
            category: malicious-code:infected-system
            severity: critical
            participants: [partner, far]
          - at: 10m
            type: timeline
            node: jo
            organisation: lead
            text: SMB 445/tcp scanning seen at the border.
          - at: 20m
            type: indicator
            node: tn
            organisation: far
            indicatorType: domain
            value: iuqerfsodp9ifjaposdfjhgosurijfaewrwergwea.com
          - at: 30m
            type: email
            node: ma
            organisation: partner
            subject: Ransom notes in three ministries
            body: Same note as the hospitals.
        """;

    [DbFact]
    public async Task A_run_played_on_several_nodes_takes_the_id_it_is_given_once_per_node()
    {
        var first = await factory.CreateTenantAsync();
        var second = await factory.CreateTenantAsync();
        var id = Guid.CreateVersion7();
        var body = new { name = "Shared run", scenarioHash = new string('b', 64), timeScale = 60, id };
        var started = await (await factory.ClientWith(first.AnalystSecret).PostAsJsonAsync("/api/v1/exercises", body)).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        started["id"]!.GetValue<Guid>().Should().Be(id, "the run is recorded under the id the player gave");

        var again = await factory.ClientWith(second.AnalystSecret).PostAsJsonAsync("/api/v1/exercises", body);
        again.StatusCode.Should().Be(HttpStatusCode.Conflict, "another organisation of the node plays its own run");
        (await again.Content.ReadAsStringAsync()).Should().Contain(id.ToString());

        var empty = await factory.ClientWith(second.AnalystSecret).PostAsJsonAsync("/api/v1/exercises", body with { id = Guid.Empty });
        empty.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await empty.Content.ReadAsStringAsync()).Should().Contain("id");
    }

    [DbFact]
    public async Task A_scenario_played_against_the_nodes_is_flagged_kept_out_of_real_views_and_reported_with_the_times_it_fixed()
    {
        var lead = await factory.CreateTenantAsync(RibatFactory.Unique("Lead CERT"));
        var partner = await factory.CreateTenantAsync(RibatFactory.Unique("Partner CERT"));
        var scenario = ScenarioParser.Parse(ScenarioYaml(lead.Organisation.Name, partner.Organisation.Name)).Scenario!;
        using var http = new HttpClient(new ServerOrNetwork(factory.Server.CreateHandler())) { Timeout = TimeSpan.FromSeconds(10) };
        var target = new ApiInjectTarget(http,
            new Dictionary<string, Uri> { ["jo"] = new("http://localhost/"), ["ma"] = new("http://localhost/"), ["tn"] = new("http://127.0.0.1:9/") },
            new Dictionary<string, string> { ["lead"] = lead.AnalystSecret, ["partner"] = partner.AnalystSecret, ["tn"] = "no-such-token" },
            new ExerciseInput(scenario.Name, new string('a', 64), 60));
        var start = factory.Clock.GetUtcNow();
        var results = await OnTheTestClock().RunAsync(scenario, 60, target);
        (await target.EndAsync(stopped: false, CancellationToken.None)).Should().BeEmpty();

        results.Select(r => r.Played).Should().Equal(true, true, false, true);
        results[2].Reason.Should().NotBeNullOrEmpty("the node tn is down; the run went on without it");
        results.Select(r => r.PlannedAt - start).Should().Equal(TimeSpan.Zero, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30));
        target.Runs.Should().HaveCount(2, "one run per organisation that played on the node");

        var leadClient = factory.ClientWith(lead.AnalystSecret);
        var partnerClient = factory.ClientWith(partner.AnalystSecret);
        var runs = (await leadClient.GetFromJsonAsync<JsonObject>("/api/v1/exercises"))!["items"]!.AsArray();
        var run = runs.Single()!["id"]!.GetValue<Guid>();
        runs[0]!["status"]!.GetValue<string>().Should().Be("ended");
        runs[0]!["injects"]!.GetValue<int>().Should().Be(2);
        var injects = (await leadClient.GetFromJsonAsync<JsonObject>($"/api/v1/exercises/{run}/injects"))!["items"]!.AsArray();
        injects.Select(i => Math.Round((i!["plannedAt"]!.GetValue<DateTimeOffset>() - start).TotalSeconds, 3)).Should().Equal(0, 10);
        var incident = injects[0]!["incidentId"]!.GetValue<Guid>();
        injects[0]!["summary"]!.GetValue<string>().Should().Contain("not on this node or its partners: Far CERT");

        // Exercise data stays out of what the organisations see as real, and shows when the run is picked.
        (await leadClient.GetStringAsync("/api/v1/incidents?limit=500")).Should().NotContain(incident.ToString());
        (await partnerClient.GetStringAsync("/api/v1/incidents?limit=500")).Should().NotContain(incident.ToString());
        (await leadClient.GetFromJsonAsync<JsonObject>("/api/v1/incidents/metrics"))!["incidents"]!.GetValue<int>().Should().Be(0);
        var picked = (await leadClient.GetFromJsonAsync<JsonObject>($"/api/v1/incidents?exerciseId={run}"))!["items"]!.AsArray();
        picked.Single()!["id"]!.GetValue<Guid>().Should().Be(incident);
        picked[0]!["isExercise"]!.GetValue<bool>().Should().BeTrue();
        picked[0]!["exerciseId"]!.GetValue<Guid>().Should().Be(run, "an exercise incident names its run");
        (await partnerClient.GetFromJsonAsync<JsonObject>($"/api/v1/incidents/{incident}"))!["isParticipant"]!.GetValue<bool>().Should().BeTrue();
        (await partnerClient.GetStringAsync("/api/v1/notifications?limit=500")).Should().Contain("EXERCISE — Incident shared with you: Hospitals report .WNCRY files",
            "the partner's person on duty is alerted, and the alert says it is an exercise");

        // The participants respond at times the test fixes.
        factory.Clock.Advance(TimeSpan.FromSeconds(60));
        (await partnerClient.PostAsync($"/api/v1/incidents/{incident}/acknowledge", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        factory.Clock.Advance(TimeSpan.FromSeconds(30));
        foreach (var to in new[] { "triage", "confirmed", "containment" })
        {
            (await leadClient.PostAsJsonAsync($"/api/v1/incidents/{incident}/transitions", new { to })).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        factory.Clock.Advance(TimeSpan.FromSeconds(15));
        (await partnerClient.PostAsJsonAsync($"/api/v1/incidents/{incident}/timeline", new { text = "Border ACL on 445/tcp in place." })).StatusCode.Should().Be(HttpStatusCode.Created);
        var partnerRun = (await partnerClient.GetFromJsonAsync<JsonObject>("/api/v1/exercises"))!["items"]![0]!["id"]!.GetValue<Guid>();
        var email = (await partnerClient.GetFromJsonAsync<JsonObject>($"/api/v1/exercises/{partnerRun}/injects"))!["items"]![0]!;
        (await partnerClient.PostAsync($"/api/v1/notifications/{email["notificationId"]!.GetValue<Guid>()}/acknowledge", null)).StatusCode.Should().Be(HttpStatusCode.OK);

        var report = (await leadClient.GetFromJsonAsync<JsonObject>($"/api/v1/exercises/{run}/report"))!;
        var measured = report["measurements"]!.AsArray().ToDictionary(m => m!["metric"]!.GetValue<string>() + "/" + m["organisation"]!.GetValue<string>(), m => m!["seconds"]!.GetValue<double>());
        measured = measured.ToDictionary(m => m.Key, m => Math.Round(m.Value, 3));
        measured.Should().Contain($"time-to-acknowledge/{partner.Organisation.Name}", 90);
        measured.Should().Contain($"time-to-triage/{lead.Organisation.Name}", 120);
        measured.Should().Contain($"time-to-contain/{lead.Organisation.Name}", 120);
        measured.Should().Contain($"time-to-first-share/{lead.Organisation.Name}", 0);
        measured.Should().Contain($"time-to-act-on-share/{partner.Organisation.Name}", 135);
        var timeline = report["timeline"]!.AsArray().Select(e => (Kind: e!["kind"]!.GetValue<string>(), At: TimeSpan.FromSeconds(Math.Round((e["at"]!.GetValue<DateTimeOffset>() - start).TotalSeconds, 3)))).ToList();
        timeline.Should().ContainInOrder(("inject", TimeSpan.Zero), ("inject", TimeSpan.FromSeconds(10)), ("acknowledged", TimeSpan.FromSeconds(90)),
            ("status", TimeSpan.FromSeconds(120)), ("timeline", TimeSpan.FromSeconds(135)));
        report["overall"]!.AsArray().Should().Contain(s => s!["metric"]!.GetValue<string>() == "time-to-acknowledge" && Math.Round(s["medianSeconds"]!.GetValue<double>(), 3) == 90);

        var partnerReport = (await partnerClient.GetFromJsonAsync<JsonObject>($"/api/v1/exercises/{partnerRun}/report"))!;
        partnerReport["timeline"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).Should().Contain("notification-acknowledged");
        (await factory.ClientWith(lead.AdminSecret).GetStringAsync("/api/v1/audit?code=1010")).Should().Contain(run.ToString(), "reading the report is audited");
        (await factory.ClientWith(lead.AdminSecret).GetStringAsync("/api/v1/audit?code=1000")).Should().Contain(run.ToString());
    }

    [DbFact]
    public async Task Work_injects_assign_tasks_report_progress_publish_situation_reports_and_move_the_incident_as_people_do()
    {
        var lead = await factory.CreateTenantAsync(RibatFactory.Unique("Lead CERT"));
        var partner = await factory.CreateTenantAsync(RibatFactory.Unique("Partner CERT"));
        var bystander = await factory.CreateTenantAsync(RibatFactory.Unique("Bystander CERT"));
        var yaml = $$"""
            name: Work drill
            timeScale: 60
            nodes:
              - { id: jo, name: Amman, country: JO }
              - { id: ma, name: Rabat, country: MA }
            organisations:
              - { id: lead, node: jo, name: "{{lead.Organisation.Name}}", country: JO }
              - { id: partner, node: ma, name: "{{partner.Organisation.Name}}", country: MA }
              - { id: bystander, node: ma, name: "{{bystander.Organisation.Name}}", country: MA }
            injects:
              - { at: 0m, type: incident, node: jo, organisation: lead, title: Worm outbreak, category: "malicious-code:infected-system", severity: high, participants: [partner] }
              - { at: 1m, type: status, node: jo, organisation: lead, status: triage }
              - { at: 2m, type: task, node: jo, organisation: lead, title: Check sensors, assignee: partner, due: 32m, text: Report sightings. }
              - { at: 3m, type: task, node: jo, organisation: lead, title: Not theirs, assignee: bystander }
              - { at: 4m, type: task-status, node: ma, organisation: partner, title: Check sensors, status: in-progress }
              - { at: 5m, type: task-status, node: ma, organisation: partner, title: No such task, status: done }
              - { at: 6m, type: sitrep, node: ma, organisation: partner, title: Partner sitrep 1, text: Seen on two networks. }
              - { at: 7m, type: status, node: jo, organisation: lead, status: closed }
              - { at: 8m, type: task-status, node: ma, organisation: partner, title: Check sensors, status: done }
              - { at: 9m, type: sitrep, node: jo, organisation: lead }
              - { at: 10m, type: indicator, node: ma, organisation: partner, indicatorType: domain, value: IUQERFSODP9IFJAPOSDFJHGOSURIJFAEWRWERGWEA.com }
            """;
        var scenario = ScenarioParser.Parse(yaml).Scenario!;
        using var http = new HttpClient(new ServerOrNetwork(factory.Server.CreateHandler())) { Timeout = TimeSpan.FromSeconds(10) };
        var target = new ApiInjectTarget(http,
            new Dictionary<string, Uri> { ["jo"] = new("http://localhost/"), ["ma"] = new("http://localhost/") },
            new Dictionary<string, string> { ["lead"] = lead.AnalystSecret, ["partner"] = partner.AnalystSecret },
            new ExerciseInput(scenario.Name, new string('c', 64), 60));
        var start = factory.Clock.GetUtcNow();
        var results = await OnTheTestClock().RunAsync(scenario, 60, target);

        results.Select(r => r.Played).Should().Equal(true, true, true, false, true, false, true, false, true, true, true);
        results[3].Reason.Should().Contain($"{bystander.Organisation.Name} does not take part in the run's incident");
        results[5].Reason.Should().Contain("No task 'No such task' is assigned to this organisation");
        results[7].Reason.Should().Contain("triage", "a status move the machine refuses fails with the moves it allows");
        var leadClient = factory.ClientWith(lead.AnalystSecret);
        var run = (await leadClient.GetFromJsonAsync<JsonObject>("/api/v1/exercises"))!["items"]![0]!["id"]!.GetValue<Guid>();
        var incident = (await leadClient.GetFromJsonAsync<JsonObject>($"/api/v1/incidents?exerciseId={run}"))!["items"]![0]!;
        var id = incident["id"]!.GetValue<Guid>();
        incident["status"]!.GetValue<string>().Should().Be("triage");

        var task = (await leadClient.GetFromJsonAsync<JsonObject>($"/api/v1/incidents/{id}/tasks"))!["items"]!.AsArray().Should().ContainSingle().Subject!;
        task["title"]!.GetValue<string>().Should().Be("Check sensors");
        task["description"]!.GetValue<string>().Should().Be("Report sightings.");
        task["assigneeOrganisationId"]!.GetValue<Guid>().Should().Be(partner.Organisation.Id);
        task["status"]!.GetValue<string>().Should().Be("done", "the assignee reported progress, then completion");
        task["dueAt"]!.GetValue<DateTimeOffset>().Should().BeCloseTo(start + TimeSpan.FromSeconds(32), TimeSpan.FromMilliseconds(1), "32 scenario minutes at 60 times");
        var sitreps = (await leadClient.GetFromJsonAsync<JsonObject>($"/api/v1/incidents/{id}/sitreps"))!["items"]!.AsArray();
        sitreps.Select(r => (r!["organisationId"]!.GetValue<Guid>(), r["state"]!.GetValue<string>())).Should().BeEquivalentTo(new[] { (lead.Organisation.Id, "published"), (partner.Organisation.Id, "published") });
        var partnerReport = sitreps.Single(r => r!["organisationId"]!.GetValue<Guid>() == partner.Organisation.Id)!;
        partnerReport["title"]!.GetValue<string>().Should().Be("Partner sitrep 1");
        partnerReport["body"]!.GetValue<string>().Should().StartWith("Seen on two networks.\n\n").And.Contain("Stage: triage", "the assessment comes before the body drafted from the incident");
        sitreps.Single(r => r!["organisationId"]!.GetValue<Guid>() == lead.Organisation.Id)!["title"]!.GetValue<string>().Should().NotBeNullOrWhiteSpace();

        // An indicator inject puts its value on the incident as the partner's value link, never into the indicator store.
        var link = (await leadClient.GetFromJsonAsync<JsonObject>($"/api/v1/incidents/{id}/links"))!["items"]!.AsArray().Should().ContainSingle().Subject!;
        link["kind"]!.GetValue<string>().Should().Be("value");
        link["valueType"]!.GetValue<string>().Should().Be("domain");
        link["value"]!.GetValue<string>().Should().Be("iuqerfsodp9ifjaposdfjhgosurijfaewrwergwea.com", "the value is stored canonical");
        link["organisationId"]!.GetValue<Guid>().Should().Be(partner.Organisation.Id);
        (await factory.ClientWith(partner.AnalystSecret).GetStringAsync("/api/v1/indicators?limit=500")).Should().NotContain("iuqerfsodp9ifjaposdfjhgosurijfaewrwergwea");

        var report = (await leadClient.GetFromJsonAsync<JsonObject>($"/api/v1/exercises/{run}/report"))!;
        var kinds = report["timeline"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).ToList();
        kinds.Should().Contain(["task-assigned", "task-done", "sitrep-published", "status"]);
    }

    [DbFact]
    public async Task Bad_injects_are_refused_naming_the_field_and_refused_plays_are_recorded_as_failed()
    {
        var lead = await factory.CreateTenantAsync();
        var client = factory.ClientWith(lead.AnalystSecret);
        await (await client.PostAsJsonAsync("/api/v1/exercises", new { name = "x", scenarioHash = "not-a-hash" })).ShouldBeValidationProblemAsync("scenarioHash");
        await (await client.PostAsJsonAsync("/api/v1/exercises", new { name = "", scenarioHash = new string('b', 64) })).ShouldBeValidationProblemAsync("name");
        await (await client.PostAsJsonAsync("/api/v1/exercises", new { name = "x", scenarioHash = new string('b', 64), timeScale = 1e9 })).ShouldBeValidationProblemAsync("timeScale");
        (await client.PostAsync("/api/v1/exercises", new StringContent("{\"name\":", System.Text.Encoding.UTF8, "application/json"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        var run = await (await client.PostAsJsonAsync("/api/v1/exercises", new { name = "Drill", scenarioHash = new string('b', 64), timeScale = 60 })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var id = run["id"]!.GetValue<Guid>();
        var at = DateTimeOffset.UtcNow;
        await (await client.PostAsJsonAsync($"/api/v1/exercises/{id}/injects", new { line = 3, type = "meteor", node = "jo", organisation = "lead", plannedAt = at })).ShouldBeValidationProblemAsync("type");
        await (await client.PostAsJsonAsync($"/api/v1/exercises/{id}/injects", new { line = 3, type = "email", node = "jo", organisation = "lead" })).ShouldBeValidationProblemAsync("plannedAt");
        await (await client.PostAsJsonAsync($"/api/v1/exercises/{id}/injects", new { line = 3, type = "email", node = "jo", organisation = "lead", plannedAt = at, subject = "a\u0000b" })).ShouldBeValidationProblemAsync("subject");
        await (await client.PostAsJsonAsync($"/api/v1/exercises/{id}/injects", new { line = 3, type = "timeline", node = new string('n', 101), organisation = "lead", plannedAt = at, text = "t" })).ShouldBeValidationProblemAsync("node");
        (await client.PostAsJsonAsync($"/api/v1/exercises/{id}/injects", new { line = 3, type = "timeline", node = "jo", organisation = "lead", plannedAt = at, text = new string('t', 300_000) })).StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        await (await client.PostAsJsonAsync($"/api/v1/exercises/{id}/injects", new { line = 3, type = "task", node = "jo", organisation = "lead", plannedAt = at, title = "t" })).ShouldBeValidationProblemAsync("assignee");
        await (await client.PostAsJsonAsync($"/api/v1/exercises/{id}/injects", new { line = 3, type = "task", node = "jo", organisation = "lead", plannedAt = at, title = "t", assignee = "x\u0007" })).ShouldBeValidationProblemAsync("assignee");
        await (await client.PostAsJsonAsync($"/api/v1/exercises/{id}/injects", new { line = 3, type = "task-status", node = "jo", organisation = "lead", plannedAt = at, title = "t", status = "finished" })).ShouldBeValidationProblemAsync("status");
        await (await client.PostAsJsonAsync($"/api/v1/exercises/{id}/injects", new { line = 3, type = "status", node = "jo", organisation = "lead", plannedAt = at, status = "merged" })).ShouldBeValidationProblemAsync("status");
        await (await client.PostAsJsonAsync($"/api/v1/exercises/{id}/injects", new { line = 3, type = "sitrep", node = "jo", organisation = "lead", plannedAt = at, title = new string('t', 301) })).ShouldBeValidationProblemAsync("title");
        (await client.PostAsJsonAsync($"/api/v1/exercises/{Guid.NewGuid()}/injects", new { line = 3, type = "timeline", node = "jo", organisation = "lead", plannedAt = at, text = "t" })).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var noIncident = await (await client.PostAsJsonAsync($"/api/v1/exercises/{id}/injects", new { line = 4, type = "timeline", node = "jo", organisation = "lead", plannedAt = at, text = "t" }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        noIncident["outcome"]!.GetValue<string>().Should().Be("failed");
        noIncident["reason"]!.GetValue<string>().Should().Contain("no incident of this run");
        var badCategory = await (await client.PostAsJsonAsync($"/api/v1/exercises/{id}/injects", new { line = 5, type = "incident", node = "jo", organisation = "lead", plannedAt = at, title = "t", category = "nonsense", severity = "high" }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        badCategory["outcome"]!.GetValue<string>().Should().Be("failed");
        badCategory["reason"]!.GetValue<string>().Should().StartWith("category:");
        var noTaskIncident = await (await client.PostAsJsonAsync($"/api/v1/exercises/{id}/injects", new { line = 6, type = "task", node = "jo", organisation = "lead", plannedAt = at, title = "t", assignee = "Someone" }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        noTaskIncident["reason"]!.GetValue<string>().Should().Contain("no incident of this run on this node yet to play the task on");
        (await client.GetFromJsonAsync<JsonObject>($"/api/v1/exercises/{id}"))!["failed"]!.GetValue<int>().Should().Be(3, "nothing is lost: refused plays are in the record");

        (await client.PostAsJsonAsync($"/api/v1/exercises/{id}/end", new { stopped = true })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetFromJsonAsync<JsonObject>($"/api/v1/exercises/{id}"))!["status"]!.GetValue<string>().Should().Be("stopped");
        (await client.PostAsJsonAsync($"/api/v1/exercises/{id}/injects", new { line = 4, type = "email", node = "jo", organisation = "lead", plannedAt = at, subject = "late" })).StatusCode.Should().Be(HttpStatusCode.Conflict);

        var viewer = factory.ClientWith((await factory.CreateTokenAsync((await factory.CreateUserAsync(lead.Organisation.Id, "viewer")).Id)).Secret);
        (await viewer.PostAsJsonAsync("/api/v1/exercises", new { name = "Drill", scenarioHash = new string('b', 64) })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [DbFact]
    public async Task An_inject_asked_to_wait_plays_once_what_it_works_on_arrives_and_fails_with_the_reason_when_it_never_does()
    {
        var lead = await factory.CreateTenantAsync();
        var client = factory.ClientWith(lead.AnalystSecret);
        var run = await (await client.PostAsJsonAsync("/api/v1/exercises", new { name = "Wait drill", scenarioHash = new string('d', 64), timeScale = 60 })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var id = run["id"]!.GetValue<Guid>();
        var injects = $"/api/v1/exercises/{id}/injects";
        var at = DateTimeOffset.UtcNow;
        await (await client.PostAsJsonAsync(injects, new { line = 2, type = "timeline", node = "jo", organisation = "lead", plannedAt = at, text = "t", waitSeconds = 61 })).ShouldBeValidationProblemAsync("waitSeconds");
        await (await client.PostAsJsonAsync(injects, new { line = 2, type = "timeline", node = "jo", organisation = "lead", plannedAt = at, text = "t", waitSeconds = -1 })).ShouldBeValidationProblemAsync("waitSeconds");

        // The timeline entry is asked for before the incident exists, as a node hears of an incident opened elsewhere.
        var waiting = client.PostAsJsonAsync(injects, new { line = 3, type = "timeline", node = "ma", organisation = "lead", plannedAt = at, text = "Contained on our side", waitSeconds = 30 });
        await Task.Delay(500);
        waiting.IsCompleted.Should().BeFalse("the entry waits for the run's incident");
        var opened = await (await client.PostAsJsonAsync(injects, new { line = 1, type = "incident", node = "jo", organisation = "lead", plannedAt = at, title = "Worm", category = "malicious-code:infected-system", severity = "high" }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        opened["outcome"]!.GetValue<string>().Should().Be("played");
        var written = await (await waiting).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        written["outcome"]!.GetValue<string>().Should().Be("played");
        written["incidentId"]!.GetValue<Guid>().Should().Be(opened["incidentId"]!.GetValue<Guid>());

        var never = await (await client.PostAsJsonAsync(injects, new { line = 4, type = "task-status", node = "ma", organisation = "lead", plannedAt = at, title = "Never assigned", status = "done", waitSeconds = 1 }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        never["outcome"]!.GetValue<string>().Should().Be("failed");
        never["reason"]!.GetValue<string>().Should().Contain("No task 'Never assigned' is assigned to this organisation");
        (await client.GetFromJsonAsync<JsonObject>($"/api/v1/exercises/{id}"))!["failed"]!.GetValue<int>().Should().Be(1, "an inject that waited is recorded once");
    }

    [DbFact]
    public async Task A_scenario_played_inside_the_server_runs_in_the_background_and_a_bad_file_is_refused_with_its_lines()
    {
        var lead = await factory.CreateTenantAsync();
        var client = factory.ClientWith(lead.AnalystSecret);
        var bad = await (await client.PostAsJsonAsync("/api/v1/exercises/play", new { scenario = "name: x\ntimeScale: fast\nnodes: []\n" })).ShouldBeValidationProblemAsync("scenario");
        bad["errors"]!["scenario"]![0]!.GetValue<string>().Should().Contain("line 2, column");
        await (await client.PostAsJsonAsync("/api/v1/exercises/play", new { scenario = "a: &x 1\nb: *x\n" })).ShouldBeValidationProblemAsync("scenario");
        await (await client.PostAsJsonAsync("/api/v1/exercises/play", new { scenario = (string?)null })).ShouldBeValidationProblemAsync("scenario");

        var yaml = ScenarioYaml(lead.Organisation.Name, "Nobody here").Replace("timeScale: 60", "timeScale: 10000", StringComparison.Ordinal);
        var run = await (await client.PostAsJsonAsync("/api/v1/exercises/play", new { scenario = yaml })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var id = run["id"]!.GetValue<Guid>();
        JsonObject? ended = null;
        for (var i = 0; i < 100 && ended?["status"]!.GetValue<string>() is null or "running"; i++)
        {
            await Task.Delay(100);
            ended = await client.GetFromJsonAsync<JsonObject>($"/api/v1/exercises/{id}");
        }

        ended!["status"]!.GetValue<string>().Should().Be("ended");
        ended["injects"]!.GetValue<int>().Should().Be(4, "on one node every scenario node is this one");
        (await client.GetStringAsync($"/api/v1/incidents?exerciseId={id}")).Should().Contain("Hospitals report .WNCRY files");
        (await client.PostAsync($"/api/v1/exercises/{id}/stop", null)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    /// <summary>A runner whose waits move the test clock on instead of passing time.</summary>
    private ScenarioRunner OnTheTestClock() => new(factory.Clock, (wait, _) =>
    {
        factory.Clock.Advance(wait);
        return Task.CompletedTask;
    });

    /// <summary>Requests to localhost go to the test server; anything else to the network, where a node may be down.</summary>
    private sealed class ServerOrNetwork(HttpMessageHandler server) : HttpMessageHandler
    {
        private readonly HttpMessageInvoker _server = new(server);
        private readonly HttpMessageInvoker _network = new(new SocketsHttpHandler());

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            request.RequestUri!.Host == "localhost" ? _server.SendAsync(request, cancellationToken) : _network.SendAsync(request, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            _server.Dispose();
            _network.Dispose();
            base.Dispose(disposing);
        }
    }
}

public sealed class ExerciseApiTestsSqlite(ClockedSqliteFactory factory) : ExerciseApiTests<ClockedSqliteFactory>(factory);

public sealed class ExerciseApiTestsPostgres(ClockedPostgresFactory factory) : ExerciseApiTests<ClockedPostgresFactory>(factory);
