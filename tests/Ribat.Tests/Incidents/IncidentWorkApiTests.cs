using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Incidents;

/// <summary>Working an incident together through the API: timeline, tasks, situation reports and links.</summary>
public abstract class IncidentWorkApiTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    private async Task<(Tenant Lead, Tenant Partner, Guid Incident)> SceneAsync()
    {
        var lead = await factory.CreateTenantAsync();
        var partner = await factory.CreateTenantAsync();
        var opened = await IncidentApiTests<TFactory>.OpenAsync(factory.ClientWith(lead.AnalystSecret), IncidentApiTests<TFactory>.Outbreak(partner.Organisation.Id));
        return (lead, partner, opened["id"]!.GetValue<Guid>());
    }

    [DbFact]
    public async Task The_lead_and_a_participant_write_one_timeline_and_each_changes_only_its_own_entries()
    {
        var (lead, partner, id) = await SceneAsync();
        var owner = factory.ClientWith(lead.AnalystSecret);
        var partnerClient = factory.ClientWith(partner.AnalystSecret);
        var happened = DateTimeOffset.UtcNow.AddHours(-3);

        var ours = await (await owner.PostAsJsonAsync($"/api/v1/incidents/{id}/timeline", new { text = "First encrypted host seen", occurredAt = happened, source = "EDR" }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        ours["stixId"]!.GetValue<string>().Should().StartWith("x-ribat-incident-entry--");
        ours["organisationId"]!.GetValue<Guid>().Should().Be(lead.Organisation.Id);
        ours["occurredAt"]!.GetValue<DateTimeOffset>().Should().BeCloseTo(happened, TimeSpan.FromSeconds(1));
        ours["recordedAt"]!.GetValue<DateTimeOffset>().Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        var theirs = await (await partnerClient.PostAsJsonAsync($"/api/v1/incidents/{id}/timeline", new { text = "Kill-switch domain sinkholed", source = "national CERT" }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);

        var timeline = await (await partnerClient.GetAsync($"/api/v1/incidents/{id}/timeline")).ReadJsonAsync();
        timeline["items"]!.AsArray().Select(e => e!["text"]!.GetValue<string>()).Should().Equal("First encrypted host seen", "Kill-switch domain sinkholed");
        timeline["items"]![0]!["mayEdit"]!.GetValue<bool>().Should().BeFalse();
        timeline["items"]![1]!["mayEdit"]!.GetValue<bool>().Should().BeTrue();

        (await partnerClient.PutAsJsonAsync($"/api/v1/timeline-entries/{ours["id"]}", new { text = "rewritten" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var edited = await (await partnerClient.PutAsJsonAsync($"/api/v1/timeline-entries/{theirs["id"]}", new { text = "Kill-switch domain sinkholed at 15:03" }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        edited["editedAt"].Should().NotBeNull();

        var incident = await (await owner.GetAsync($"/api/v1/incidents/{id}")).ReadJsonAsync();
        incident["participants"]![0]!["firstActionAt"].Should().NotBeNull("the partner's first entry is its first action on the share");

        await (await owner.PostAsJsonAsync($"/api/v1/incidents/{id}/timeline", new { text = " " })).ShouldBeValidationProblemAsync("text");
        await (await owner.PostAsJsonAsync($"/api/v1/incidents/{id}/timeline", new { text = "x", occurredAt = DateTimeOffset.UtcNow.AddDays(1) })).ShouldBeValidationProblemAsync("occurredAt");
        await (await owner.PostAsJsonAsync($"/api/v1/incidents/{id}/timeline", new { text = new string('x', 10_001) })).ShouldBeValidationProblemAsync("text");
        await (await owner.PostAsJsonAsync($"/api/v1/incidents/{id}/timeline", new { text = "x", source = "a\nb" })).ShouldBeValidationProblemAsync("source");
        var outsider = await factory.CreateTenantAsync();
        (await factory.ClientWith(outsider.AdminSecret).PostAsJsonAsync($"/api/v1/incidents/{id}/timeline", new { text = "planted" })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await factory.ClientWith(outsider.AdminSecret).GetAsync($"/api/v1/incidents/{id}/timeline")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [DbFact]
    public async Task Tasks_go_to_participants_only_and_the_assignee_reports_progress_on_its_status_alone()
    {
        var (lead, partner, id) = await SceneAsync();
        var stranger = await factory.CreateTenantAsync();
        var owner = factory.ClientWith(lead.AnalystSecret);
        var partnerClient = factory.ClientWith(partner.AnalystSecret);
        var due = DateTimeOffset.UtcNow.AddHours(4);

        var refused = await (await owner.PostAsJsonAsync($"/api/v1/incidents/{id}/tasks", new { title = "Block 445", assigneeOrganisationId = stranger.Organisation.Id }))
            .ShouldBeValidationProblemAsync("assigneeOrganisationId");
        refused["errors"]!["assigneeOrganisationId"]![0]!.GetValue<string>().Should().Contain("does not take part");
        await (await owner.PostAsJsonAsync($"/api/v1/incidents/{id}/tasks", new { title = "Block 445", assigneeOrganisationId = partner.Organisation.Id, assigneeUserId = lead.Analyst.Id }))
            .ShouldBeValidationProblemAsync("assigneeUserId");
        await (await owner.PostAsJsonAsync($"/api/v1/incidents/{id}/tasks", new { title = "Block 445" })).ShouldBeValidationProblemAsync("assigneeOrganisationId");

        var task = await (await owner.PostAsJsonAsync($"/api/v1/incidents/{id}/tasks",
            new { title = "Block 445/tcp at the border", assigneeOrganisationId = partner.Organisation.Id, assigneeUserId = partner.Analyst.Id, dueAt = due }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var taskId = task["id"]!.GetValue<Guid>();
        task["status"]!.GetValue<string>().Should().Be("open");
        task["assigneeOrganisationName"]!.GetValue<string>().Should().Be(partner.Organisation.Name);
        task["assigneeName"].Should().BeNull("people of another organisation stay unnamed");

        (await partnerClient.PatchJsonAsync($"/api/v1/incident-tasks/{taskId}", new { title = "Something else" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var progressing = await (await partnerClient.PatchJsonAsync($"/api/v1/incident-tasks/{taskId}", new { status = "in-progress" })).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        progressing["status"]!.GetValue<string>().Should().Be("in-progress");
        progressing["assigneeName"]!.GetValue<string>().Should().NotBeNullOrEmpty("the assignee names its own people");
        await (await partnerClient.PatchJsonAsync($"/api/v1/incident-tasks/{taskId}", new { status = "finished" })).ShouldBeValidationProblemAsync("status");
        var done = await (await partnerClient.PatchJsonAsync($"/api/v1/incident-tasks/{taskId}", new { status = "done" })).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        done["completedAt"].Should().NotBeNull();

        var moved = await (await owner.PatchJsonAsync($"/api/v1/incident-tasks/{taskId}", new { assigneeOrganisationId = lead.Organisation.Id, dueAt = due.AddHours(1) }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        moved["assigneeOrganisationId"]!.GetValue<Guid>().Should().Be(lead.Organisation.Id);
        moved["assigneeUserId"].Should().BeNull("a person of the former assignee does not follow the task");

        var tasks = await (await partnerClient.GetAsync($"/api/v1/incidents/{id}/tasks")).ReadJsonAsync();
        tasks["items"]!.AsArray().Should().ContainSingle();
        (await factory.ClientWith(stranger.AdminSecret).PatchJsonAsync($"/api/v1/incident-tasks/{taskId}", new { status = "cancelled" })).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [DbFact]
    public async Task A_sitrep_is_drafted_from_the_incident_edited_published_and_kept_as_versions()
    {
        var (lead, partner, id) = await SceneAsync();
        var owner = factory.ClientWith(lead.AnalystSecret);
        var partnerClient = factory.ClientWith(partner.AnalystSecret);
        await owner.PostAsJsonAsync($"/api/v1/incidents/{id}/timeline", new { text = "Patient records encrypted at two hospitals" });
        await owner.PostAsJsonAsync($"/api/v1/incidents/{id}/tasks", new { title = "Collect samples", assigneeOrganisationId = partner.Organisation.Id });

        var draft = await (await owner.PostAsync($"/api/v1/incidents/{id}/sitreps", null)).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var draftId = draft["id"]!.GetValue<Guid>();
        draft["version"]!.GetValue<int>().Should().Be(1);
        draft["state"]!.GetValue<string>().Should().Be("draft");
        var body = draft["body"]!.GetValue<string>();
        body.Should().Contain("Stage: reported").And.Contain("Severity: critical").And.Contain("FR, MA").And.Contain(partner.Organisation.Name)
            .And.Contain("Collect samples").And.Contain("Patient records encrypted at two hospitals");
        (await owner.PostAsync($"/api/v1/incidents/{id}/sitreps", null)).StatusCode.Should().Be(HttpStatusCode.Conflict, "one draft at a time");
        (await (await partnerClient.GetAsync($"/api/v1/incidents/{id}/sitreps")).ReadJsonAsync())["items"]!.AsArray().Should().BeEmpty("a draft stays with its organisation");
        (await partnerClient.GetAsync($"/api/v1/sitreps/{draftId}")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        await (await owner.PutAsJsonAsync($"/api/v1/sitreps/{draftId}", new { title = "SITREP 1", body = "" })).ShouldBeValidationProblemAsync("body");
        await (await owner.PutAsJsonAsync($"/api/v1/sitreps/{draftId}", new { title = "SITREP 1", body = body + "\nAssessment: spreading." })).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        var published = await (await owner.PostAsync($"/api/v1/sitreps/{draftId}/publish", null)).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        published["publishedAt"].Should().NotBeNull();
        (await owner.PutAsJsonAsync($"/api/v1/sitreps/{draftId}", new { title = "SITREP 1", body = "rewritten history" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await owner.PostAsync($"/api/v1/sitreps/{draftId}/publish", null)).StatusCode.Should().Be(HttpStatusCode.Conflict);

        var seen = await (await partnerClient.GetAsync($"/api/v1/sitreps/{draftId}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        seen["body"]!.GetValue<string>().Should().EndWith("Assessment: spreading.");
        seen["mayEdit"]!.GetValue<bool>().Should().BeFalse();

        var second = await (await owner.PostAsync($"/api/v1/incidents/{id}/sitreps", null)).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        second["version"]!.GetValue<int>().Should().Be(2);
        var versions = await (await owner.GetAsync($"/api/v1/incidents/{id}/sitreps")).ReadJsonAsync();
        versions["items"]!.AsArray().Select(s => s!["version"]!.GetValue<int>()).Should().Equal(2, 1);
    }

    [DbFact]
    public async Task Linked_indicators_show_only_to_those_who_may_see_them()
    {
        var (lead, partner, id) = await SceneAsync();
        var owner = factory.ClientWith(lead.AnalystSecret);
        var partnerClient = factory.ClientWith(partner.AnalystSecret);
        var secret = await (await owner.PostAsJsonAsync("/api/v1/indicators", new { type = "domain", value = "iuqerfsodp9ifjaposdfjhgosurijfaewrwergwea.com", sharing = new { tlp = "red" } }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var shared = await (await owner.PostAsJsonAsync("/api/v1/indicators",
            new { type = "sha256", value = "ed01ebfbc9eb5bbea545af4d01bf5f1071661840480439c6e5babe8e080e41aa", sharing = new { tlp = "green", distribution = "community" } }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var secretId = secret["ids"]![0]!.GetValue<Guid>();
        var sharedId = shared["ids"]![0]!.GetValue<Guid>();

        await (await owner.PostAsJsonAsync($"/api/v1/incidents/{id}/links", new { kind = "indicator", targetId = secretId })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        await (await owner.PostAsJsonAsync($"/api/v1/incidents/{id}/links", new { kind = "indicator", targetId = sharedId })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        (await owner.PostAsJsonAsync($"/api/v1/incidents/{id}/links", new { kind = "indicator", targetId = sharedId })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        await (await owner.PostAsJsonAsync($"/api/v1/incidents/{id}/links", new { kind = "malware", targetId = sharedId })).ShouldBeValidationProblemAsync("kind");
        await (await partnerClient.PostAsJsonAsync($"/api/v1/incidents/{id}/links", new { kind = "indicator", targetId = secretId })).ShouldBeValidationProblemAsync("targetId");

        (await (await owner.GetAsync($"/api/v1/incidents/{id}/links")).ReadJsonAsync())["items"]!.AsArray().Should().HaveCount(2);
        var seen = await partnerClient.GetStringAsync($"/api/v1/incidents/{id}/links");
        seen.Should().Contain("ed01ebfbc9eb5bbea545af4d01bf5f1071661840480439c6e5babe8e080e41aa").And.NotContain("iuqerfsodp9ifjaposdfjhgosurijfaewrwergwea").And.NotContain(secretId.ToString());

        // A situation report drafted by each counts only the indicators its author may see, and lists the incident's values.
        await (await partnerClient.PostAsJsonAsync($"/api/v1/incidents/{id}/links", new { kind = "value", type = "ipv4", value = "203.0.113[.]9" })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var ownerDraft = (await (await owner.PostAsync($"/api/v1/incidents/{id}/sitreps", null)).ShouldBeAsync<JsonObject>(HttpStatusCode.Created))["body"]!.GetValue<string>();
        var partnerDraft = (await (await partnerClient.PostAsync($"/api/v1/incidents/{id}/sitreps", null)).ShouldBeAsync<JsonObject>(HttpStatusCode.Created))["body"]!.GetValue<string>();
        ownerDraft.Should().Contain("Linked indicators: 2").And.Contain("Values on the incident (1):\n- ipv4: 203.0.113.9");
        partnerDraft.Should().Contain("Linked indicators: 1", "the TLP:RED indicator is not the partner's to count").And.Contain("- ipv4: 203.0.113.9");

        (await partnerClient.DeleteAsync($"/api/v1/incidents/{id}/links/{sharedId}")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await owner.DeleteAsync($"/api/v1/incidents/{id}/links/{sharedId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await (await owner.GetAsync($"/api/v1/incidents/{id}/links")).ReadJsonAsync())["items"]!.AsArray().Select(l => l!["kind"]!.GetValue<string>())
            .Should().BeEquivalentTo(["indicator", "value"], "the TLP:RED indicator and the partner's value remain");
    }

    [DbFact]
    public async Task A_participant_links_a_value_that_is_checked_made_canonical_seen_with_the_incident_and_kept_out_of_the_indicator_store()
    {
        var (lead, partner, id) = await SceneAsync();
        var owner = factory.ClientWith(lead.AnalystSecret);
        var partnerClient = factory.ClientWith(partner.AnalystSecret);
        var host = $"c2-{Guid.NewGuid():N}.example.org";

        // Defanged as it came in a report: refanged and stored canonical, under the type the store gives it.
        var linked = await (await partnerClient.PostAsJsonAsync($"/api/v1/incidents/{id}/links", new { kind = "value", type = "URL", value = $"hxxps://{host.Replace(".", "[.]", StringComparison.Ordinal)}/Gate.php" }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        (linked["kind"]!.GetValue<string>(), linked["valueType"]!.GetValue<string>(), linked["value"]!.GetValue<string>()).Should().Be(("value", "url", $"https://{host}/Gate.php"));
        linked["stixId"]!.GetValue<string>().Should().StartWith("x-ribat-incident-link--");
        (linked["organisationId"]!.GetValue<Guid>(), linked["organisationName"]!.GetValue<string>()).Should().Be((partner.Organisation.Id, partner.Organisation.Name));
        linked["organisationNode"].Should().BeNull("the linking organisation is on this node");
        linked["mayUnlink"]!.GetValue<bool>().Should().BeTrue();
        await (await partnerClient.PostAsJsonAsync($"/api/v1/incidents/{id}/links", new { kind = "value", type = "domain", value = "203.0.113.9" })).ShouldBeValidationProblemAsync("value");
        (await partnerClient.PostAsJsonAsync($"/api/v1/incidents/{id}/links", new { kind = "value", type = "url", value = $"https://{host}/Gate.php" })).StatusCode
            .Should().Be(HttpStatusCode.Conflict, "the organisation already links that value");

        // The lead sees the value with the incident, whatever the indicator store holds; nobody outside the incident does.
        var seen = (await (await owner.GetAsync($"/api/v1/incidents/{id}/links")).ReadJsonAsync())["items"]!.AsArray();
        var row = seen.Should().ContainSingle().Subject!;
        row["label"]!.GetValue<string>().Should().Be($"url: https://{host}/Gate.php");
        row["mayUnlink"]!.GetValue<bool>().Should().BeFalse("only the linking organisation removes a link");
        (await owner.GetStringAsync("/api/v1/notifications?pending=true")).Should().Contain($"url https://{host}/Gate.php", "a value linked to a critical incident alerts the others working it");
        var outsider = factory.ClientWith((await factory.CreateTenantAsync()).AnalystSecret);
        (await outsider.GetAsync($"/api/v1/incidents/{id}/links")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await owner.GetStringAsync("/api/v1/indicators?limit=500")).Should().NotContain(host, "a value link is not an indicator");
        (await partnerClient.GetStringAsync("/api/v1/indicators?limit=500")).Should().NotContain(host);
        (await partnerClient.GetStringAsync("/api/v1/indicators/export?format=plain")).Should().NotContain(host);

        (await owner.DeleteAsync($"/api/v1/incidents/{id}/links/{linked["id"]}")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await partnerClient.DeleteAsync($"/api/v1/incidents/{id}/links/{linked["id"]}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await (await owner.GetAsync($"/api/v1/incidents/{id}/links")).ReadJsonAsync())["items"]!.AsArray().Should().BeEmpty();
        (await partnerClient.DeleteAsync($"/api/v1/incidents/{id}/links/{linked["id"]}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [DbFact]
    public async Task A_bad_value_link_is_refused_with_the_field_at_fault_and_nothing_is_linked()
    {
        var (lead, _, id) = await SceneAsync();
        var owner = factory.ClientWith(lead.AnalystSecret);
        async Task RefusedAsync(object body, string field, string? says = null)
        {
            var problem = await (await owner.PostAsJsonAsync($"/api/v1/incidents/{id}/links", body)).ShouldBeValidationProblemAsync(field);
            if (says is not null)
            {
                problem["errors"]![field]![0]!.GetValue<string>().Should().Contain(says);
            }
        }

        await RefusedAsync(new { kind = "value", type = "colour", value = "red" }, "type", "'colour' is not a value type");
        await RefusedAsync(new { kind = "value", value = "203.0.113.9" }, "type");
        await RefusedAsync(new { kind = "value", type = "sigma", value = "title: x" }, "type", "detection rule");
        await RefusedAsync(new { kind = "value", type = "ipv4", value = "999.1.1.1" }, "value");
        await RefusedAsync(new { kind = "value", type = "sha256", value = "abc" }, "value");
        await RefusedAsync(new { kind = "value", type = "ipv4" }, "value", "needs a value");
        await RefusedAsync(new { kind = "value", type = "domain", value = new string('a', 9000) + ".com" }, "value", "longer than");
        await RefusedAsync(new { kind = "value", type = "domain", value = "evil\u0000.example" }, "value");
        await RefusedAsync(new { kind = "value", type = "ipv4", value = "203.0.113.9", targetId = Guid.CreateVersion7() }, "targetId");
        await RefusedAsync(new { kind = "indicator", targetId = Guid.CreateVersion7(), type = "ipv4", value = "203.0.113.9" }, "value");
        await RefusedAsync(new { kind = "observable", type = "ipv4", value = "203.0.113.9" }, "kind", "indicator, report, value");
        var truncated = await owner.PostAsync($"/api/v1/incidents/{id}/links", new StringContent("{\"kind\":\"value\",\"type\":\"ipv4\",\"val", System.Text.Encoding.UTF8, "application/json"));
        truncated.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await truncated.Content.ReadAsStringAsync()).Should().NotContain("   at ", "no stack trace");
        (await (await owner.GetAsync($"/api/v1/incidents/{id}/links")).ReadJsonAsync())["items"]!.AsArray().Should().BeEmpty();
    }

    [DbFact]
    public async Task A_playbook_shared_by_one_organisation_is_applied_by_another_and_its_steps_become_tasks()
    {
        var (lead, partner, id) = await SceneAsync();
        var author = await factory.CreateTenantAsync();
        var playbook = await (await factory.ClientWith(author.AnalystSecret).PostAsJsonAsync("/api/v1/playbooks", new
        {
            title = "Ransomware worm outbreak",
            category = "malicious-code:infected-system",
            steps = new object[]
            {
                new { title = "Notify the national CERT network", role = "lead", dueAfterHours = 1 },
                new { title = "Block 445/tcp at the border", role = "analyst", dueAfterHours = 4 },
                new { title = "Preserve samples for the investigation", role = "investigator" },
            },
            sharing = new { tlp = "green", distribution = "community" },
        })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var playbookId = playbook["id"]!.GetValue<Guid>();
        playbook["steps"]!.AsArray().Select(s => s!["order"]!.GetValue<int>()).Should().Equal(1, 2, 3);

        var partnerClient = factory.ClientWith(partner.AnalystSecret);
        (await (await partnerClient.GetAsync("/api/v1/playbooks?limit=500")).ReadJsonAsync())["items"]!.AsArray()
            .Should().Contain(p => p!["id"]!.GetValue<Guid>() == playbookId, "a community playbook travels like intelligence");
        var applied = await (await partnerClient.PostAsJsonAsync($"/api/v1/incidents/{id}/playbooks", new { playbookId })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var tasks = applied["items"]!.AsArray();
        tasks.Select(t => t!["title"]!.GetValue<string>()).Should().Equal(
            "1. Notify the national CERT network", "2. Block 445/tcp at the border", "3. Preserve samples for the investigation");
        tasks[0]!["assigneeOrganisationId"]!.GetValue<Guid>().Should().Be(lead.Organisation.Id, "a lead step goes to the lead");
        tasks[1]!["assigneeOrganisationId"]!.GetValue<Guid>().Should().Be(partner.Organisation.Id);
        tasks[1]!["role"]!.GetValue<string>().Should().Be("analyst");
        tasks[1]!["dueAt"]!.GetValue<DateTimeOffset>().Should().BeCloseTo(DateTimeOffset.UtcNow.AddHours(4), TimeSpan.FromMinutes(2));
        tasks[2]!["dueAt"].Should().BeNull();

        var stranger = await factory.CreateTenantAsync();
        await (await partnerClient.PostAsJsonAsync($"/api/v1/incidents/{id}/playbooks", new { playbookId, assigneeOrganisationId = stranger.Organisation.Id }))
            .ShouldBeValidationProblemAsync("assigneeOrganisationId");
        await (await partnerClient.PostAsJsonAsync($"/api/v1/incidents/{id}/playbooks", new { playbookId = Guid.CreateVersion7() })).ShouldBeValidationProblemAsync("playbookId");
        var bad = await (await partnerClient.PostAsJsonAsync("/api/v1/playbooks", new { title = "x", steps = new object[] { new { title = "", role = "wizard", dueAfterHours = -1 } } }))
            .ShouldBeValidationProblemAsync("steps[0]");
        bad["errors"]!["steps[0]"]!.AsArray().Should().HaveCount(3);
        await (await partnerClient.PostAsJsonAsync("/api/v1/playbooks", new { title = "x" })).ShouldBeValidationProblemAsync("steps");
    }
}

public sealed class IncidentWorkApiTestsSqlite(SqliteFactory factory) : IncidentWorkApiTests<SqliteFactory>(factory);

public sealed class IncidentWorkApiTestsPostgres(PostgresFactory factory) : IncidentWorkApiTests<PostgresFactory>(factory);
