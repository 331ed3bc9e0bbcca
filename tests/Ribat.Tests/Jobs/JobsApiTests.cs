using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Jobs;
using Ribat.Core.Tenancy;
using Ribat.Tests.Cases;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Jobs;

/// <summary>A node whose analyses use the corpus's GeoIP test databases.</summary>
public abstract class JobsFactory(bool postgres) : RibatFactory(postgres)
{
    public string SigmaDirectory => Path.Combine(DataDirectory, "sigma");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Ribat:GeoIpAsn", SharedCorpus.Path("geoip", "GeoLite2-ASN-Test.mmdb"));
        builder.UseSetting("Ribat:GeoIpCountry", SharedCorpus.Path("geoip", "GeoLite2-Country-Test.mmdb"));
    }
}

public sealed class JobsSqliteFactory() : JobsFactory(postgres: false);

public sealed class JobsPostgresFactory() : JobsFactory(postgres: true);

/// <summary>Starting a job and waiting for its end, as a client does.</summary>
internal static class JobCalls
{
    internal static async Task<JsonObject> StartAsync(HttpClient client, Guid caseId, object body) =>
        await (await client.PostAsJsonAsync($"/api/v1/cases/{caseId}/jobs", body)).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);

    internal static async Task<JsonObject> EndAsync(HttpClient client, Guid jobId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var job = await (await client.GetAsync($"/api/v1/jobs/{jobId}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
            if (job["status"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled")
            {
                return job;
            }

            DateTime.UtcNow.Should().BeBefore(deadline, $"job {jobId} should end: {job.ToJsonString()}");
            await Task.Delay(200);
        }
    }
}

/// <summary>
/// Hunts and capture analyses run in the background over a case's evidence, through the real pipeline and worker, on
/// corpus files: detections become findings with their event time, indicator hits become sightings, a capture keeps
/// its summary and chart; cancel, a restart, and hostile input keep nothing.
/// </summary>
public abstract class JobsApiTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : JobsFactory
{
    private const string AmsiRule = "7dbbcac2-57a0-45ac-b306-ff30a8bd2981";
    private const string RegMd5 = "573eb13ac2ba31e9c2e17fb6dad14154";

    private async Task<(Tenant Tenant, HttpClient Client, Guid CaseId)> CaseAsync()
    {
        var tenant = await factory.CreateTenantAsync();
        var client = factory.ClientWith(tenant.AnalystSecret);
        var opened = await CaseApiTests<TFactory>.OpenAsync(client, new { title = RibatFactory.Unique("Hunt") });
        return (tenant, client, opened["id"]!.GetValue<Guid>());
    }

    private static async Task<Guid> UploadAsync(HttpClient client, Guid caseId, byte[] bytes, string name) =>
        (await EvidenceApiTests<TFactory>.UploadAsync(client, caseId, bytes, $"fileName={Uri.EscapeDataString(name)}"))["id"]!.GetValue<Guid>();

    private static string RegressionEvtx(string ruleId) =>
        Directory.EnumerateFiles(SharedCorpus.Path("sigma", "regression_data"), ruleId + ".evtx", SearchOption.AllDirectories).Single();

    /// <summary>Puts the corpus rule with this id into the node's Sigma folder.</summary>
    private void InstallRule(string ruleId)
    {
        Directory.CreateDirectory(factory.SigmaDirectory);
        foreach (var root in Directory.EnumerateDirectories(SharedCorpus.Path("sigma"), "rules*"))
        {
            foreach (var file in Directory.EnumerateFiles(root, "*.yml", SearchOption.AllDirectories))
            {
                if (File.ReadLines(file).Any(l => l.Trim() == "id: " + ruleId))
                {
                    File.Copy(file, Path.Combine(factory.SigmaDirectory, Path.GetFileName(file)), overwrite: true);
                    return;
                }
            }
        }

        throw new InvalidOperationException($"No corpus rule {ruleId}.");
    }

    [DbFact]
    public async Task A_hunt_over_an_evtx_item_keeps_each_detection_as_a_finding_and_sights_the_matched_indicator()
    {
        InstallRule(AmsiRule);
        var (_, client, caseId) = await CaseAsync();
        var report = await (await client.PostAsJsonAsync("/api/v1/reports", new { title = RibatFactory.Unique("Hashes") })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var indicator = await (await client.PostAsJsonAsync("/api/v1/indicators", new { type = "md5", value = RegMd5, reportId = report["id"]!.GetValue<Guid>() }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var indicatorId = indicator["ids"]![0]!.GetValue<Guid>();
        var evidenceId = await UploadAsync(client, caseId, await File.ReadAllBytesAsync(RegressionEvtx(AmsiRule)), "workstation-sysmon.evtx");

        var started = await JobCalls.StartAsync(client, caseId, new { kind = "hunt", evidenceIds = new[] { evidenceId } });
        started["status"]!.GetValue<string>().Should().BeOneOf("queued", "running");
        started["mayCancel"]!.GetValue<bool>().Should().BeTrue();
        var job = await JobCalls.EndAsync(client, started["id"]!.GetValue<Guid>());

        job["status"]!.GetValue<string>().Should().Be("succeeded", job.ToJsonString());
        job["summary"]!["events_read"]!.GetValue<long>().Should().BeGreaterThan(0);
        job["summary"]!["sigma_rules"]!.GetValue<int>().Should().Be(1);
        job["summary"]!["indicators_sighted"]!.GetValue<int>().Should().Be(1);
        job["progress"]!["records"]!.GetValue<long>().Should().Be(job["summary"]!["events_read"]!.GetValue<long>());
        // Parsed case-sensitively: an EVTX event holds both ProcessID (System) and ProcessId (EventData).
        var findings = JsonNode.Parse(await client.GetStringAsync($"/api/v1/cases/{caseId}/findings"))!.AsArray().Select(f => f!.AsObject()).ToList();
        var sigma = findings.Single(f => f["report"]!["kind"]!.GetValue<string>() == "sigma");
        sigma["kind"]!.GetValue<string>().Should().Be("detection");
        sigma["title"]!.GetValue<string>().Should().Be("Windows AMSI Related Registry Tampering Via CommandLine");
        sigma["verdict"]!.GetValue<string>().Should().Be("high");
        sigma["jobId"]!.GetValue<Guid>().Should().Be(started["id"]!.GetValue<Guid>());
        sigma["evidenceId"]!.GetValue<Guid>().Should().Be(evidenceId);
        sigma["eventAt"]!.GetValue<DateTimeOffset>().Should().Be(DateTimeOffset.Parse("2025-12-25T14:30:27.369114Z", System.Globalization.CultureInfo.InvariantCulture));
        sigma["report"]!["rule_id"]!.GetValue<string>().Should().Be(AmsiRule);
        sigma["report"]!["source_file"]!.GetValue<string>().Should().Be("workstation-sysmon.evtx", "the item's name, not where the store keeps it");
        sigma["report"]!["event"]!["Hashes"]!.GetValue<string>().Should().Contain("573EB13AC2BA31E9C2E17FB6DAD14154");
        var ioc = findings.Single(f => f["report"]!["kind"]!.GetValue<string>() == "ioc");
        ioc["report"]!["indicator_id"]!.GetValue<string>().Should().Be(indicatorId.ToString());

        // The hit correlates: the indicator was sighted, with when it was seen.
        var sightings = await (await client.GetAsync($"/api/v1/indicators/{indicatorId}/sightings")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        var sighting = sightings["items"]!.AsArray().Single()!;
        sighting["count"]!.GetValue<int>().Should().BeGreaterThanOrEqualTo(1);
        sighting["source"]!.GetValue<string>().Should().Contain(started["id"]!.GetValue<Guid>().ToString());

        // The item's custody records the analysis, over a re-verified file.
        var custody = await (await client.GetAsync($"/api/v1/evidence/{evidenceId}/custody")).ReadJsonAsync();
        custody["items"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()).Should().Equal("acquire", "analyse");
        (await client.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}/jobs"))!["items"]!.AsArray().Should().ContainSingle();
    }

    [DbFact]
    public async Task A_capture_job_keeps_the_traffic_summary_with_its_chart()
    {
        var (_, client, caseId) = await CaseAsync();
        var evidenceId = await UploadAsync(client, caseId, await File.ReadAllBytesAsync(SharedCorpus.Path("pcap", "amp.UDP.isakmp.pcap")), "victim-edge.pcap");

        var job = await JobCalls.EndAsync(client, (await JobCalls.StartAsync(client, caseId, new { kind = "capture", evidenceIds = new[] { evidenceId } }))["id"]!.GetValue<Guid>());

        job["status"]!.GetValue<string>().Should().Be("succeeded", job.ToJsonString());
        job["progress"]!["unit"]!.GetValue<string>().Should().Be("bytes");
        job["summary"]!["geoip"]!.GetValue<bool>().Should().BeTrue();
        var finding = (await client.GetFromJsonAsync<JsonArray>($"/api/v1/evidence/{evidenceId}/findings"))!.Single()!;
        finding["kind"]!.GetValue<string>().Should().Be("traffic");
        finding["verdict"]!.GetValue<string>().Should().Be("malicious");
        finding["title"]!.GetValue<string>().Should().Be("Traffic: isakmp-amplification");
        finding["hasChart"]!.GetValue<bool>().Should().BeTrue();
        var summary = finding["report"]!;
        summary["packets"]!.GetValue<long>().Should().BeGreaterThan(0);
        summary["series"]!.AsArray().Should().NotBeEmpty();
        summary["reflectors"]!.AsArray().Should().NotBeEmpty();
        summary["reflectors"]![0]!.AsObject().Should().ContainKeys("asn", "country", "as_organization");
        summary["files"]![0]!["path"]!.GetValue<string>().Should().Be("victim-edge.pcap");
        finding["eventAt"]!.GetValue<DateTimeOffset>().Should().Be(summary["first_timestamp"]!.GetValue<DateTimeOffset>());

        var chart = await client.GetAsync($"/api/v1/findings/{finding["id"]}/chart");
        chart.StatusCode.Should().Be(HttpStatusCode.OK);
        chart.Content.Headers.ContentType!.MediaType.Should().Be("image/png");
        (await chart.Content.ReadAsByteArrayAsync()).Take(8).Should().Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
    }

    [DbFact]
    public async Task A_captures_reflectors_become_sighted_indicators_of_an_incident_grouped_per_network()
    {
        var (_, client, caseId) = await CaseAsync();
        var evidenceId = await UploadAsync(client, caseId, await File.ReadAllBytesAsync(SharedCorpus.Path("pcap", "amp.UDP.isakmp.pcap")), "edge.pcap");
        var job = await JobCalls.EndAsync(client, (await JobCalls.StartAsync(client, caseId, new { kind = "capture", evidenceIds = new[] { evidenceId } }))["id"]!.GetValue<Guid>());
        var findingId = job["summary"]!["finding"]!.GetValue<Guid>();
        var incident = await (await client.PostAsJsonAsync("/api/v1/incidents", new { title = RibatFactory.Unique("DDoS"), category = "availability:ddos", severity = "high", sharing = new { tlp = "amber" } }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var incidentId = incident["id"]!.GetValue<Guid>();

        var missing = await client.PostAsJsonAsync($"/api/v1/findings/{findingId}/indicators", new { });
        (await missing.ShouldBeAsync<JsonObject>(HttpStatusCode.BadRequest))["errors"]!["incidentId"].Should().NotBeNull();
        var unknown = await client.PostAsJsonAsync($"/api/v1/findings/{findingId}/indicators", new { incidentId = Guid.NewGuid() });
        (await unknown.ShouldBeAsync<JsonObject>(HttpStatusCode.BadRequest))["errors"]!["incidentId"].Should().NotBeNull();

        var raised = await (await client.PostAsJsonAsync($"/api/v1/findings/{findingId}/indicators", new { incidentId })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);

        var finding = (await client.GetFromJsonAsync<JsonArray>($"/api/v1/evidence/{evidenceId}/findings"))!.Single()!;
        var reflectors = finding["report"]!["reflectors"]!.AsArray().Select(r => r!["address"]!.GetValue<string>()).ToList();
        var groups = raised["groups"]!.AsArray();
        groups.SelectMany(g => g!["addresses"]!.AsArray().Select(a => a!.GetValue<string>())).Should().Contain(reflectors);
        groups.Sum(g => g!["packets"]!.GetValue<long>()).Should().BeGreaterThan(0);
        raised["indicators"]!.GetValue<int>().Should().BeGreaterThanOrEqualTo(reflectors.Count);

        // The incident links the report (whose description names the networks) and each indicator, sighted with its packets.
        var links = (await client.GetFromJsonAsync<JsonObject>($"/api/v1/incidents/{incidentId}/links"))!["items"]!.AsArray();
        links.Should().Contain(l => l!["kind"]!.GetValue<string>() == "report" && l["targetId"]!.GetValue<Guid>() == raised["reportId"]!.GetValue<Guid>());
        var linkedIndicators = links.Where(l => l!["kind"]!.GetValue<string>() == "indicator").ToList();
        linkedIndicators.Should().HaveCount(raised["indicators"]!.GetValue<int>());
        var report = await (await client.GetAsync($"/api/v1/reports/{raised["reportId"]}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        report["description"]!.GetValue<string>().Should().Contain(reflectors[0]).And.Contain("packets");
        var first = finding["report"]!["reflectors"]![0]!;
        var indicatorId = linkedIndicators.Single(l => l!["label"]!.GetValue<string>().Replace("[.]", ".", StringComparison.Ordinal).EndsWith(" " + first["address"]!.GetValue<string>(), StringComparison.Ordinal))!["targetId"]!.GetValue<Guid>();
        var sighting = (await client.GetFromJsonAsync<JsonObject>($"/api/v1/indicators/{indicatorId}/sightings"))!["items"]!.AsArray().Single()!;
        sighting["count"]!.GetValue<long>().Should().Be(first["packets"]!.GetValue<long>());
    }

    [DbFact]
    public async Task Random_bytes_fail_a_capture_or_a_hunt_with_a_clear_reason_and_keep_nothing()
    {
        var (_, client, caseId) = await CaseAsync();
        var noise = new byte[64 * 1024];
        new Random(7).NextBytes(noise);
        var evidenceId = await UploadAsync(client, caseId, noise, "noise.bin");
        var cut = await UploadAsync(client, caseId, (await File.ReadAllBytesAsync(SharedCorpus.Path("pcap", "amp.UDP.isakmp.pcap")))[..24], "header-only.pcap");

        var capture = await JobCalls.EndAsync(client, (await JobCalls.StartAsync(client, caseId, new { kind = "capture", evidenceIds = new[] { evidenceId } }))["id"]!.GetValue<Guid>());
        capture["status"]!.GetValue<string>().Should().Be("failed");
        capture["error"]!.GetValue<string>().Should().StartWith("noise.bin is not a packet capture").And.EndWith("nothing was kept.");
        var hunt = await JobCalls.EndAsync(client, (await JobCalls.StartAsync(client, caseId, new { kind = "hunt", evidenceIds = new[] { evidenceId } }))["id"]!.GetValue<Guid>());
        hunt["status"]!.GetValue<string>().Should().Be("failed");
        hunt["error"]!.GetValue<string>().Should().Contain("No readable log").And.Contain("noise.bin");
        var empty = await JobCalls.EndAsync(client, (await JobCalls.StartAsync(client, caseId, new { kind = "capture", evidenceIds = new[] { cut } }))["id"]!.GetValue<Guid>());
        empty["status"]!.GetValue<string>().Should().Be("failed");
        empty["error"]!.GetValue<string>().Should().Contain("no packet");

        (await client.GetFromJsonAsync<JsonArray>($"/api/v1/cases/{caseId}/findings"))!.Should().BeEmpty();
        var custody = await (await client.GetAsync($"/api/v1/evidence/{evidenceId}/custody")).ReadJsonAsync();
        custody["items"]!.AsArray().Should().ContainSingle("a failed analysis records no custody step");
    }

    [DbFact]
    public async Task Bad_requests_name_the_field_and_only_the_owner_starts_or_cancels()
    {
        var (tenant, client, caseId) = await CaseAsync();
        var evidenceId = await UploadAsync(client, caseId, "x"u8.ToArray(), "x.log");
        async Task<JsonObject> RefusedAsync(object body) =>
            await (await client.PostAsJsonAsync($"/api/v1/cases/{caseId}/jobs", body)).ShouldBeAsync<JsonObject>(HttpStatusCode.BadRequest);

        (await RefusedAsync(new { kind = "guess", evidenceIds = new[] { evidenceId } }))["errors"]!["kind"].Should().NotBeNull();
        (await RefusedAsync(new { kind = "hunt", evidenceIds = Array.Empty<Guid>() }))["errors"]!["evidenceIds"].Should().NotBeNull();
        (await RefusedAsync(new { kind = "hunt", evidenceIds = new[] { evidenceId, evidenceId } }))["errors"]!["evidenceIds"].Should().NotBeNull();
        (await RefusedAsync(new { kind = "hunt", evidenceIds = new[] { Guid.NewGuid() } }))["errors"]!["evidenceIds"].Should().NotBeNull();
        (await RefusedAsync(new { kind = "hunt", evidenceIds = new[] { evidenceId }, minLevel = "dire" }))["errors"]!["minLevel"].Should().NotBeNull();
        (await RefusedAsync(new { kind = "capture", evidenceIds = new[] { evidenceId }, minLevel = "high" }))["errors"]!["minLevel"].Should().NotBeNull();
        (await RefusedAsync(new { kind = "hunt", evidenceIds = Enumerable.Range(0, 101).Select(_ => Guid.NewGuid()).ToArray() }))["errors"]!["evidenceIds"].Should().NotBeNull();
        var malformed = await client.PostAsync($"/api/v1/cases/{caseId}/jobs", new StringContent("{\"kind\":\"hunt\",\"evidenceIds\":[\"not-a-guid\"]}", System.Text.Encoding.UTF8, "application/json"));
        malformed.StatusCode.Should().Be(HttpStatusCode.BadRequest);

        var viewer = await factory.CreateUserAsync(tenant.Organisation.Id, "viewer");
        var (_, viewerSecret) = await factory.CreateTokenAsync(viewer.Id);
        var refused = await factory.ClientWith(viewerSecret).PostAsJsonAsync($"/api/v1/cases/{caseId}/jobs", new { kind = "hunt", evidenceIds = new[] { evidenceId } });
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [DbFact]
    public async Task Cancel_stops_a_waiting_job_at_once_and_a_finished_one_cannot_be_cancelled()
    {
        var (_, client, caseId) = await CaseAsync();
        var evidenceId = await UploadAsync(client, caseId, await File.ReadAllBytesAsync(SharedCorpus.Path("pcap", "amp.UDP.isakmp.pcap")), "a.pcap");

        // Queue directly behind a job the worker cannot reach yet: written as queued, then cancelled before its turn.
        var queued = await QueueAsync(caseId, evidenceId, running: false);
        var cancelled = await (await client.PostAsync($"/api/v1/jobs/{queued}/cancel", null)).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        cancelled["status"]!.GetValue<string>().Should().BeOneOf("cancelled", "running");
        var ended = await JobCalls.EndAsync(client, queued);
        ended["status"]!.GetValue<string>().Should().Be("cancelled");
        ended["mayCancel"]!.GetValue<bool>().Should().BeFalse();
        (await client.PostAsync($"/api/v1/jobs/{queued}/cancel", null)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await client.GetFromJsonAsync<JsonArray>($"/api/v1/cases/{caseId}/findings"))!.Should().BeEmpty();
    }

    [DbFact]
    public async Task A_job_cut_off_by_a_restart_is_failed_with_that_reason_and_never_left_running()
    {
        var (_, client, caseId) = await CaseAsync();
        var evidenceId = await UploadAsync(client, caseId, await File.ReadAllBytesAsync(SharedCorpus.Path("pcap", "amp.UDP.isakmp.pcap")), "a.pcap");
        var cutOff = await QueueAsync(caseId, evidenceId, running: true);

        factory.Get<JobSignal>().Wake();
        var job = await JobCalls.EndAsync(client, cutOff);

        job["status"]!.GetValue<string>().Should().Be("failed");
        job["error"]!.GetValue<string>().Should().Contain("Interrupted by a restart");
        (await client.GetFromJsonAsync<JsonArray>($"/api/v1/cases/{caseId}/findings"))!.Should().BeEmpty();
    }

    /// <summary>
    /// A job row as the node left it: queued, or running with a heartbeat minutes old (the node was stopped under it).
    /// </summary>
    private async Task<Guid> QueueAsync(Guid caseId, Guid evidenceId, bool running)
    {
        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        var row = await db.Cases.AsNoTracking().SingleAsync(c => c.Id == caseId);
        var analyst = await db.Users.AsNoTracking().FirstAsync(u => u.OrganisationId == row.OwnerOrganisationId);
        var then = DateTimeOffset.UtcNow.AddMinutes(-10);
        var job = new AnalysisJob
        {
            Id = Guid.CreateVersion7(),
            CaseId = caseId,
            OwnerOrganisationId = row.OwnerOrganisationId,
            Tlp = row.Tlp,
            Pap = row.Pap,
            Distribution = row.Distribution,
            Kind = JobKind.Capture,
            Status = running ? JobStatus.Running : JobStatus.Queued,
            EvidenceIds = [evidenceId],
            StartedBy = analyst.Id,
            StartedByName = "analyst",
            StartedByRoles = "analyst",
            QueuedAt = then,
            StartedAt = running ? then : null,
            HeartbeatAt = running ? then : null,
            ProgressUnit = "bytes",
        };
        db.AnalysisJobs.Add(job);
        await db.SaveChangesAsync();
        return job.Id;
    }
}

public sealed class JobsApiTestsSqlite(JobsSqliteFactory factory) : JobsApiTests<JobsSqliteFactory>(factory);

public sealed class JobsApiTestsPostgres(JobsPostgresFactory factory) : JobsApiTests<JobsPostgresFactory>(factory);
