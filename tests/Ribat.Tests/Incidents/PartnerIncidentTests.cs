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

    /// <summary>An organisation's link on the partner node: to <paramref name="target"/> (a STIX id) or to a typed value.</summary>
    private static JsonObject Link(Setup setup, Guid id, Guid incident, Guid organisation, DateTimeOffset at, string kind, string? target = null, string? type = null,
        string? value = null, bool revoked = false, Guid? sender = null, DateTimeOffset? modified = null)
    {
        var link = new JsonObject
        {
            ["type"] = "x-ribat-incident-link",
            ["id"] = $"x-ribat-incident-link--{id}",
            ["created"] = Stamp(at),
            ["modified"] = Stamp(modified ?? at),
            ["incident_ref"] = $"incident--{incident}",
            ["organisation"] = organisation.ToString(),
            ["node"] = setup.PartnerNode.ToString(),
            ["link_kind"] = kind,
        };
        if (target is not null)
        {
            link["target_ref"] = target;
        }

        if (type is not null)
        {
            (link["value_type"], link["value"]) = (type, value);
        }

        if (revoked)
        {
            link["revoked"] = true;
        }

        return Terms(setup, link, sender ?? organisation);
    }

    private async Task<JsonArray> LinksAsync(HttpClient client, Guid incident) =>
        (await (await client.GetAsync($"/api/v1/incidents/{incident}/links")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK))["items"]!.AsArray();

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
    public async Task A_participant_removed_by_the_lead_hears_of_it_once_and_keeps_a_copy_it_can_no_longer_work_on()
    {
        // Here the lead: the partner's organisation, from its directory, takes part and is then removed.
        var setup = await SetupAsync();
        await using (var db = factory.Database.Open(TenantScope.NodeWide("test")))
        {
            var now = factory.Clock.GetUtcNow();
            db.PartnerOrganisations.Add(new Ribat.Core.Federation.Sync.PartnerOrganisation
            {
                Id = setup.Colleague,
                NodeId = setup.PartnerNode,
                PartnerId = setup.PartnerId,
                Name = RibatFactory.Unique("Partner CERT"),
                Country = "FR",
                Modified = now,
                ReceivedAt = now,
            });
            await db.SaveChangesAsync();
        }

        var lead = factory.ClientWith(setup.Tenant.AnalystSecret);
        var opened = await (await lead.PostAsJsonAsync("/api/v1/incidents", new
        {
            title = "Worm in the ministries",
            category = "malicious-code:infected-system",
            severity = "high",
            participants = new[] { setup.Colleague },
        })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var id = opened["id"]!.GetValue<Guid>();
        string[] RecipientsOf(JsonElement incident) => [.. incident.GetProperty("extensions").GetProperty(RibatStixExtension.Id).GetProperty("recipients")
            .EnumerateArray().Select(r => r.GetProperty("organisation").GetString()!)];
        RecipientsOf((await PulledAsync(setup, "incident")).Should().ContainSingle().Subject).Should().Contain(setup.Colleague.ToString());

        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        (await lead.PutAsJsonAsync($"/api/v1/incidents/{id}", new
        {
            title = "Worm in the ministries",
            category = "malicious-code:infected-system",
            severity = "high",
            participants = Array.Empty<Guid>(),
        })).StatusCode.Should().Be(HttpStatusCode.OK);
        var removal = (await PulledAsync(setup, "incident")).Should().ContainSingle("the partner's node hears of the removal").Subject;
        removal.GetProperty("participants").GetArrayLength().Should().Be(0);
        RecipientsOf(removal).Should().Equal([setup.Colleague.ToString()], "the version that removes it is addressed to it once");

        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        (await lead.PostAsJsonAsync($"/api/v1/incidents/{id}/transitions", new { to = "triage" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await PulledAsync(setup, "incident")).Select(i => i.GetProperty("status").GetString()).Should().Equal(["reported"],
            "later versions no longer leave for the removed organisation's node; its copy stays as it stood");

        // Here the participant: the partner's lead removes this node's organisation.
        var other = Guid.CreateVersion7();
        var reported = factory.Clock.GetUtcNow();
        (await PushAsync(setup, Incident(setup, other, reported, reported))).Refused.Should().BeEmpty();
        var without = Incident(setup, other, reported, reported.AddMinutes(5));
        without["participants"] = new JsonArray(new JsonObject { ["organisation"] = setup.Colleague.ToString(), ["node"] = setup.PartnerNode.ToString(), ["joined"] = Stamp(reported) });
        (await PushAsync(setup, without)).Refused.Should().BeEmpty();
        var copy = await (await lead.GetAsync($"/api/v1/incidents/{other}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        (copy["isParticipant"]!.GetValue<bool>(), copy["mayContribute"]!.GetValue<bool>()).Should().Be((false, false), "it keeps its copy to read, no longer to work on");
        copy["participants"]!.AsArray().Select(p => p!["organisationId"]!.GetValue<Guid>()).Should().Equal(setup.Colleague);
        (await lead.PostAsJsonAsync($"/api/v1/incidents/{other}/timeline", new { text = "Still here?" })).StatusCode.Should().BeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.Conflict);
    }

    [DbFact]
    public async Task A_part_that_arrives_before_its_incident_waits_and_is_written_when_the_incident_comes()
    {
        var setup = await SetupAsync();
        var id = Guid.CreateVersion7();
        var reported = factory.Clock.GetUtcNow();
        var early = Guid.CreateVersion7();
        var earlyLink = Guid.CreateVersion7();
        (await PushAsync(setup, Entry(setup, early, id, setup.Colleague, reported.AddMinutes(3), "Colleague saw it first"),
            Link(setup, earlyLink, id, setup.Colleague, reported.AddMinutes(4), "value", type: "sha256", value: "ED01EBFBC9EB5BBEA545AF4D01BF5F1071661840480439C6E5BABE8E080E41AA"))).Refused.Should().BeEmpty();
        (await PushAsync(setup, Incident(setup, id, reported, reported))).Refused.Should().BeEmpty();

        var analyst = factory.ClientWith(setup.Tenant.AnalystSecret);
        var timeline = (await (await analyst.GetAsync($"/api/v1/incidents/{id}/timeline")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK))["items"]!.AsArray();
        timeline.Select(e => e!["text"]!.GetValue<string>()).Should().Equal("Colleague saw it first");
        var seen = await analyst.GetFromJsonAsync<JsonObject>($"/api/v1/incidents/{id}");
        seen!["participants"]!.AsArray().Single(p => p!["organisationId"]!.GetValue<Guid>() == setup.Colleague)!["firstActionAt"]!.GetValue<DateTimeOffset>()
            .Should().Be(DateTimeOffset.Parse(Stamp(reported.AddMinutes(3)), System.Globalization.CultureInfo.InvariantCulture));
        var link = (await LinksAsync(analyst, id)).Should().ContainSingle().Subject!;
        (link["id"]!.GetValue<Guid>(), link["value"]!.GetValue<string>()).Should().Be((earlyLink, "ed01ebfbc9eb5bbea545af4d01bf5f1071661840480439c6e5babe8e080e41aa"), "the link waited for its incident, its value made canonical");
    }

    [DbFact]
    public async Task Links_cross_both_ways_by_stix_id_and_a_partners_linked_indicator_shows_only_when_the_viewer_may_see_it()
    {
        var setup = await SetupAsync();
        var id = Guid.CreateVersion7();
        var reported = factory.Clock.GetUtcNow();
        var critical = Incident(setup, id, reported, reported);
        critical["severity"] = "critical";
        (await PushAsync(setup, critical)).Refused.Should().BeEmpty();
        var analyst = factory.ClientWith(setup.Tenant.AnalystSecret);

        // What the participant here links leaves for the lead's node: the indicator by its STIX id (never its content), the value as it is.
        var domain = $"gate-{Guid.NewGuid():N}.example";
        var ours = await (await analyst.PostAsJsonAsync("/api/v1/indicators", new { type = "domain", value = domain, sharing = new { tlp = "amber" } })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var indicatorId = ours["ids"]![0]!.GetValue<Guid>();
        await (await analyst.PostAsJsonAsync($"/api/v1/incidents/{id}/links", new { kind = "indicator", targetId = indicatorId })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var valueLink = await (await analyst.PostAsJsonAsync($"/api/v1/incidents/{id}/links", new { kind = "value", type = "ipv4", value = "198.51.100[.]23" })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var sent = await PulledAsync(setup, "x-ribat-incident-link");
        var sentIndicator = sent.Should().ContainSingle(l => l.GetProperty("link_kind").GetString() == "indicator").Subject;
        sentIndicator.GetProperty("target_ref").GetString().Should().Be($"indicator--{indicatorId}");
        sentIndicator.GetRawText().Should().NotContain(domain, "a link names its target, never its content");
        var sentValue = sent.Should().ContainSingle(l => l.GetProperty("link_kind").GetString() == "value").Subject;
        (sentValue.GetProperty("value_type").GetString(), sentValue.GetProperty("value").GetString()).Should().Be(("ipv4", "198.51.100.23"));
        sentValue.GetProperty("incident_ref").GetString().Should().Be($"incident--{id}");
        var terms = sentValue.GetProperty("extensions").GetProperty(RibatStixExtension.Id);
        terms.GetProperty("distribution").GetString().Should().Be("organisation-only");
        terms.GetProperty("recipients").EnumerateArray().Select(r => r.GetProperty("organisation").GetGuid()).Should().BeEquivalentTo([setup.Lead, setup.Colleague]);

        // Removing it sends its revoked version.
        (await analyst.DeleteAsync($"/api/v1/incidents/{id}/links/{valueLink["id"]}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await PulledAsync(setup, "x-ribat-incident-link")).Single(l => l.GetProperty("id").GetString() == valueLink["stixId"]!.GetValue<string>())
            .GetProperty("revoked").GetBoolean().Should().BeTrue();

        // The partner's links: to an indicator not held here yet, to another organisation's TLP:RED indicator here, and a value.
        var outsider = await factory.CreateTenantAsync();
        var red = await (await factory.ClientWith(outsider.AnalystSecret).PostAsJsonAsync("/api/v1/indicators", new { type = "domain", value = $"red-{Guid.NewGuid():N}.example", sharing = new { tlp = "red" } }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var redId = red["ids"]![0]!.GetValue<Guid>();
        var later = Guid.CreateVersion7();
        var theirValue = Guid.CreateVersion7();
        (await PushAsync(setup,
            Link(setup, Guid.CreateVersion7(), id, setup.Lead, reported.AddMinutes(1), "indicator", target: $"indicator--{later}"),
            Link(setup, Guid.CreateVersion7(), id, setup.Lead, reported.AddMinutes(1), "indicator", target: $"indicator--{redId}"),
            Link(setup, theirValue, id, setup.Colleague, reported.AddMinutes(2), "value", type: "ipv4", value: "203.0.113.77"))).Refused.Should().BeEmpty();
        var links = await LinksAsync(analyst, id);
        var received = links.Single(l => l!["id"]!.GetValue<Guid>() == theirValue)!;
        (received["valueType"]!.GetValue<string>(), received["value"]!.GetValue<string>(), received["label"]!.GetValue<string>()).Should().Be(("ipv4", "203.0.113.77", "ipv4: 203.0.113.77"));
        (received["organisationId"]!.GetValue<Guid>(), received["organisationNode"]!.GetValue<Guid>(), received["mayUnlink"]!.GetValue<bool>()).Should().Be((setup.Colleague, setup.PartnerNode, false));
        links.Where(l => l!["organisationId"]!.GetValue<Guid>() == setup.Lead).Should().BeEmpty("neither indicator the lead linked is one the participant may see");
        links.ToJsonString().Should().NotContain(later.ToString()).And.NotContain(redId.ToString());
        (await analyst.GetStringAsync("/api/v1/notifications?pending=true")).Should().Contain("203.0.113.77", "a value linked to a critical incident alerts those working it");

        // The indicator arrives later under its own terms, addressed to the participant here: now it shows, by its STIX id.
        var indicator = Terms(setup, new JsonObject
        {
            ["type"] = "indicator",
            ["id"] = $"indicator--{later}",
            ["created"] = Stamp(reported.AddMinutes(3)),
            ["modified"] = Stamp(reported.AddMinutes(3)),
            ["name"] = "C2 of the port intrusion",
            ["pattern"] = "[domain-name:value = 'c2.port-intrusion.example']",
            ["pattern_type"] = "stix",
            ["valid_from"] = Stamp(reported.AddMinutes(3)),
        }, setup.Lead);
        (await PushAsync(setup, indicator)).Refused.Should().BeEmpty();
        var shown = (await LinksAsync(analyst, id)).Single(l => l!["targetStixId"]?.GetValue<string>() == $"indicator--{later}")!;
        shown["label"]!.GetValue<string>().Should().Be("domain: c2.port-intrusion.example");
        shown["targetId"].Should().BeNull("the object is held from the partner, not a row of this node");
        (await factory.ClientWith(outsider.AnalystSecret).GetAsync($"/api/v1/incidents/{id}/links")).StatusCode.Should().Be(HttpStatusCode.NotFound, "nobody outside the incident sees its links");

        // The colleague removes its value link on its node: the revoked version removes it here.
        (await PushAsync(setup, Link(setup, theirValue, id, setup.Colleague, reported.AddMinutes(2), "value", type: "ipv4", value: "203.0.113.77", revoked: true, modified: reported.AddMinutes(4))))
            .Refused.Should().BeEmpty();
        (await LinksAsync(analyst, id)).Select(l => l!["id"]!.GetValue<Guid>()).Should().NotContain(theirValue);
    }

    [DbFact]
    public async Task A_hostile_or_malformed_link_is_refused_with_its_reason_and_nothing_of_it_is_written()
    {
        var setup = await SetupAsync();
        var id = Guid.CreateVersion7();
        var reported = factory.Clock.GetUtcNow();
        var leads = Guid.CreateVersion7();
        (await PushAsync(setup, Incident(setup, id, reported, reported),
            Link(setup, leads, id, setup.Lead, reported, "value", type: "domain", value: "kill-switch.example"))).Refused.Should().BeEmpty();

        var at = reported.AddMinutes(1);
        var outcome = await PushAsync(setup,
            Link(setup, Guid.CreateVersion7(), id, setup.Lead, at, "value", type: "ipv4", value: "203.0.113.1", sender: setup.Colleague),
            Link(setup, Guid.CreateVersion7(), id, setup.Lead, at, "malware", target: $"indicator--{Guid.CreateVersion7()}"),
            Link(setup, Guid.CreateVersion7(), id, setup.Lead, at, "indicator", target: $"report--{Guid.CreateVersion7()}"),
            Link(setup, Guid.CreateVersion7(), id, setup.Lead, at, "value", type: "domain", value: new string('a', 9000) + ".example"),
            Link(setup, Guid.CreateVersion7(), id, setup.Lead, at, "value", type: "ipv4", value: "203.0.113.1\u0007"),
            Link(setup, Guid.CreateVersion7(), id, setup.Lead, at, "value", type: "ipv4", value: "999.0.113.1"),
            Link(setup, Guid.CreateVersion7(), id, setup.Lead, at, "value", type: "sigma", value: "title: x"),
            Link(setup, leads, id, setup.Colleague, at, "value", type: "domain", value: "kill-switch.example", revoked: true),
            Link(setup, leads, id, setup.Lead, at, "value", type: "domain", value: "elsewhere.example", modified: at.AddSeconds(1)),
            Link(setup, Guid.CreateVersion7(), id, setup.Lead, at, "value", type: "domain", value: "kill-switch.example"));
        outcome.Added.Should().Be(0);
        outcome.Refused.Should().HaveCount(10);
        outcome.Refused[0].Should().Contain("a node sends only what its own organisations wrote");
        outcome.Refused[1].Should().Contain("link_kind 'malware' is not one of indicator, report, value");
        outcome.Refused[2].Should().Contain("target_ref is not a reference to an indicator");
        outcome.Refused[3].Should().Contain("value is longer than 8,192 characters");
        outcome.Refused[4].Should().Contain("value holds control characters");
        outcome.Refused[5].Should().Contain("value is not a valid ipv4");
        outcome.Refused[6].Should().Contain("value_type 'sigma' is not one of");
        outcome.Refused[7].Should().Contain($"was written by organisation {setup.Lead}; only it changes it");
        outcome.Refused[8].Should().Contain("keeps its incident and target");
        outcome.Refused[9].Should().Contain("already links this value to the incident under another id");

        var links = await LinksAsync(factory.ClientWith(setup.Tenant.AnalystSecret), id);
        links.Should().ContainSingle().Which!["value"]!.GetValue<string>().Should().Be("kill-switch.example", "the lead's link stands as it was");
        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        (await db.StixObjects.CountAsync(s => s.PartnerId == setup.PartnerId && s.Type == "x-ribat-incident-link")).Should().Be(1);
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
