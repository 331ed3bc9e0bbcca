using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Federation;
using Ribat.Core.Tenancy;
using Ribat.Stix.Signing;
using Ribat.Stix.Taxii.Client;
using Ribat.Tests.Cooperation;
using Ribat.Tests.Federation;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Incidents;

/// <summary>
/// A partner node's incident at this node, through the real TAXII pipeline with signed pushes (the partner is played by
/// the test): its copy here, worked on by the participant here whose work leaves for the lead, and everything a partner
/// may not change refused with its reason and nothing written.
/// </summary>
public abstract class PartnerIncidentTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ClockedFactory
{
    private sealed record Setup(Tenant Tenant, Guid PartnerId, Guid PartnerNode, string Secret, ECDsa PartnerKey, Guid LocalNode, Guid Lead, Guid Colleague);

    private string ApiRoot => new Uri(factory.Server.BaseAddress, "/taxii2/ribat/").ToString();

    private async Task<Setup> SetupAsync()
    {
        var tenant = await factory.CreateTenantAsync();
        var partner = await PlayedPartner.RecordAsync(factory);
        return new Setup(tenant, partner.PartnerId, partner.Node, partner.Secret, partner.Key, partner.LocalNode, Guid.CreateVersion7(), Guid.CreateVersion7());
    }

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A partner's object with Ribat's terms: owned by <paramref name="owner"/> on the partner node, addressed to the organisation here.</summary>
    private static JsonObject Terms(Setup setup, JsonObject stix, Guid owner, string tlp = "amber")
    {
        stix["spec_version"] = "2.1";
        stix["object_marking_refs"] = new JsonArray(Ribat.Core.Sharing.Tlps.StixMarkingId(tlp == "amber" ? Ribat.Core.Sharing.Tlp.Amber : Ribat.Core.Sharing.Tlp.Green));
        stix["extensions"] = new JsonObject
        {
            [RibatStixExtension.Id] = new JsonObject
            {
                ["extension_type"] = "property-extension",
                ["pap"] = "PAP:AMBER",
                ["distribution"] = "organisation-only",
                ["owner_organisation"] = owner.ToString(),
                ["owner_node"] = setup.PartnerNode.ToString(),
                ["recipients"] = new JsonArray(new JsonObject { ["organisation"] = setup.Tenant.Organisation.Id.ToString(), ["node"] = setup.LocalNode.ToString() }),
            },
        };
        return stix;
    }

    private static JsonObject Incident(Setup setup, Guid id, DateTimeOffset reported, DateTimeOffset modified, string status = "reported", Guid? owner = null) => Terms(setup, new JsonObject
    {
        ["type"] = "incident",
        ["id"] = $"incident--{id}",
        ["created"] = Stamp(reported),
        ["modified"] = Stamp(modified),
        ["name"] = "Ransomware in the port's logistics systems",
        ["category"] = "malicious-code:infected-system",
        ["severity"] = "high",
        ["sectors"] = new JsonArray("transport"),
        ["countries"] = new JsonArray("JO", "FR"),
        ["status"] = status,
        ["status_changed"] = Stamp(modified),
        ["lead_organisation"] = setup.Lead.ToString(),
        ["lead_node"] = setup.PartnerNode.ToString(),
        ["participants"] = new JsonArray(
            new JsonObject { ["organisation"] = setup.Tenant.Organisation.Id.ToString(), ["node"] = setup.LocalNode.ToString(), ["joined"] = Stamp(reported) },
            new JsonObject { ["organisation"] = setup.Colleague.ToString(), ["node"] = setup.PartnerNode.ToString(), ["joined"] = Stamp(reported) }),
        ["reported"] = Stamp(reported),
        ["first_shared"] = Stamp(reported),
    }, owner ?? setup.Lead);

    private static JsonObject Entry(Setup setup, Guid id, Guid incident, Guid organisation, DateTimeOffset at, string text, Guid? sender = null) => Terms(setup, new JsonObject
    {
        ["type"] = "x-ribat-incident-entry",
        ["id"] = $"x-ribat-incident-entry--{id}",
        ["created"] = Stamp(at),
        ["modified"] = Stamp(at),
        ["incident_ref"] = $"incident--{incident}",
        ["organisation"] = organisation.ToString(),
        ["node"] = setup.PartnerNode.ToString(),
        ["occurred"] = Stamp(at),
        ["author_name"] = "Duty officer",
        ["text"] = text,
    }, sender ?? organisation);

    private async Task<TaxiiStatusOutcome> PushAsync(Setup setup, params JsonObject[] objects)
    {
        var client = new TaxiiClient(factory.CreateClient(), new TaxiiClientOptions { Secret = setup.Secret, SignBody = body => PayloadSignature.Sign(body, setup.PartnerKey) });
        var envelope = Encoding.UTF8.GetBytes(new JsonObject { ["objects"] = new JsonArray([.. objects.Select(o => (JsonNode)o.DeepClone())]) }.ToJsonString());
        var posted = await client.PostObjectsAsync(ApiRoot, setup.PartnerId.ToString("D"), envelope);
        posted.IsSuccess.Should().BeTrue(posted.Failure?.Message);
        return new TaxiiStatusOutcome(posted.Value!.SuccessCount, posted.Value.Failures?.Select(f => f.Message ?? string.Empty).ToList() ?? []);
    }

    private sealed record TaxiiStatusOutcome(int Added, List<string> Refused);

    /// <summary>What the partner pulls from its exchange collection here, by type.</summary>
    private async Task<List<JsonElement>> PulledAsync(Setup setup, string type)
    {
        var client = new TaxiiClient(factory.CreateClient(), new TaxiiClientOptions { Secret = setup.Secret });
        var page = await client.GetObjectsAsync(ApiRoot, setup.PartnerId.ToString("D"), new ObjectsQuery { Types = [type] });
        page.IsSuccess.Should().BeTrue(page.Failure?.Message);
        return page.Value!.Resource.Objects?.ToList() ?? [];
    }

    [DbFact]
    public async Task A_partners_incident_reaches_its_participant_here_who_is_alerted_works_on_it_and_whose_work_leaves_for_the_lead()
    {
        var setup = await SetupAsync();
        var id = Guid.CreateVersion7();
        var reported = factory.Clock.GetUtcNow();
        var pushed = await PushAsync(setup, Incident(setup, id, reported, reported));
        pushed.Refused.Should().BeEmpty();

        var analyst = factory.ClientWith(setup.Tenant.AnalystSecret);
        var seen = await (await analyst.GetAsync($"/api/v1/incidents/{id}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        seen["leadOrganisationId"]!.GetValue<Guid>().Should().Be(setup.Lead);
        (seen["isParticipant"]!.GetValue<bool>(), seen["mayChange"]!.GetValue<bool>(), seen["mayContribute"]!.GetValue<bool>()).Should().Be((true, false, true));
        seen["participants"]!.AsArray().Select(p => p!["organisationNode"]?.GetValue<Guid>()).Should().BeEquivalentTo(new Guid?[] { null, setup.PartnerNode });
        (await analyst.GetStringAsync("/api/v1/incidents?limit=500")).Should().Contain(id.ToString(), "the partner's incident is in the participant's list");
        (await analyst.GetStringAsync("/api/v1/notifications?pending=true")).Should().Contain($"/incidents/{id}", "the person on duty is told to acknowledge it");
        var outsider = await factory.CreateTenantAsync();
        (await factory.ClientWith(outsider.AnalystSecret).GetAsync($"/api/v1/incidents/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        // Ten minutes later the participant acknowledges and records what it sees; both leave for the lead's node.
        factory.Clock.Advance(TimeSpan.FromMinutes(10));
        (await analyst.PostAsync($"/api/v1/incidents/{id}/acknowledge", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        factory.Clock.Advance(TimeSpan.FromMinutes(5));
        var entry = await (await analyst.PostAsJsonAsync($"/api/v1/incidents/{id}/timeline", new { text = "Port gate terminals encrypted" })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var task = await (await analyst.PostAsJsonAsync($"/api/v1/incidents/{id}/tasks", new { title = "Collect the gate logs", assigneeOrganisationId = setup.Colleague })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);

        var acks = await PulledAsync(setup, "x-ribat-incident-ack");
        var ack = acks.Should().ContainSingle(a => a.GetProperty("incident_ref").GetString() == $"incident--{id}").Subject;
        ack.GetProperty("acknowledged").GetString().Should().Be(Stamp(reported.AddMinutes(10)));
        var terms = ack.GetProperty("extensions").GetProperty(RibatStixExtension.Id);
        terms.GetProperty("owner_organisation").GetGuid().Should().Be(setup.Tenant.Organisation.Id);
        terms.GetProperty("recipients").EnumerateArray().Select(r => r.GetProperty("organisation").GetGuid()).Should().BeEquivalentTo([setup.Lead, setup.Colleague]);
        (await PulledAsync(setup, "x-ribat-incident-entry")).Select(e => e.GetProperty("id").GetString()).Should().Contain(entry["stixId"]!.GetValue<string>());
        var sentTask = (await PulledAsync(setup, "x-ribat-incident-task")).Single(t => t.GetProperty("id").GetString() == task["stixId"]!.GetValue<string>());
        sentTask.GetProperty("assignee_organisation").GetGuid().Should().Be(setup.Colleague);
        sentTask.GetProperty("assignee_node").GetGuid().Should().Be(setup.PartnerNode);

        // The lead's entry and its status change come back into the copy; the metrics here use the replicated clocks.
        var leadEntry = Guid.CreateVersion7();
        (await PushAsync(setup,
            Entry(setup, leadEntry, id, setup.Lead, reported.AddMinutes(20), "Containment started at the port"),
            Incident(setup, id, reported, reported.AddMinutes(21), status: "triage"))).Refused.Should().BeEmpty();
        var timeline = (await (await analyst.GetAsync($"/api/v1/incidents/{id}/timeline")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK))["items"]!.AsArray();
        timeline.Select(e => e!["text"]!.GetValue<string>()).Should().Contain(["Port gate terminals encrypted", "Containment started at the port"]);
        (await analyst.GetFromJsonAsync<JsonObject>($"/api/v1/incidents/{id}"))!["status"]!.GetValue<string>().Should().Be("triage");

        var metrics = await (await analyst.GetAsync($"/api/v1/incidents/{id}/metrics")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        var measured = metrics["measurements"]!.AsArray().ToDictionary(m => (m!["metric"]!.GetValue<string>(), m["organisationId"]!.GetValue<Guid>()), m => TimeSpan.Parse(m!["duration"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        // The join time travelled as a STIX timestamp (milliseconds); the clock here keeps finer ticks.
        measured[("time-to-acknowledge", setup.Tenant.Organisation.Id)].Should().BeCloseTo(TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(1));
        measured[("time-to-act-on-share", setup.Tenant.Organisation.Id)].Should().BeCloseTo(TimeSpan.FromMinutes(15), TimeSpan.FromMilliseconds(1));

        // Completing a task assigned here to the lead's colleague is not ours to report; the colleague's progress comes from its node.
        (await analyst.PatchAsJsonAsync($"/api/v1/incident-tasks/{task["id"]}", new { status = "done" })).StatusCode.Should().Be(HttpStatusCode.OK, "the author may close its own task");
        var progress = Terms(setup, new JsonObject
        {
            ["type"] = "x-ribat-incident-task-progress",
            ["id"] = DerivedProgressId(task["stixId"]!.GetValue<string>(), setup.Colleague),
            ["created"] = Stamp(reported.AddMinutes(30)),
            ["modified"] = Stamp(reported.AddMinutes(30)),
            ["incident_ref"] = $"incident--{id}",
            ["task_ref"] = task["stixId"]!.GetValue<string>(),
            ["organisation"] = setup.Colleague.ToString(),
            ["node"] = setup.PartnerNode.ToString(),
            ["status"] = "in-progress",
        }, setup.Colleague);
        (await PushAsync(setup, progress)).Refused.Should().BeEmpty();
        var tasks = (await (await analyst.GetAsync($"/api/v1/incidents/{id}/tasks")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK))["items"]!.AsArray();
        tasks.Single(t => t!["id"]!.GetValue<Guid>() == task["id"]!.GetValue<Guid>())!["status"]!.GetValue<string>()
            .Should().Be("in-progress", "the assignee's later report says where the task stands");
    }

    private static string DerivedProgressId(string taskStixId, Guid organisation)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"x-ribat-incident-task-progress|{taskStixId}|{organisation:D}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return $"x-ribat-incident-task-progress--{new Guid(hash.AsSpan(0, 16), bigEndian: true):D}";
    }

    [DbFact]
    public async Task What_a_partner_may_not_change_is_refused_with_its_reason_and_nothing_of_it_is_written()
    {
        var setup = await SetupAsync();
        var id = Guid.CreateVersion7();
        var reported = factory.Clock.GetUtcNow();
        var leadEntry = Guid.CreateVersion7();
        (await PushAsync(setup, Incident(setup, id, reported, reported), Entry(setup, leadEntry, id, setup.Lead, reported, "First report"))).Refused.Should().BeEmpty();

        var bySomeoneElse = Entry(setup, leadEntry, id, setup.Colleague, reported.AddMinutes(1), "Rewritten by a colleague");
        var claimsAnother = Entry(setup, Guid.CreateVersion7(), id, setup.Lead, reported.AddMinutes(1), "Sent for the lead", sender: setup.Colleague);
        var statusByNonLead = Incident(setup, id, reported, reported.AddMinutes(2), status: "closed", owner: setup.Colleague);
        var badSeverity = Incident(setup, Guid.CreateVersion7(), reported, reported);
        badSeverity["severity"] = "apocalyptic";
        var controlCharacters = Incident(setup, Guid.CreateVersion7(), reported, reported);
        controlCharacters["name"] = "Port\u0007bell";
        var oversized = Entry(setup, Guid.CreateVersion7(), id, setup.Lead, reported, new string('x', 10_001));
        var unknownStatus = Incident(setup, Guid.CreateVersion7(), reported, reported, status: "panicking");
        var missingReported = Incident(setup, Guid.CreateVersion7(), reported, reported);
        missingReported.Remove("reported");
        var strangerHere = Incident(setup, Guid.CreateVersion7(), reported, reported);
        strangerHere["participants"]!.AsArray().Add(new JsonObject { ["organisation"] = Guid.CreateVersion7().ToString(), ["node"] = setup.LocalNode.ToString(), ["joined"] = Stamp(reported) });

        var outcome = await PushAsync(setup, bySomeoneElse, claimsAnother, statusByNonLead, badSeverity, controlCharacters, oversized, unknownStatus, missingReported, strangerHere);
        outcome.Added.Should().Be(0);
        outcome.Refused.Should().HaveCount(9);
        outcome.Refused[0].Should().Contain($"was written by organisation {setup.Lead}; only it changes it");
        outcome.Refused[1].Should().Contain("a node sends only what its own organisations wrote");
        outcome.Refused[2].Should().Contain("only the lead changes an incident");
        outcome.Refused[3].Should().Contain("severity 'apocalyptic' is not one of");
        outcome.Refused[4].Should().Contain("name holds control characters");
        outcome.Refused[5].Should().Contain("text is longer than 10,000 characters");
        outcome.Refused[6].Should().Contain("status 'panicking' is not one of");
        outcome.Refused[7].Should().Contain("reported is missing");
        outcome.Refused[8].Should().Contain("is said to be on this node but is not one of its organisations");

        var analyst = factory.ClientWith(setup.Tenant.AnalystSecret);
        (await analyst.GetFromJsonAsync<JsonObject>($"/api/v1/incidents/{id}"))!["status"]!.GetValue<string>().Should().Be("reported");
        var timeline = (await (await analyst.GetAsync($"/api/v1/incidents/{id}/timeline")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK))["items"]!.AsArray();
        timeline.Select(e => e!["text"]!.GetValue<string>()).Should().Equal("First report");
        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        (await db.StixObjects.CountAsync(s => s.PartnerId == setup.PartnerId)).Should().Be(2, "only the incident and the lead's entry were stored");
        (await db.Incidents.CountAsync(i => i.OwnerNode == setup.PartnerNode)).Should().Be(1);

        // An older version of the incident than the one held changes nothing and is no error.
        (await PushAsync(setup, Incident(setup, id, reported, reported.AddMinutes(5), status: "triage"))).Refused.Should().BeEmpty();
        var older = Incident(setup, id, reported, reported.AddMinutes(4), status: "closed");
        (await PushAsync(setup, older)).Refused.Should().BeEmpty();
        (await analyst.GetFromJsonAsync<JsonObject>($"/api/v1/incidents/{id}"))!["status"]!.GetValue<string>().Should().Be("triage");
    }

    [DbFact]
    public async Task A_part_that_arrives_before_its_incident_waits_and_is_written_when_the_incident_comes()
    {
        var setup = await SetupAsync();
        var id = Guid.CreateVersion7();
        var reported = factory.Clock.GetUtcNow();
        var early = Guid.CreateVersion7();
        (await PushAsync(setup, Entry(setup, early, id, setup.Colleague, reported.AddMinutes(3), "Colleague saw it first"))).Refused.Should().BeEmpty();
        (await PushAsync(setup, Incident(setup, id, reported, reported))).Refused.Should().BeEmpty();

        var analyst = factory.ClientWith(setup.Tenant.AnalystSecret);
        var timeline = (await (await analyst.GetAsync($"/api/v1/incidents/{id}/timeline")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK))["items"]!.AsArray();
        timeline.Select(e => e!["text"]!.GetValue<string>()).Should().Equal("Colleague saw it first");
        var seen = await analyst.GetFromJsonAsync<JsonObject>($"/api/v1/incidents/{id}");
        seen!["participants"]!.AsArray().Single(p => p!["organisationId"]!.GetValue<Guid>() == setup.Colleague)!["firstActionAt"]!.GetValue<DateTimeOffset>()
            .Should().Be(DateTimeOffset.Parse(Stamp(reported.AddMinutes(3)), System.Globalization.CultureInfo.InvariantCulture));
    }

    [DbFact]
    public async Task Playbooks_travel_to_partners_and_a_partners_playbook_is_applied_to_an_incident_here()
    {
        var setup = await SetupAsync();
        var analyst = factory.ClientWith(setup.Tenant.AnalystSecret);
        var ours = await (await analyst.PostAsJsonAsync("/api/v1/playbooks", new
        {
            title = "Ransomware first hour",
            steps = new[] { new { title = "Isolate", role = "analyst" } },
            sharing = new { tlp = "green", distribution = "connected-communities" },
        })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var sent = (await PulledAsync(setup, "x-ribat-playbook")).Should().ContainSingle(p => p.GetProperty("id").GetString() == ours["stixId"]!.GetValue<string>()).Subject;
        sent.GetProperty("steps")[0].GetProperty("title").GetString().Should().Be("Isolate");

        var theirs = Guid.CreateVersion7();
        var playbook = Terms(setup, new JsonObject
        {
            ["type"] = "x-ribat-playbook",
            ["id"] = $"x-ribat-playbook--{theirs}",
            ["created"] = Stamp(factory.Clock.GetUtcNow()),
            ["modified"] = Stamp(factory.Clock.GetUtcNow()),
            ["name"] = "DDoS on a port authority",
            ["category"] = "availability:ddos",
            ["steps"] = new JsonArray(
                new JsonObject { ["order"] = 1, ["title"] = "Call the upstream provider", ["role"] = "liaison", ["due_after_hours"] = 1 },
                new JsonObject { ["order"] = 2, ["title"] = "Report to the lead", ["role"] = "lead" }),
        }, setup.Lead, tlp: "green");
        var badRole = Terms(setup, new JsonObject
        {
            ["type"] = "x-ribat-playbook",
            ["id"] = $"x-ribat-playbook--{Guid.CreateVersion7()}",
            ["created"] = Stamp(factory.Clock.GetUtcNow()),
            ["modified"] = Stamp(factory.Clock.GetUtcNow()),
            ["name"] = "Bad",
            ["steps"] = new JsonArray(new JsonObject { ["order"] = 1, ["title"] = "x", ["role"] = "janitor" }),
        }, setup.Lead);
        var outcome = await PushAsync(setup, playbook, badRole);
        outcome.Refused.Should().ContainSingle().Which.Should().Contain("role 'janitor' is not one of");

        var received = await (await analyst.GetAsync($"/api/v1/playbooks/{theirs}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        received["ownerOrganisationId"]!.GetValue<Guid>().Should().Be(setup.Lead);
        received["steps"]!.AsArray().Should().HaveCount(2);

        var incident = await IncidentApiTests<TFactory>.OpenAsync(analyst, IncidentApiTests<TFactory>.Outbreak());
        var applied = (await (await analyst.PostAsJsonAsync($"/api/v1/incidents/{incident["id"]}/playbooks", new { playbookId = theirs })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created))["items"]!.AsArray();
        applied.Select(t => t!["title"]!.GetValue<string>()).Should().Equal("1. Call the upstream provider", "2. Report to the lead");
    }
}

public sealed class PartnerIncidentTestsSqlite(ClockedSqliteFactory factory) : PartnerIncidentTests<ClockedSqliteFactory>(factory);

public sealed class PartnerIncidentTestsPostgres(ClockedPostgresFactory factory) : PartnerIncidentTests<ClockedPostgresFactory>(factory);
