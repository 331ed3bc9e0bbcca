using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Federation;
using Ribat.Core.Tenancy;
using Ribat.Stix.Taxii.Client;

namespace Ribat.Tests.Federation;

/// <summary>
/// Three real nodes, A, B and C, each its own process on a loopback port with its own storage, every one a partner of
/// the other two (recorded through the API, each holding the secret the other issued), syncing every second.
/// </summary>
public sealed class ThreeNodes : IAsyncLifetime
{
    public FederationNode A { get; private set; } = null!;

    public FederationNode B { get; private set; } = null!;

    public FederationNode C { get; private set; } = null!;

    public IReadOnlyList<FederationNode> All => [A, B, C];

    /// <summary>The partner record on <c>node</c> for <c>partner</c>.</summary>
    public Dictionary<(string Node, string Partner), Guid> PartnerIds { get; } = [];

    public async Task InitializeAsync()
    {
        var started = await Task.WhenAll(FederationNode.CreateAsync("A"), FederationNode.CreateAsync("B"), FederationNode.CreateAsync("C"));
        (A, B, C) = (started[0], started[1], started[2]);

        // Each node records the other two; the secret it issues is what the other presents to it.
        var secrets = new Dictionary<(string Issuer, string Holder), string>();
        foreach (var node in All)
        {
            foreach (var other in All.Where(o => o != node))
            {
                var created = await node.SendAsync(HttpMethod.Post, "/api/v1/partners", new
                {
                    name = $"Node {other.Name}",
                    nodeId = other.NodeId,
                    apiRoot = other.ApiRoot,
                    credential = "issued-later",
                    publicKey = other.PublicKeyPem,
                    distributions = new[] { "connected-communities", "sharing-group" },
                    tlpCeiling = "amber",
                }, HttpStatusCode.Created);
                PartnerIds[(node.Name, other.Name)] = created["partner"]!["id"]!.GetValue<Guid>();
                secrets[(node.Name, other.Name)] = created["inboundSecret"]!.GetValue<string>();
            }
        }

        foreach (var ((issuer, holder), secret) in secrets)
        {
            var node = All.Single(n => n.Name == holder);
            await node.SendAsync(HttpMethod.Patch, $"/api/v1/partners/{PartnerIds[(holder, issuer)]}", new { credential = secret }, HttpStatusCode.OK);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var node in new[] { A, B, C }.Where(n => n is not null))
        {
            await node.DisposeAsync();
        }
    }
}

/// <summary>
/// Federation between three real nodes, end to end: what the sharing policy lets leave reaches exactly the partners it
/// may, objects flow back, and a node killed mid-sync catches up with nothing lost and nothing duplicated.
/// </summary>
public sealed class ThreeNodeFederationTests(ThreeNodes nodes) : IClassFixture<ThreeNodes>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static async Task<string> RecordAsync(FederationNode node, string value, string tlp, string distribution = "connected-communities")
    {
        var recorded = await node.SendAsync(HttpMethod.Post, "/api/v1/indicators", new
        {
            indicators = new[] { new { type = "domain", value } },
            sharing = new { tlp, pap = "green", distribution },
        }, HttpStatusCode.Created);
        return $"indicator--{recorded["ids"]![0]!.GetValue<Guid>()}";
    }

    /// <summary>Every stored version of the objects, node-wide: what reached the node, whoever may read it there.</summary>
    private static async Task<List<(string StixId, string Version)>> HeldAsync(FederationNode node, IReadOnlyCollection<string> stixIds)
    {
        var ids = stixIds.ToList();
        var held = new List<(string, string)>();
        await using var db = node.Database().Open(TenantScope.NodeWide("federation test"));
        foreach (var slice in ids.Chunk(500))
        {
            var rows = await db.StixObjects.AsNoTracking().Where(s => slice.Contains(s.StixId)).Select(s => new { s.StixId, s.Version }).ToListAsync();
            held.AddRange(rows.Select(r => (r.StixId, r.Version)));

            // The node's own indicators serve their current versions from their rows.
            var served = await StoredVersions.ServedAsync(db, db.Indicators.AsNoTracking(), slice, node.NodeId, CancellationToken.None);
            held.AddRange(served.Select(v => (v.StixId, v.Version)));
        }

        return held;
    }

    private static async Task<bool> HoldsAsync(FederationNode node, string stixId) => (await HeldAsync(node, [stixId])).Count > 0;

    /// <summary>What the node's analyst gets for <paramref name="stixId"/> from the node community collection over TAXII.</summary>
    private static async Task<JsonNode?> SeenByAnalystAsync(FederationNode node, string stixId)
    {
        var client = new TaxiiClient(node.Http, new TaxiiClientOptions { Secret = node.Http.DefaultRequestHeaders.Authorization!.Parameter });
        var community = (await client.GetCollectionsAsync(node.ApiRoot)).Value!.Collections!.Single(c => c.Title == "Node community");
        var page = await client.GetObjectsAsync(node.ApiRoot, community.Id, new ObjectsQuery { Ids = [stixId] });
        page.IsSuccess.Should().BeTrue(page.Failure?.Message);
        return page.Value!.Resource.Objects is { Count: > 0 } objects ? JsonNode.Parse(objects[0].GetRawText()) : null;
    }

    /// <summary>What the node's analyst reads of <paramref name="stixId"/> in the sharing group's collection; null when the group is not theirs or the object not in it.</summary>
    private static async Task<JsonNode?> SeenInGroupAsync(FederationNode node, Guid groupId, string stixId)
    {
        var client = new TaxiiClient(node.Http, new TaxiiClientOptions { Secret = node.Http.DefaultRequestHeaders.Authorization!.Parameter });
        var page = await client.GetObjectsAsync(node.ApiRoot, groupId.ToString("D"), new ObjectsQuery { Ids = [stixId] });
        return page.Value?.Resource.Objects is { Count: > 0 } objects ? JsonNode.Parse(objects[0].GetRawText()) : null;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string because, TimeSpan? patience = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            clock.Elapsed.Should().BeLessThan(patience ?? Patience, because);
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Green_to_all_partners_reaches_both_other_nodes_where_their_analysts_see_it()
    {
        var indicator = await RecordAsync(nodes.A, $"green-{Guid.NewGuid():N}.example", "green");

        await WaitAsync(async () => await HoldsAsync(nodes.B, indicator) && await HoldsAsync(nodes.C, indicator), "GREEN to connected communities reaches every partner");
        (await SeenByAnalystAsync(nodes.B, indicator)).Should().NotBeNull("B's organisations see what its partner A shares with connected communities");
        (await SeenByAnalystAsync(nodes.C, indicator)).Should().NotBeNull();

        await using var db = nodes.B.Database().Open(TenantScope.NodeWide("federation test"));
        var row = await db.StixObjects.AsNoTracking().SingleAsync(s => s.StixId == indicator);
        (row.Origin, row.PartnerId, row.OwnerNode).Should().Be((StixOrigin.Partner, nodes.PartnerIds[("B", "A")], nodes.A.NodeId), "provenance: which partner, owned on its node");
    }

    [Fact]
    public async Task Each_node_learns_the_organisations_its_partners_host_and_names_them()
    {
        async Task<JsonArray> ListedOnAsync(FederationNode node) =>
            (await node.Http.GetFromJsonAsync<JsonArray>($"{node.Url}/api/v1/partner-organisations"))!;

        // Each node hosts its agency and the node operators' organisation; the agencies are the ones this test made.
        async Task<List<JsonNode>> AgenciesOnAsync(FederationNode node) =>
            [.. (await ListedOnAsync(node)).Where(o => o!["name"]!.GetValue<string>().EndsWith(" Agency", StringComparison.Ordinal)).Select(o => o!)];

        await WaitAsync(async () => (await AgenciesOnAsync(nodes.A)).Count == 2, "A lists the agencies B and C host");
        var listed = await AgenciesOnAsync(nodes.A);
        listed.Select(o => (o["id"]!.GetValue<Guid>(), o["name"]!.GetValue<string>(), o["nodeId"]!.GetValue<Guid>(), o["partnerName"]!.GetValue<string>()))
            .Should().BeEquivalentTo([
                (nodes.B.OrganisationId, "B Agency", nodes.B.NodeId, "Node B"),
                (nodes.C.OrganisationId, "C Agency", nodes.C.NodeId, "Node C")]);
        listed.Select(o => (o["country"]!.GetValue<string>(), o["kind"]!.GetValue<string>())).Should().AllBeEquivalentTo(("FR", "cert"));
        (await ListedOnAsync(nodes.A)).Should().NotContain(o => o!["nodeId"]!.GetValue<Guid>() == nodes.A.NodeId, "A's own organisations are in its own directory, not among its partners'");
        (await nodes.A.Http.GetFromJsonAsync<JsonArray>($"{nodes.A.Url}/api/v1/partner-organisations?country=JO"))!.Should().BeEmpty();

        // A sharing group's member on a partner node is shown by name, as its node described it.
        var group = await nodes.A.SendAsync(HttpMethod.Post, "/api/v1/sharing-groups", new
        {
            name = $"Named {Guid.NewGuid():N}",
            partnerMembers = new[] { new { organisationId = nodes.C.OrganisationId, nodeId = nodes.C.NodeId } },
        }, HttpStatusCode.Created);
        group["members"]!.AsArray().Single(m => m!["organisationId"]!.GetValue<Guid>() == nodes.C.OrganisationId)!["name"]!.GetValue<string>().Should().Be("C Agency");

        // A partner switched off lists nothing until it is switched on again.
        var partner = nodes.PartnerIds[("A", "B")];
        await nodes.A.SendAsync(HttpMethod.Post, $"/api/v1/partners/{partner}/disable", new { reason = "maintenance" }, HttpStatusCode.OK);
        (await ListedOnAsync(nodes.A)).Select(o => o!["nodeId"]!.GetValue<Guid>()).Distinct().Should().Equal(nodes.C.NodeId);
        await nodes.A.SendAsync(HttpMethod.Post, $"/api/v1/partners/{partner}/enable", new { reason = "back" }, HttpStatusCode.OK);
        (await AgenciesOnAsync(nodes.A)).Should().HaveCount(2);
    }

    /// <summary>The joint investigation as <paramref name="node"/>'s analyst reads it; null while it is not there.</summary>
    private static async Task<JsonNode?> JointAsync(FederationNode node, Guid caseId)
    {
        var response = await node.Http.GetAsync($"{node.Url}/api/v1/joint-investigations/{caseId}");
        return response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
    }

    [Fact]
    public async Task A_joint_investigation_led_on_a_with_b_shows_b_the_case_and_its_shared_timeline_brings_b_s_entries_back_and_never_reaches_c()
    {
        await WaitAsync(async () => (await nodes.A.Http.GetFromJsonAsync<JsonArray>($"{nodes.A.Url}/api/v1/partner-organisations"))!
            .Any(o => o!["id"]!.GetValue<Guid>() == nodes.B.OrganisationId), "A knows the agency B hosts");
        var title = $"Opération Cendre {Guid.NewGuid():N}";
        var opened = await nodes.A.SendAsync(HttpMethod.Post, "/api/v1/cases", new
        {
            title,
            offences = new[] { "illegal-access", "data-interference" },
            partners = new[] { nodes.B.OrganisationId },
            sharing = new { tlp = "amber", handling = "H2" },
        }, HttpStatusCode.Created);
        var caseId = opened["id"]!.GetValue<Guid>();
        await nodes.A.SendAsync(HttpMethod.Post, $"/api/v1/joint-investigations/{caseId}/entries",
            new { kind = "timeline", text = "C2 server located in Roubaix", occurredAt = "2026-11-20T09:30:00Z" }, HttpStatusCode.Created);
        await nodes.A.SendAsync(HttpMethod.Post, $"/api/v1/cases/{caseId}/notes", new { title = "Internal", text = "Not for the team" }, HttpStatusCode.Created);

        // B sees the header and the shared timeline, read-only as to the case; the lead's own notes stay on A.
        await WaitAsync(async () => (await JointAsync(nodes.B, caseId))?["entries"]!.AsArray().Count == 1, "the case and the lead's shared entry reach B");
        var seen = (await JointAsync(nodes.B, caseId))!;
        seen["title"]!.GetValue<string>().Should().Be(title);
        seen["role"]!.GetValue<string>().Should().Be("partner");
        seen["offences"]!.AsArray().Select(o => o!.GetValue<string>()).Should().Equal("illegal-access", "data-interference");
        seen["members"]!.AsArray().Select(m => m!["name"]!.GetValue<string>()).Should().BeEquivalentTo(["A Agency", "B Agency"]);
        seen["entries"]![0]!["text"]!.GetValue<string>().Should().Be("C2 server located in Roubaix");
        seen.ToJsonString().Should().NotContain("Not for the team");
        (await nodes.B.Http.GetAsync($"{nodes.B.Url}/api/v1/cases/{caseId}")).StatusCode.Should().Be(HttpStatusCode.NotFound, "B holds a joint view, not A's case");

        // B's entry reaches the lead, named by B's agency.
        var theirs = await nodes.B.SendAsync(HttpMethod.Post, $"/api/v1/joint-investigations/{caseId}/entries",
            new { kind = "note", text = "Hosting provider served; logs expected Friday" }, HttpStatusCode.Created);
        await WaitAsync(async () => (await JointAsync(nodes.A, caseId))?["entries"]!.AsArray().Any(e => e!["id"]!.GetValue<Guid>() == theirs["id"]!.GetValue<Guid>()) == true,
            "B's entry reaches the lead on A");
        var back = (await JointAsync(nodes.A, caseId))!["entries"]!.AsArray().Single(e => e!["id"]!.GetValue<Guid>() == theirs["id"]!.GetValue<Guid>())!;
        back["organisationName"]!.GetValue<string>().Should().Be("B Agency");
        back["mine"]!.GetValue<bool>().Should().BeFalse();

        // Nothing of the H2 case leaves B for C, though B and C are partners: what A and B shared with everyone after it does reach C.
        var fromA = await RecordAsync(nodes.A, $"after-jit-a-{Guid.NewGuid():N}.example", "green");
        var fromB = await RecordAsync(nodes.B, $"after-jit-b-{Guid.NewGuid():N}.example", "green");
        await WaitAsync(async () => await HoldsAsync(nodes.C, fromA) && await HoldsAsync(nodes.C, fromB), "what A and B share with connected communities after the case reaches C");
        (await HoldsAsync(nodes.C, $"x-ribat-case--{caseId}")).Should().BeFalse("an H2 case addressed to B never goes further, from A or from B");
        (await HoldsAsync(nodes.C, $"x-ribat-case-entry--{theirs["id"]}")).Should().BeFalse();
        (await JointAsync(nodes.C, caseId)).Should().BeNull();
        await using var db = nodes.C.Database().Open(TenantScope.NodeWide("federation test"));
        (await db.JointCases.IgnoreQueryFilters().AnyAsync(c => c.Id == caseId)).Should().BeFalse();
    }

    [Fact]
    public async Task Red_reaches_nobody_while_what_follows_it_does()
    {
        var red = await RecordAsync(nodes.A, $"red-{Guid.NewGuid():N}.example", "red");
        var marker = await RecordAsync(nodes.A, $"after-red-{Guid.NewGuid():N}.example", "green");

        await WaitAsync(async () => await HoldsAsync(nodes.B, marker) && await HoldsAsync(nodes.C, marker), "the GREEN indicator recorded after the RED one arrives");
        (await HoldsAsync(nodes.B, red)).Should().BeFalse("TLP:RED never leaves the owning organisation's named recipients");
        (await HoldsAsync(nodes.C, red)).Should().BeFalse();
    }

    [Fact]
    public async Task Amber_to_a_sharing_group_of_a_and_b_reaches_only_b()
    {
        var group = await nodes.A.SendAsync(HttpMethod.Post, "/api/v1/sharing-groups", new
        {
            name = $"A and B {Guid.NewGuid():N}",
            partnerMembers = new[] { new { organisationId = nodes.B.OrganisationId, nodeId = nodes.B.NodeId } },
        }, HttpStatusCode.Created);
        var groupId = group["id"]!.GetValue<Guid>();

        // Both partners may receive this group's objects by their egress rules; only the policy tells them apart.
        foreach (var partner in new[] { "B", "C" })
        {
            await nodes.A.SendAsync(HttpMethod.Patch, $"/api/v1/partners/{nodes.PartnerIds[("A", partner)]}", new { sharingGroups = new[] { groupId } }, HttpStatusCode.OK);
        }

        var recorded = await nodes.A.SendAsync(HttpMethod.Post, "/api/v1/indicators", new
        {
            indicators = new[] { new { type = "domain", value = $"amber-group-{Guid.NewGuid():N}.example" } },
            sharing = new { tlp = "amber", pap = "green", distribution = "sharing-group", sharingGroupId = groupId },
        }, HttpStatusCode.Created);
        var amber = $"indicator--{recorded["ids"]![0]!.GetValue<Guid>()}";
        var marker = await RecordAsync(nodes.A, $"after-group-{Guid.NewGuid():N}.example", "green");

        await WaitAsync(async () => await HoldsAsync(nodes.B, amber) && await HoldsAsync(nodes.C, marker), "the group's object reaches B, and what follows it reaches C");
        (await HoldsAsync(nodes.C, amber)).Should().BeFalse("C hosts no member of the group");
        await using var db = nodes.B.Database().Open(TenantScope.NodeWide("federation test"));
        var row = await db.StixObjects.AsNoTracking().SingleAsync(s => s.StixId == amber);
        (row.Distribution, row.SharingGroupId, row.Tlp).Should().Be((Core.Sharing.DistributionKind.SharingGroup, groupId, Core.Sharing.Tlp.Amber), "it keeps its terms on B");

        // The group travelled with it, as A owns it and showing B only what B hosts: B's member organisation sees the object.
        await WaitAsync(async () => await SeenInGroupAsync(nodes.B, groupId, amber) is not null, "B's organisation, a member of A's group, sees the group's object");
        (await SeenInGroupAsync(nodes.C, groupId, amber)).Should().BeNull();
        var held = await db.SharingGroups.AsNoTracking().Include(g => g.Members).SingleAsync(g => g.Id == groupId);
        (held.OwnerOrganisationId, held.OwnerNode).Should().Be((nodes.A.OrganisationId, nodes.A.NodeId), "the group is A's, kept on B");
        held.Members.Select(m => (m.OrganisationId, m.OrganisationNode)).Should().Equal([(nodes.B.OrganisationId, (Guid?)null)], "B's organisation is a member here");
        await using var onC = nodes.C.Database().Open(TenantScope.NodeWide("federation test"));
        var onCGroup = await onC.SharingGroups.AsNoTracking().Include(g => g.Members).SingleOrDefaultAsync(g => g.Id == groupId);
        (onCGroup?.Members ?? []).Should().BeEmpty("C hosts no member, so it learns of no member");

        // B cannot change A's group, and a member removed on A stops seeing the group's objects on B.
        var changed = await nodes.B.Http.PutAsync($"{nodes.B.Url}/api/v1/sharing-groups/{groupId}", JsonContent.Create(new { name = "taken over" }));
        changed.IsSuccessStatusCode.Should().BeFalse("only the owner's organisation changes a group");
        await nodes.A.SendAsync(HttpMethod.Put, $"/api/v1/sharing-groups/{groupId}", new { name = group["name"]!.GetValue<string>(), partnerMembers = Array.Empty<object>() }, HttpStatusCode.OK);
        await WaitAsync(async () => await SeenInGroupAsync(nodes.B, groupId, amber) is null, "B's organisation, no longer a member, no longer sees the group's object");
    }

    [Fact]
    public async Task A_sighting_added_on_b_flows_back_to_a()
    {
        var indicator = await RecordAsync(nodes.A, $"sighted-{Guid.NewGuid():N}.example", "green");
        await WaitAsync(() => HoldsAsync(nodes.B, indicator), "the indicator reaches B first");

        var sighting = $"sighting--{Guid.NewGuid()}";
        var bundle = $$"""
            {"type":"bundle","id":"bundle--{{Guid.NewGuid()}}","objects":[{"type":"sighting","spec_version":"2.1","id":"{{sighting}}",
              "created":"2026-11-23T03:00:00.000Z","modified":"2026-11-23T03:00:00.000Z","sighting_of_ref":"{{indicator}}","count":3,
              "object_marking_refs":["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]}]}
            """;
        var imported = await nodes.B.Http.PostAsync($"{nodes.B.Url}/api/v1/stix/import?tlp=green&distribution=connected-communities", new StringContent(bundle, Encoding.UTF8, "application/json"));
        var text = await imported.Content.ReadAsStringAsync();
        imported.StatusCode.Should().Be(HttpStatusCode.OK, text);
        JsonNode.Parse(text)!["missingReferenceCount"]!.GetValue<int>().Should().Be(0, "A's indicator is on B to be sighted");

        await WaitAsync(() => HoldsAsync(nodes.A, sighting), "B's sighting of A's indicator flows back to A");
        var seen = await SeenByAnalystAsync(nodes.A, sighting);
        seen!["sighting_of_ref"]!.GetValue<string>().Should().Be(indicator);
        (await HeldAsync(nodes.A, [indicator])).Should().ContainSingle("A's own indicator is not given a version by anyone else");
    }

    [Fact]
    public async Task A_node_killed_mid_sync_catches_up_with_nothing_lost_and_nothing_duplicated()
    {
        var values = Enumerable.Range(0, 300).Select(i => $"burst-{i}-{Guid.NewGuid():N}.example").ToList();
        var recorded = await nodes.A.SendAsync(HttpMethod.Post, "/api/v1/indicators", new
        {
            indicators = values.Select(v => new { type = "domain", value = v }).ToArray(),
            sharing = new { tlp = "green", pap = "green", distribution = "connected-communities" },
        }, HttpStatusCode.Created);
        nodes.C.Kill();

        var indicators = recorded["ids"]!.AsArray().Select(id => $"indicator--{id!.GetValue<Guid>()}").ToList();
        List<string> all;
        await using (var db = nodes.A.Database().Open(TenantScope.NodeWide("federation test")))
        {
            // The indicators and the observables they name, which their rows serve.
            var ids = recorded["ids"]!.AsArray().Select(id => id!.GetValue<Guid>()).ToList();
            var rows = await db.Indicators.AsNoTracking().Where(i => ids.Contains(i.Id)).ToListAsync();
            all = [.. rows.SelectMany(r => IndicatorVersions.Of(r, nodes.A.NodeId, withJson: false)).Select(v => v.StixId).Distinct()];
        }

        all.Should().HaveCount(600);
        await WaitAsync(async () => (await HeldAsync(nodes.B, all)).Count == all.Count, "B, still up, gets the whole burst");

        // While C is down, A shows the failure on C's partner page and keeps what is queued for it.
        var toC = nodes.PartnerIds[("A", "C")];
        await WaitAsync(async () => (await nodes.A.GetAsync($"/api/v1/partners/{toC}/sync"))["status"]!["consecutiveFailures"]!.GetValue<int>() > 0, "A notices C is down");
        var down = (await nodes.A.GetAsync($"/api/v1/partners/{toC}/sync"))["status"]!;
        down["lastError"]!.GetValue<string>().Should().Contain(nodes.C.ApiRoot);

        await nodes.C.StartAsync();
        await WaitAsync(async () => (await HeldAsync(nodes.C, all)).Count >= all.Count, "C catches up once it is back", TimeSpan.FromSeconds(45));

        // C may have caught up by its own pull while A still waits out its back-off: A's next round to C succeeds, and
        // that further round adds nothing.
        await WaitAsync(async () => (await nodes.A.GetAsync($"/api/v1/partners/{toC}/sync"))["status"]!["consecutiveFailures"]!.GetValue<int>() == 0,
            "A's sync with C succeeds again", TimeSpan.FromSeconds(45));
        var held = await HeldAsync(nodes.C, all);
        held.Should().OnlyHaveUniqueItems("no version is stored twice").And.HaveCount(all.Count, "nothing is lost");
        held.Select(h => h.StixId).Should().BeEquivalentTo(all);
        (await SeenByAnalystAsync(nodes.C, indicators[^1])).Should().NotBeNull();

        var healthy = (await nodes.A.GetAsync($"/api/v1/partners/{toC}/sync"))["status"]!;
        healthy["queued"]!.GetValue<int>().Should().Be(0);
    }

    [Fact]
    public async Task A_request_to_an_agency_on_a_node_that_is_down_stays_queued_then_is_delivered_with_a_verified_receipt_and_acknowledged()
    {
        // Each round starts by describing the organisations, so A's officers can address B's agency.
        await WaitAsync(async () => (await nodes.A.GetAsync("/api/v1/partner-organisations")).AsArray().Any(o => o!["id"]!.GetValue<Guid>() == nodes.B.OrganisationId),
            "A learns of B's agency from B");
        var fields = Cooperation.RequestApiTests<Infrastructure.RibatFactory>.PreservationFields();
        var draft = await nodes.A.SendAsync(HttpMethod.Post, "/api/v1/requests", new
        {
            type = "preservation",
            subject = "Preserve the mule account's mailbox",
            addressedOrganisationId = nodes.B.OrganisationId,
            offences = new[] { "computer-related-fraud" },
            fields,
        }, HttpStatusCode.Created);
        var id = draft["id"]!.GetValue<Guid>();

        nodes.B.Kill();
        var sent = await nodes.A.SendAsync(HttpMethod.Post, $"/api/v1/requests/{id}/transitions", new { to = "sent" }, HttpStatusCode.OK);
        sent["delivery"]!["state"]!.GetValue<string>().Should().Be("queued");
        await Task.Delay(TimeSpan.FromSeconds(3));
        (await nodes.A.GetAsync($"/api/v1/requests/{id}"))["delivery"]!["state"]!.GetValue<string>().Should().Be("queued", "B is down, so nothing can have arrived");

        await nodes.B.StartAsync();
        await WaitAsync(async () => (await nodes.A.GetAsync($"/api/v1/requests/{id}"))["delivery"]!["state"]!.GetValue<string>() == "delivered",
            "once B is back it stores the request and its signed receipt comes back to A", TimeSpan.FromSeconds(45));
        var delivered = await nodes.A.GetAsync($"/api/v1/requests/{id}");
        delivered["status"]!.GetValue<string>().Should().Be("sent", "a receipt is not an acknowledgement");
        var receipt = delivered["delivery"]!["receipts"]![0]!;
        receipt["signatureValid"]!.GetValue<bool>().Should().BeTrue(receipt["signatureStatus"]!.GetValue<string>());
        receipt["node"]!.GetValue<Guid>().Should().Be(nodes.B.NodeId);

        var atB = await nodes.B.GetAsync($"/api/v1/requests/{id}");
        atB["side"]!.GetValue<string>().Should().Be("addressee");
        atB["fields"]!["custodian"]!.GetValue<string>().Should().Be(fields["custodian"]);
        (await nodes.C.Http.GetAsync($"{nodes.C.Url}/api/v1/requests/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound, "C is no party and never receives it");

        await nodes.B.SendAsync(HttpMethod.Post, $"/api/v1/requests/{id}/transitions", new { to = "acknowledged" }, HttpStatusCode.OK);
        await WaitAsync(async () => (await nodes.A.GetAsync($"/api/v1/requests/{id}"))["status"]!.GetValue<string>() == "acknowledged", "B's acknowledgement travels back to A");
        (await HeldAsync(nodes.C, [$"x-ribat-cooperation-request--{id}"])).Should().BeEmpty("a request leaves only for the node hosting its addressee");
    }
}
