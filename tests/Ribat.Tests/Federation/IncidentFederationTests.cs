using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace Ribat.Tests.Federation;

/// <summary>
/// An incident worked by three nations on three real nodes: the lead on A, participants on B and C. Each node sends
/// only what its own organisation wrote, and every node converges to the same incident, timeline, tasks, sitreps and
/// links.
/// </summary>
public sealed class IncidentFederationTests(ThreeNodes nodes) : IClassFixture<ThreeNodes>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static async Task WaitAsync(Func<Task<bool>> condition, string because, TimeSpan? patience = null, Func<string>? state = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            clock.Elapsed.Should().BeLessThan(patience ?? Patience, because + (state is null ? string.Empty : "\n" + state()));
            await Task.Delay(200);
        }
    }

    private static async Task<JsonNode?> TryGetAsync(FederationNode node, string path)
    {
        var response = await node.Http.GetAsync(node.Url + path);
        return response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
    }

    /// <summary>What a node shows of the incident, in a form the three nodes can be compared on.</summary>
    private static async Task<string?> PictureAsync(FederationNode node, Guid id)
    {
        if (await TryGetAsync(node, $"/api/v1/incidents/{id}") is not { } incident)
        {
            return null;
        }

        var timeline = (await node.GetAsync($"/api/v1/incidents/{id}/timeline"))["items"]!.AsArray()
            .Select(e => $"{e!["stixId"]}|{e["organisationId"]}|{e["text"]}").Order(StringComparer.Ordinal);
        var tasks = (await node.GetAsync($"/api/v1/incidents/{id}/tasks"))["items"]!.AsArray()
            .Select(t => $"{t!["stixId"]}|{t["title"]}|{t["assigneeOrganisationId"]}|{t["status"]}").Order(StringComparer.Ordinal);
        var sitreps = (await node.GetAsync($"/api/v1/incidents/{id}/sitreps"))["items"]!.AsArray()
            .Where(s => s!["state"]!.GetValue<string>() == "published")
            .Select(s => $"{s!["stixId"]}|{s["version"]}|{s["title"]}").Order(StringComparer.Ordinal);
        var links = (await node.GetAsync($"/api/v1/incidents/{id}/links"))["items"]!.AsArray()
            .Select(l => $"{l!["stixId"]}|{l["kind"]}|{l["valueType"]}|{l["value"]}|{l["organisationId"]}").Order(StringComparer.Ordinal);
        var participants = incident["participants"]!.AsArray()
            .Select(p => $"{p!["organisationId"]}|{Milliseconds(p["joinedAt"])}|{Milliseconds(p["acknowledgedAt"])}").Order(StringComparer.Ordinal);
        return string.Join("\n", [$"{incident["stixId"]}|{incident["title"]}|{incident["status"]}|{incident["severity"]}|{incident["leadOrganisationId"]}",
            .. participants, "timeline", .. timeline, "tasks", .. tasks, "sitreps", .. sitreps, "links", .. links]);
    }

    /// <summary>A time as it crosses nodes: STIX timestamps carry milliseconds, the node that recorded it may hold finer ticks.</summary>
    private static string Milliseconds(JsonNode? time) => time is null ? "-"
        : DateTimeOffset.FromUnixTimeMilliseconds(time.GetValue<DateTimeOffset>().ToUnixTimeMilliseconds()).ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<Guid> OpenAsync(FederationNode lead, params FederationNode[] participants)
    {
        // The participants are picked from the partner organisation directory, which the nodes fill as they sync.
        foreach (var participant in participants)
        {
            await WaitAsync(async () => (await lead.GetAsync("/api/v1/partner-organisations")).ToJsonString().Contains(participant.OrganisationId.ToString()),
                $"{lead.Name} learns of {participant.Name}'s organisation");
        }

        var opened = await lead.SendAsync(HttpMethod.Post, "/api/v1/incidents", new
        {
            title = "Ransomware worm across three nations",
            category = "malicious-code:infected-system",
            severity = "critical",
            sectors = new[] { "health" },
            countries = new[] { "JO", "MA", "FR" },
            participants = participants.Select(p => p.OrganisationId).ToArray(),
            sharing = new { tlp = "amber" },
        }, HttpStatusCode.Created);
        return opened["id"]!.GetValue<Guid>();
    }

    [Fact]
    public async Task Lead_and_participants_on_three_nodes_work_one_incident_and_every_node_converges()
    {
        var (a, b, c) = (nodes.A, nodes.B, nodes.C);
        var id = await OpenAsync(a, b, c);
        await WaitAsync(async () => await TryGetAsync(b, $"/api/v1/incidents/{id}") is not null && await TryGetAsync(c, $"/api/v1/incidents/{id}") is not null,
            "the incident reaches both participants' nodes");
        (await b.GetAsync("/api/v1/notifications?pending=true")).ToJsonString().Should().Contain($"/incidents/{id}", "B's person on duty is told");

        // B acknowledges, records what it sees, gives C a task and links the kill-switch domain as a value.
        var acknowledged = await b.SendAsync(HttpMethod.Post, $"/api/v1/incidents/{id}/acknowledge", new { }, HttpStatusCode.OK);
        var bAcknowledgedAt = acknowledged["participants"]!.AsArray().Single(p => p!["organisationId"]!.GetValue<Guid>() == b.OrganisationId)!["acknowledgedAt"]!.GetValue<DateTimeOffset>();
        await b.SendAsync(HttpMethod.Post, $"/api/v1/incidents/{id}/timeline", new { text = "Hospitals in Amman report .WNCRY files" }, HttpStatusCode.Created);
        var task = await b.SendAsync(HttpMethod.Post, $"/api/v1/incidents/{id}/tasks", new { title = "Sinkhole the kill-switch domain", assigneeOrganisationId = c.OrganisationId }, HttpStatusCode.Created);
        var taskId = task["stixId"]!.GetValue<string>();
        var link = await b.SendAsync(HttpMethod.Post, $"/api/v1/incidents/{id}/links", new { kind = "value", type = "domain", value = "wannacry-killswitch[.]example" }, HttpStatusCode.Created);
        var linkId = link["stixId"]!.GetValue<string>();

        // C completes it on its own node.
        await WaitAsync(async () => (await c.GetAsync($"/api/v1/incidents/{id}/tasks")).ToJsonString().Contains(taskId), "B's task reaches C");
        var onC = (await c.GetAsync($"/api/v1/incidents/{id}/tasks"))["items"]!.AsArray().Single(t => t!["stixId"]!.GetValue<string>() == taskId)!;
        await c.SendAsync(HttpMethod.Patch, $"/api/v1/incident-tasks/{onC["id"]}", new { status = "done" }, HttpStatusCode.OK);

        // A publishes a sitrep and moves the incident on.
        var draft = await a.SendAsync(HttpMethod.Post, $"/api/v1/incidents/{id}/sitreps", new { }, HttpStatusCode.Created);
        await a.SendAsync(HttpMethod.Post, $"/api/v1/sitreps/{draft["id"]}/publish", new { }, HttpStatusCode.OK);
        await a.SendAsync(HttpMethod.Post, $"/api/v1/incidents/{id}/transitions", new { to = "triage" }, HttpStatusCode.OK);

        string?[] pictures = [];
        await WaitAsync(async () =>
        {
            pictures = await Task.WhenAll(PictureAsync(a, id), PictureAsync(b, id), PictureAsync(c, id));
            return pictures.All(p => p is not null) && pictures.Distinct().Count() == 1
                && pictures[0]!.Contains("|triage|") && pictures[0]!.Contains($"{taskId}|Sinkhole the kill-switch domain|{c.OrganisationId}|done")
                && pictures[0]!.Contains("SITREP 1") && pictures[0]!.Contains($"{linkId}|value|domain|wannacry-killswitch.example|{b.OrganisationId}");
        }, "the three nodes converge to the same incident, timeline, tasks and sitrep", state: () => string.Join("\n----\n", pictures));
        pictures[0].Should().Contain("Hospitals in Amman report .WNCRY files").And.Contain("Status: reported → triage");

        // A measures B's and C's response from the clocks their nodes recorded.
        var metrics = (await a.GetAsync($"/api/v1/incidents/{id}/metrics"))["measurements"]!.AsArray();
        TimeSpan Measured(string metric, Guid organisation) => TimeSpan.Parse(metrics.Single(m => m!["metric"]!.GetValue<string>() == metric
            && m["organisationId"]!.GetValue<Guid>() == organisation)!["duration"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var onA = (await a.GetAsync($"/api/v1/incidents/{id}"))["participants"]!.AsArray();
        var bOnA = onA.Single(p => p!["organisationId"]!.GetValue<Guid>() == b.OrganisationId)!;
        var cOnA = onA.Single(p => p!["organisationId"]!.GetValue<Guid>() == c.OrganisationId)!;
        var bJoined = bOnA["joinedAt"]!.GetValue<DateTimeOffset>();
        bOnA["acknowledgedAt"]!.GetValue<DateTimeOffset>().Should().BeCloseTo(bAcknowledgedAt, TimeSpan.FromMilliseconds(1), "A holds B's own acknowledgement time");
        Measured("time-to-acknowledge", b.OrganisationId).Should().BeCloseTo(bAcknowledgedAt - bJoined, TimeSpan.FromMilliseconds(1));
        Measured("time-to-act-on-share", b.OrganisationId).Should().BeGreaterThanOrEqualTo(bAcknowledgedAt - bJoined);
        Measured("time-to-act-on-share", c.OrganisationId).Should().BeCloseTo(cOnA["firstActionAt"]!.GetValue<DateTimeOffset>() - cOnA["joinedAt"]!.GetValue<DateTimeOffset>(), TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task A_participant_node_that_was_down_catches_up_on_the_incident_when_it_is_back()
    {
        var (a, b, c) = (nodes.A, nodes.B, nodes.C);
        var id = await OpenAsync(a, b, c);
        await WaitAsync(async () => await TryGetAsync(c, $"/api/v1/incidents/{id}") is not null, "the incident reaches C");

        c.Kill();
        await a.SendAsync(HttpMethod.Post, $"/api/v1/incidents/{id}/timeline", new { text = "Written while C was down" }, HttpStatusCode.Created);
        await a.SendAsync(HttpMethod.Post, $"/api/v1/incidents/{id}/transitions", new { to = "triage" }, HttpStatusCode.OK);
        await WaitAsync(async () => (await PictureAsync(b, id))?.Contains("Written while C was down") == true, "B, still up, gets the entry");

        await c.StartAsync();
        string?[] pictures = [];
        await WaitAsync(async () =>
        {
            pictures = await Task.WhenAll(PictureAsync(a, id), PictureAsync(c, id));
            return pictures[0] is not null && pictures[0] == pictures[1];
        }, "C catches up with A once it is back", TimeSpan.FromSeconds(120), () => string.Join("\n----\n", pictures));
        (await PictureAsync(c, id)).Should().Contain("Written while C was down").And.Contain("|triage|");
    }
}
