using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ribat.Tests.Cases;
using Ribat.Tests.Infrastructure;
using Ribat.Tests.Jobs;

namespace Ribat.Tests.Incidents;

/// <summary>
/// Evidence acquired into an incident, through the real pipeline and worker: a capture analysed in the background whose
/// reflectors become indicators of that incident grouped per network, an e-mail analysed at once, an EVTX hunted; the
/// participants see what the policy lets them see, a stranger sees nothing, and refusals name why.
/// </summary>
public abstract class IncidentEvidenceApiTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : JobsFactory
{
    private static object Ddos(params Guid[] participants) => new
    {
        title = RibatFactory.Unique("DDoS on the national exchange"),
        category = "availability:ddos",
        severity = "high",
        participants,
        sharing = new { tlp = "amber" },
    };

    private static async Task<JsonObject> UploadAsync(HttpClient client, Guid incidentId, byte[] bytes, string name)
    {
        var response = await client.PostAsync($"/api/v1/incidents/{incidentId}/evidence?fileName={Uri.EscapeDataString(name)}", new ByteArrayContent(bytes));
        return await response.ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
    }

    private static async Task<JsonObject> StartAsync(HttpClient client, Guid incidentId, object body) =>
        await (await client.PostAsJsonAsync($"/api/v1/incidents/{incidentId}/jobs", body)).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);

    [DbFact]
    public async Task A_capture_of_an_incident_is_analysed_and_its_reflectors_become_indicators_of_that_incident_grouped_per_network()
    {
        var lead = await factory.CreateTenantAsync();
        var client = factory.ClientWith(lead.AnalystSecret);
        var incidentId = (await IncidentApiTests<TFactory>.OpenAsync(client, Ddos()))["id"]!.GetValue<Guid>();
        var item = await UploadAsync(client, incidentId, await File.ReadAllBytesAsync(SharedCorpus.Path("pcap", "amp.UDP.isakmp.pcap")), "ix-edge.pcap");
        item["incidentId"]!.GetValue<Guid>().Should().Be(incidentId);
        item["caseId"].Should().BeNull();
        var itemId = item["id"]!.GetValue<Guid>();

        var started = await StartAsync(client, incidentId, new { kind = "capture", evidenceIds = new[] { itemId } });
        started["incidentId"]!.GetValue<Guid>().Should().Be(incidentId);
        var job = await JobCalls.EndAsync(client, started["id"]!.GetValue<Guid>());
        job["status"]!.GetValue<string>().Should().Be("succeeded", job.ToJsonString());
        var jobs = (await client.GetFromJsonAsync<JsonObject>($"/api/v1/incidents/{incidentId}/jobs"))!["items"]!.AsArray();
        jobs.Select(j => j!["id"]!.GetValue<Guid>()).Should().Equal(job["id"]!.GetValue<Guid>());

        var finding = (await client.GetFromJsonAsync<JsonArray>($"/api/v1/incidents/{incidentId}/findings"))!.Single()!;
        finding["kind"]!.GetValue<string>().Should().Be("traffic");
        finding["incidentId"]!.GetValue<Guid>().Should().Be(incidentId);
        finding["hasChart"]!.GetValue<bool>().Should().BeTrue();
        (await client.GetAsync($"/api/v1/findings/{finding["id"]}/chart")).StatusCode.Should().Be(HttpStatusCode.OK);
        var custody = await (await client.GetAsync($"/api/v1/evidence/{itemId}/custody")).ReadJsonAsync();
        custody["items"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()).Should().Equal("acquire", "analyse");

        // No incident is named: the capture's own incident is the one.
        var raised = await (await client.PostAsJsonAsync($"/api/v1/findings/{finding["id"]}/indicators", new { })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        raised["incidentId"]!.GetValue<Guid>().Should().Be(incidentId);
        var links = (await client.GetFromJsonAsync<JsonObject>($"/api/v1/incidents/{incidentId}/links"))!["items"]!.AsArray();
        links.Count(l => l!["kind"]!.GetValue<string>() == "indicator").Should().Be(raised["indicators"]!.GetValue<int>());

        // The incident groups its linked addresses per AS and country, with the traffic the capture saw from each.
        var networks = await (await client.GetAsync($"/api/v1/incidents/{incidentId}/networks")).ShouldBeAsync<JsonArray>(HttpStatusCode.OK);
        var reflectors = finding["report"]!["reflectors"]!.AsArray().Select(r => r!.AsObject()).ToList();
        networks.Sum(g => g!["addressCount"]!.GetValue<int>()).Should().Be(raised["indicators"]!.GetValue<int>());
        var first = reflectors[0];
        var group = networks.Single(g => g!["addresses"]!.AsArray().Any(a => a!.GetValue<string>() == first["address"]!.GetValue<string>()))!;
        group["asn"]?.GetValue<long>().Should().Be(first["asn"]?.GetValue<long>());
        group["country"]?.GetValue<string>().Should().Be(first["country"]?.GetValue<string>());
        group["packets"]!.GetValue<long>().Should().BeGreaterThanOrEqualTo(first["packets"]!.GetValue<long>());
        group["bytes"]!.GetValue<long>().Should().BeGreaterThanOrEqualTo(first["bytes"]!.GetValue<long>());
        networks.Select(g => (g!["asn"]?.GetValue<long>(), g["country"]?.GetValue<string>())).Should().OnlyHaveUniqueItems();
    }

    [DbFact]
    public async Task An_email_of_an_incident_becomes_findings_with_its_attachment_as_incident_evidence()
    {
        var lead = await factory.CreateTenantAsync();
        var client = factory.ClientWith(lead.AnalystSecret);
        var incidentId = (await IncidentApiTests<TFactory>.OpenAsync(client, IncidentApiTests<TFactory>.Outbreak()))["id"]!.GetValue<Guid>();
        var itemId = (await UploadAsync(client, incidentId, FindingsApiTests<TFactory>.Phish("Reset your password", "invoice.pdf", FindingsApiTests<TFactory>.Invoice), "phish.eml"))["id"]!.GetValue<Guid>();

        var findings = await (await client.PostAsJsonAsync($"/api/v1/evidence/{itemId}/analyses", new { kind = "email" })).ShouldBeAsync<JsonArray>(HttpStatusCode.Created);
        var finding = findings.Single()!;
        finding["incidentId"]!.GetValue<Guid>().Should().Be(incidentId);
        finding["indicatorCount"]!.GetValue<int>().Should().BeGreaterThan(0);
        var attachmentId = finding["attachmentEvidenceIds"]!.AsArray().Single()!.GetValue<Guid>();
        var attachment = await (await client.GetAsync($"/api/v1/evidence/{attachmentId}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        attachment["incidentId"]!.GetValue<Guid>().Should().Be(incidentId);
        var items = (await client.GetFromJsonAsync<JsonObject>($"/api/v1/incidents/{incidentId}/evidence"))!["items"]!.AsArray();
        items.Select(i => i!["id"]!.GetValue<Guid>()).Should().Equal(itemId, attachmentId);
        (await client.GetFromJsonAsync<JsonArray>($"/api/v1/incidents/{incidentId}/findings"))!.Should().ContainSingle();
        var correlated = await (await client.GetAsync("/api/v1/search?q=paypa1-secure.example.com")).ReadJsonAsync();
        correlated.ToJsonString().Should().Contain("paypa1-secure.example.com");

        (await client.PostAsJsonAsync($"/api/v1/evidence/{itemId}/analyses", new { kind = "email" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [DbFact]
    public async Task An_evtx_of_an_incident_is_hunted_in_the_background()
    {
        var lead = await factory.CreateTenantAsync();
        var client = factory.ClientWith(lead.AnalystSecret);
        var incidentId = (await IncidentApiTests<TFactory>.OpenAsync(client, IncidentApiTests<TFactory>.Outbreak()))["id"]!.GetValue<Guid>();
        var evtx = Directory.EnumerateFiles(SharedCorpus.Path("sigma", "regression_data"), "*.evtx", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        var itemId = (await UploadAsync(client, incidentId, await File.ReadAllBytesAsync(evtx), "host.evtx"))["id"]!.GetValue<Guid>();

        var job = await JobCalls.EndAsync(client, (await StartAsync(client, incidentId, new { kind = "hunt", evidenceIds = new[] { itemId } }))["id"]!.GetValue<Guid>());

        job["status"]!.GetValue<string>().Should().Be("succeeded", job.ToJsonString());
        job["summary"]!["events_read"]!.GetValue<long>().Should().BeGreaterThan(0);
        job["progress"]!["unit"]!.GetValue<string>().Should().Be("files");
        var custody = await (await client.GetAsync($"/api/v1/evidence/{itemId}/custody")).ReadJsonAsync();
        custody["items"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()).Should().Equal("acquire", "analyse");
    }

    [DbFact]
    public async Task Participants_see_the_items_a_stranger_sees_nothing_and_refusals_say_why()
    {
        var lead = await factory.CreateTenantAsync();
        var partner = await factory.CreateTenantAsync();
        var stranger = await factory.CreateTenantAsync();
        var client = factory.ClientWith(lead.AnalystSecret);
        var partnerClient = factory.ClientWith(partner.AnalystSecret);
        var strangerClient = factory.ClientWith(stranger.AnalystSecret);
        var incidentId = (await IncidentApiTests<TFactory>.OpenAsync(client, Ddos(partner.Organisation.Id)))["id"]!.GetValue<Guid>();
        var itemId = (await UploadAsync(client, incidentId, "not a capture"u8.ToArray(), "notes.txt"))["id"]!.GetValue<Guid>();

        // The participant sees the item with the incident's terms; the stranger does not see it exists.
        var seen = (await partnerClient.GetFromJsonAsync<JsonObject>($"/api/v1/incidents/{incidentId}/evidence"))!["items"]!.AsArray().Single()!;
        seen["id"]!.GetValue<Guid>().Should().Be(itemId);
        seen["mayHandle"]!.GetValue<bool>().Should().BeFalse();
        foreach (var path in new[] { "evidence", "findings", "jobs", "networks" })
        {
            (await strangerClient.GetAsync($"/api/v1/incidents/{incidentId}/{path}")).StatusCode.Should().Be(HttpStatusCode.NotFound, path);
        }

        (await strangerClient.GetAsync($"/api/v1/evidence/{itemId}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await strangerClient.PostAsync($"/api/v1/incidents/{incidentId}/evidence?fileName=x.bin", new ByteArrayContent([1]))).StatusCode.Should().Be(HttpStatusCode.NotFound);

        // Only the lead acquires and analyses.
        var notOwner = await partnerClient.PostAsync($"/api/v1/incidents/{incidentId}/evidence?fileName=x.bin", new ByteArrayContent([1]));
        (await notOwner.ShouldBeAsync<JsonObject>(HttpStatusCode.Forbidden))["detail"]!.GetValue<string>().Should().Contain("owns");
        (await partnerClient.PostAsJsonAsync($"/api/v1/incidents/{incidentId}/jobs", new { kind = "capture", evidenceIds = new[] { itemId } })).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        // Wrong kind, missing name, and an item of another incident are refused naming the field.
        var wrongKind = await client.PostAsJsonAsync($"/api/v1/incidents/{incidentId}/jobs", new { kind = "guess", evidenceIds = new[] { itemId } });
        (await wrongKind.ShouldBeAsync<JsonObject>(HttpStatusCode.BadRequest))["errors"]!["kind"].Should().NotBeNull();
        var wrongAnalysis = await client.PostAsJsonAsync($"/api/v1/evidence/{itemId}/analyses", new { kind = "movie" });
        (await wrongAnalysis.ShouldBeAsync<JsonObject>(HttpStatusCode.BadRequest))["errors"]!["kind"].Should().NotBeNull();
        var unnamed = await client.PostAsync($"/api/v1/incidents/{incidentId}/evidence", new ByteArrayContent([1]));
        (await unnamed.ShouldBeAsync<JsonObject>(HttpStatusCode.BadRequest))["errors"]!["fileName"].Should().NotBeNull();
        var other = (await IncidentApiTests<TFactory>.OpenAsync(client, Ddos()))["id"]!.GetValue<Guid>();
        var foreignItem = await client.PostAsJsonAsync($"/api/v1/incidents/{other}/jobs", new { kind = "capture", evidenceIds = new[] { itemId } });
        (await foreignItem.ShouldBeAsync<JsonObject>(HttpStatusCode.BadRequest))["errors"]!["evidenceIds"].Should().NotBeNull();
        var caseId = (await CaseApiTests<TFactory>.OpenAsync(client, new { title = RibatFactory.Unique("Case") }))["id"]!.GetValue<Guid>();
        (await client.PostAsJsonAsync($"/api/v1/cases/{caseId}/jobs", new { kind = "capture", evidenceIds = new[] { itemId } })).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        // A capture that is not one fails with its reason and keeps nothing.
        var failed = await JobCalls.EndAsync(client, (await StartAsync(client, incidentId, new { kind = "capture", evidenceIds = new[] { itemId } }))["id"]!.GetValue<Guid>());
        failed["status"]!.GetValue<string>().Should().Be("failed");
        failed["error"]!.GetValue<string>().Should().StartWith("notes.txt is not a packet capture");
        (await client.GetFromJsonAsync<JsonArray>($"/api/v1/incidents/{incidentId}/findings"))!.Should().BeEmpty();

        // An organisation that joins later sees the items acquired before: they follow the incident's audience.
        (await client.PutAsJsonAsync($"/api/v1/incidents/{incidentId}", new { title = "DDoS, widened", participants = new[] { partner.Organisation.Id, stranger.Organisation.Id } }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        (await strangerClient.GetFromJsonAsync<JsonObject>($"/api/v1/incidents/{incidentId}/evidence"))!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()).Should().Equal(itemId);

        // A rejected incident takes no more evidence and no more analyses.
        (await IncidentApiTests<TFactory>.MoveAsync(client, incidentId, "rejected", "not an incident")).StatusCode.Should().Be(HttpStatusCode.OK);
        var closed = await client.PostAsync($"/api/v1/incidents/{incidentId}/evidence?fileName=late.pcap", new ByteArrayContent([1]));
        (await closed.ShouldBeAsync<JsonObject>(HttpStatusCode.Conflict))["detail"]!.GetValue<string>().Should().Contain("rejected");
        (await client.PostAsJsonAsync($"/api/v1/incidents/{incidentId}/jobs", new { kind = "capture", evidenceIds = new[] { itemId } })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await client.PostAsJsonAsync($"/api/v1/evidence/{itemId}/analyses", new { kind = "file" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [DbFact]
    public async Task Findings_and_analyses_follow_the_incident_when_its_audience_changes()
    {
        var lead = await factory.CreateTenantAsync();
        var partner = await factory.CreateTenantAsync();
        var latecomer = await factory.CreateTenantAsync();
        var client = factory.ClientWith(lead.AnalystSecret);
        var partnerClient = factory.ClientWith(partner.AnalystSecret);
        var latecomerClient = factory.ClientWith(latecomer.AnalystSecret);
        var incidentId = (await IncidentApiTests<TFactory>.OpenAsync(client, Ddos(partner.Organisation.Id)))["id"]!.GetValue<Guid>();
        var capture = await UploadAsync(client, incidentId, await File.ReadAllBytesAsync(SharedCorpus.Path("pcap", "amp.UDP.isakmp.pcap")), "edge.pcap");
        var job = await JobCalls.EndAsync(client, (await StartAsync(client, incidentId, new { kind = "capture", evidenceIds = new[] { capture["id"]!.GetValue<Guid>() } }))["id"]!.GetValue<Guid>());
        job["status"]!.GetValue<string>().Should().Be("succeeded", job.ToJsonString());
        var jobId = job["id"]!.GetValue<Guid>();
        var mail = await UploadAsync(client, incidentId, FindingsApiTests<TFactory>.Phish("Invoice overdue", "invoice.pdf", FindingsApiTests<TFactory>.Invoice), "phish.eml");
        (await client.PostAsJsonAsync($"/api/v1/evidence/{mail["id"]}/analyses", new { kind = "email" })).StatusCode.Should().Be(HttpStatusCode.Created);
        var traffic = (await client.GetFromJsonAsync<JsonArray>($"/api/v1/incidents/{incidentId}/findings"))!.Single(f => f!["kind"]!.GetValue<string>() == "traffic")!["id"]!.GetValue<Guid>();
        var all = (await client.GetFromJsonAsync<JsonArray>($"/api/v1/incidents/{incidentId}/findings"))!.Select(f => f!["id"]!.GetValue<Guid>()).Order().ToList();
        all.Should().HaveCount(2);

        async Task<List<Guid>> FindingsSeenBy(HttpClient viewer) =>
            [.. (await viewer.GetFromJsonAsync<JsonArray>($"/api/v1/incidents/{incidentId}/findings"))!.Select(f => f!["id"]!.GetValue<Guid>()).Order()];

        (await FindingsSeenBy(partnerClient)).Should().Equal(all);
        (await partnerClient.GetAsync($"/api/v1/jobs/{jobId}")).StatusCode.Should().Be(HttpStatusCode.OK);

        // A participant added later gains what was found before, not only the items.
        (await client.PutAsJsonAsync($"/api/v1/incidents/{incidentId}", new { title = "DDoS, widened", participants = new[] { partner.Organisation.Id, latecomer.Organisation.Id } }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        (await FindingsSeenBy(latecomerClient)).Should().Equal(all);
        (await latecomerClient.GetAsync($"/api/v1/jobs/{jobId}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await latecomerClient.GetFromJsonAsync<JsonObject>($"/api/v1/incidents/{incidentId}/jobs"))!["items"]!.AsArray().Should().ContainSingle();

        // A participant taken off loses them, even asked for by id.
        (await client.PutAsJsonAsync($"/api/v1/incidents/{incidentId}", new { title = "DDoS, narrowed", participants = new[] { latecomer.Organisation.Id } }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        (await partnerClient.GetAsync($"/api/v1/jobs/{jobId}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await partnerClient.GetAsync($"/api/v1/findings/{traffic}/chart")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await partnerClient.GetAsync($"/api/v1/evidence/{mail["id"]}/findings")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await latecomerClient.GetAsync($"/api/v1/findings/{traffic}/chart")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}

public sealed class IncidentEvidenceApiTestsSqlite(JobsSqliteFactory factory) : IncidentEvidenceApiTests<JobsSqliteFactory>(factory);

public sealed class IncidentEvidenceApiTestsPostgres(JobsPostgresFactory factory) : IncidentEvidenceApiTests<JobsPostgresFactory>(factory);
