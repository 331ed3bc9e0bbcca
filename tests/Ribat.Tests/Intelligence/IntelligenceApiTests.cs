using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Ribat.Core.Node;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Intelligence;

/// <summary>
/// Organisations on one node sharing intelligence through the API: each sees exactly what the sharing policy
/// allows, whatever the TLP, distribution, recipients or group; sightings reach the owner; search and extraction
/// never hint at what is hidden.
/// </summary>
public abstract class IntelligenceApiTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    private static readonly string[] TlpLevels = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"];

    /// <summary>The four distributions, and organisation-only addressed to organisation B by name.</summary>
    private static readonly string[] Audiences = ["organisation-only", "community", "connected-communities", "sharing-group", "named-recipient"];

    private static string Sha256() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private static async Task<Guid> CreateGroupAsync(HttpClient owner, bool confidential, params Guid[] members)
    {
        var created = await owner.PostAsJsonAsync("/api/v1/sharing-groups", new { name = RibatFactory.Unique("Group"), confidential, members });
        return (await created.ShouldBeAsync<JsonObject>(HttpStatusCode.Created))["id"]!.GetValue<Guid>();
    }

    /// <summary>Records one indicator and returns its id.</summary>
    private static async Task<Guid> RecordAsync(HttpClient client, string value, object sharing, string type = "sha256")
    {
        var response = await client.PostAsJsonAsync("/api/v1/indicators", new { type, value, sharing });
        var result = await response.ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        return result["ids"]!.AsArray().Single()!.GetValue<Guid>();
    }

    /// <summary>The explicit table of the acceptance scenario: A owns, B is in the group and named, C is neither.</summary>
    private static bool ExpectedToSee(char viewer, string tlp, string audience) => viewer switch
    {
        'A' => true,
        'B' when audience == "named-recipient" => true,
        _ when tlp is "AMBER+STRICT" or "RED" => false,
        'B' => audience is "community" or "connected-communities" or "sharing-group",
        _ => audience is "community" or "connected-communities",
    };

    [DbFact]
    public async Task Two_organisations_see_exactly_what_each_tlp_and_distribution_allows()
    {
        var a = await factory.CreateTenantAsync();
        var b = await factory.CreateTenantAsync();
        var c = await factory.CreateTenantAsync();
        var clients = new Dictionary<char, HttpClient>
        {
            ['A'] = factory.ClientWith(a.AnalystSecret),
            ['B'] = factory.ClientWith(b.AnalystSecret),
            ['C'] = factory.ClientWith(c.AnalystSecret),
        };
        var group = await CreateGroupAsync(clients['A'], confidential: false, b.Organisation.Id);
        var tag = $"scenario-{Guid.NewGuid():N}";
        var local = await factory.Get<LocalNode>().IdAsync();
        var owner = new OrganisationRef(a.Organisation.Id, local);
        var viewers = new Dictionary<char, Viewer>
        {
            ['A'] = Viewer.OfOrganisation(owner, [group]),
            ['B'] = Viewer.OfOrganisation(new OrganisationRef(b.Organisation.Id, local), [group]),
            ['C'] = Viewer.OfOrganisation(new OrganisationRef(c.Organisation.Id, local)),
        };

        var recorded = new List<(Guid Id, string Tlp, string Audience, SharingTerms Terms)>();
        foreach (var audience in Audiences)
        {
            var (distribution, groupId, recipients) = audience switch
            {
                "sharing-group" => ("sharing-group", (Guid?)group, Array.Empty<Guid>()),
                "named-recipient" => ("organisation-only", null, [b.Organisation.Id]),
                _ => (audience, null, Array.Empty<Guid>()),
            };
            var rows = TlpLevels.Select(tlp => new { type = "sha256", value = Sha256(), tlp, tags = new[] { tag } }).ToArray();
            var sharing = new { pap = "green", distribution, sharingGroupId = groupId, recipients };
            var response = await clients['A'].PostAsJsonAsync("/api/v1/indicators", new { indicators = rows, sharing });

            var result = await response.ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
            result["recorded"]!.GetValue<int>().Should().Be(TlpLevels.Length);
            result["issues"]!.AsArray().Should().BeEmpty();
            response.Headers.Location.Should().BeNull("a batch has no single place to point at");
            var ids = result["ids"]!.AsArray().Select(i => i!.GetValue<Guid>()).ToList();
            for (var i = 0; i < TlpLevels.Length; i++)
            {
                var terms = new SharingTermsInput(TlpLevels[i], "green", distribution, groupId, Recipients: recipients).Resolve(owner).Value!;
                recorded.Add((ids[i], TlpLevels[i], audience, terms));
            }
        }

        foreach (var (viewer, client) in clients)
        {
            var expected = recorded.Where(r => ExpectedToSee(viewer, r.Tlp, r.Audience)).Select(r => r.Id).ToList();
            recorded.Where(r => SharingPolicy.Decide(viewers[viewer], r.Terms).MaySee).Select(r => r.Id)
                .Should().BeEquivalentTo(expected, $"the table for {viewer} is the policy's");

            var listed = await (await client.GetAsync($"/api/v1/indicators?tag={tag}&limit=500")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
            listed["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()).Should().BeEquivalentTo(expected, $"{viewer} lists exactly what the policy allows");

            foreach (var (id, tlp, audience, terms) in recorded)
            {
                var read = await client.GetAsync($"/api/v1/indicators/{id}");
                if (!expected.Contains(id))
                {
                    await read.ShouldBeProblemAsync(HttpStatusCode.NotFound);
                    continue;
                }

                var dto = await read.ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
                var decision = SharingPolicy.Decide(viewers[viewer], terms);
                var sharing = dto["sharing"]!;
                sharing["tlp"]!.GetValue<string>().Should().Be($"TLP:{tlp}");
                sharing["mayReshare"]!.GetValue<bool>().Should().Be(decision.MayReshare, $"{viewer} on {tlp}/{audience}");
                sharing["mayUseInCourt"]!.GetValue<bool>().Should().Be(decision.MayUseInCourt, $"{viewer} on {tlp}/{audience}");
                sharing["mayEnrichActively"]!.GetValue<bool>().Should().Be(decision.MayEnrichActively, $"{viewer} on {tlp}/{audience}");
                sharing["recipients"]!.AsArray().Should().HaveCount(viewer == 'A' && audience == "named-recipient" ? 1 : 0, "only the owner learns who was addressed");
            }
        }

        // B may see A's community indicator but not change or delete it; A's hidden one does not exist for B.
        var visible = recorded.First(r => r.Tlp == "GREEN" && r.Audience == "community").Id;
        var hidden = recorded.First(r => r.Tlp == "AMBER" && r.Audience == "organisation-only").Id;
        await (await clients['B'].PatchJsonAsync($"/api/v1/indicators/{visible}", new { confidence = 1 })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await clients['B'].DeleteAsync($"/api/v1/indicators/{visible}")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await clients['B'].PatchJsonAsync($"/api/v1/indicators/{hidden}", new { confidence = 1 })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await clients['B'].DeleteAsync($"/api/v1/indicators/{hidden}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [DbFact]
    public async Task A_confidential_group_hides_its_members_from_each_other_but_not_from_the_owner()
    {
        var a = await factory.CreateTenantAsync();
        var b = await factory.CreateTenantAsync();
        var c = await factory.CreateTenantAsync();
        var d = await factory.CreateTenantAsync();
        var owner = factory.ClientWith(a.AnalystSecret);
        var confidential = await CreateGroupAsync(owner, confidential: true, b.Organisation.Id, c.Organisation.Id);
        var open = await CreateGroupAsync(owner, confidential: false, b.Organisation.Id, c.Organisation.Id);

        async Task<Guid[]> MembersAsync(Tenant viewer, Guid group)
        {
            var dto = await (await factory.ClientWith(viewer.AnalystSecret).GetAsync($"/api/v1/sharing-groups/{group}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
            return dto["members"]!.AsArray().Select(m => m!["organisationId"]!.GetValue<Guid>()).ToArray();
        }

        (await MembersAsync(a, confidential)).Should().BeEquivalentTo([a.Organisation.Id, b.Organisation.Id, c.Organisation.Id]);
        (await MembersAsync(b, confidential)).Should().BeEquivalentTo([a.Organisation.Id, b.Organisation.Id], "B learns only the owner and itself");
        (await MembersAsync(c, confidential)).Should().BeEquivalentTo([a.Organisation.Id, c.Organisation.Id]);
        (await MembersAsync(b, open)).Should().BeEquivalentTo([a.Organisation.Id, b.Organisation.Id, c.Organisation.Id]);

        var listed = await (await factory.ClientWith(b.AnalystSecret).GetAsync("/api/v1/sharing-groups")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        listed["items"]!.AsArray().Select(g => g!["id"]!.GetValue<Guid>()).Should().BeEquivalentTo([confidential, open]);
        var members = listed["items"]!.AsArray().ToDictionary(g => g!["id"]!.GetValue<Guid>(), g => g!["members"]!.ToJsonString());
        members[confidential].Should().NotContain(c.Organisation.Id.ToString(), "the list hides the confidential group's other members too");
        members[open].Should().Contain(c.Organisation.Id.ToString());

        var outsider = factory.ClientWith(d.AnalystSecret);
        await (await outsider.GetAsync($"/api/v1/sharing-groups/{confidential}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await (await outsider.GetAsync("/api/v1/sharing-groups")).ReadJsonAsync())["items"]!.AsArray().Should().BeEmpty();

        // Group-distributed intelligence reaches the members, not the outsider.
        var value = Sha256();
        await RecordAsync(owner, value, new { tlp = "amber", distribution = "sharing-group", sharingGroupId = confidential });
        foreach (var (viewer, sees) in new[] { (b, true), (c, true), (d, false) })
        {
            var found = await (await factory.ClientWith(viewer.AnalystSecret).GetAsync($"/api/v1/search?q={value}")).ReadJsonAsync();
            found["values"]![0]!["holders"]!.GetValue<int>().Should().Be(sees ? 1 : 0);
        }
    }

    [DbFact]
    public async Task Sharing_groups_are_created_changed_and_deleted_only_when_unused()
    {
        var a = await factory.CreateTenantAsync();
        var b = await factory.CreateTenantAsync();
        var owner = factory.ClientWith(a.AnalystSecret);
        var name = RibatFactory.Unique("Banks");

        var created = await owner.PostAsJsonAsync("/api/v1/sharing-groups", new { name, description = "Financial sector" });
        var group = await created.ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var id = group["id"]!.GetValue<Guid>();
        created.Headers.Location!.ToString().Should().Be($"/api/v1/sharing-groups/{id}");
        group["isOwner"]!.GetValue<bool>().Should().BeTrue();
        await (await owner.PostAsJsonAsync("/api/v1/sharing-groups", new { name })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await (await owner.PostAsJsonAsync("/api/v1/sharing-groups", new { name = "x", members = new[] { Guid.CreateVersion7() } })).ShouldBeValidationProblemAsync("members");

        var changed = await owner.PutAsJsonAsync($"/api/v1/sharing-groups/{id}", new { name, members = new[] { b.Organisation.Id } });
        (await changed.ShouldBeAsync<JsonObject>(HttpStatusCode.OK))["members"]!.AsArray().Should().HaveCount(2);
        await (await factory.ClientWith(b.AnalystSecret).PutAsJsonAsync($"/api/v1/sharing-groups/{id}", new { name = "taken over" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        var indicator = await RecordAsync(owner, Sha256(), new { distribution = "sharing-group", sharingGroupId = id });
        var refused = await owner.DeleteAsync($"/api/v1/sharing-groups/{id}");
        (await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict))["detail"]!.GetValue<string>().Should().Contain("1 object");

        await (await owner.PatchJsonAsync($"/api/v1/indicators/{indicator}", new { sharing = new { distribution = "community" } })).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        (await owner.DeleteAsync($"/api/v1/sharing-groups/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await (await owner.GetAsync($"/api/v1/sharing-groups/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [DbFact]
    public async Task A_sighting_by_another_organisation_reaches_the_owner_and_nobody_else()
    {
        var a = await factory.CreateTenantAsync();
        var b = await factory.CreateTenantAsync();
        var c = await factory.CreateTenantAsync();
        var owner = factory.ClientWith(a.AnalystSecret);
        var sighter = factory.ClientWith(b.AnalystSecret);
        var bystander = factory.ClientWith(c.AnalystSecret);
        var shared = await RecordAsync(owner, Sha256(), new { tlp = "green", distribution = "community" });
        var hidden = await RecordAsync(owner, Sha256(), new { tlp = "amber" });

        var response = await sighter.PostAsJsonAsync($"/api/v1/indicators/{shared}/sightings", new { count = 3, source = "proxy logs", lastSeenAt = DateTimeOffset.UtcNow.AddHours(-1) });

        var sighting = await response.ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        sighting["ownerOrganisationId"]!.GetValue<Guid>().Should().Be(b.Organisation.Id);
        sighting["sharing"]!["tlp"]!.GetValue<string>().Should().Be("TLP:GREEN", "a sighting takes the indicator's TLP");
        sighting["sharing"]!["distribution"]!.GetValue<string>().Should().Be("organisation-only");

        var seenByOwner = await (await owner.GetAsync($"/api/v1/indicators/{shared}/sightings")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        var item = seenByOwner["items"]!.AsArray().Should().ContainSingle().Subject!;
        item["id"]!.GetValue<Guid>().Should().Be(sighting["id"]!.GetValue<Guid>());
        item["count"]!.GetValue<int>().Should().Be(3);
        item["source"]!.GetValue<string>().Should().Be("proxy logs");
        item["ownerName"]!.GetValue<string>().Should().Be(b.Organisation.Name);

        (await (await bystander.GetAsync($"/api/v1/indicators/{shared}/sightings")).ReadJsonAsync())["items"]!.AsArray()
            .Should().BeEmpty("C sees the indicator but not B's sighting, which was addressed to the owner only");
        await (await sighter.PostAsJsonAsync($"/api/v1/indicators/{hidden}/sightings", new { })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await sighter.GetAsync($"/api/v1/indicators/{hidden}/sightings")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await sighter.PostAsJsonAsync($"/api/v1/indicators/{shared}/sightings", new { kind = "maybe" })).ShouldBeValidationProblemAsync("kind");

        var falsePositive = await sighter.PostAsJsonAsync($"/api/v1/indicators/{shared}/sightings", new { kind = "false-positive", comment = "our CDN" });
        (await falsePositive.ShouldBeAsync<JsonObject>(HttpStatusCode.Created))["kind"]!.GetValue<string>().Should().Be("false-positive");
        var paged = await (await owner.GetAsync($"/api/v1/indicators/{shared}/sightings?limit=1")).ReadJsonAsync();
        paged["items"]!.AsArray().Single()!["kind"]!.GetValue<string>().Should().Be("false-positive", "newest first");
        var rest = await (await owner.GetAsync($"/api/v1/indicators/{shared}/sightings?limit=1&cursor={paged["nextCursor"]!.GetValue<string>()}")).ReadJsonAsync();
        rest["items"]!.AsArray().Single()!["kind"]!.GetValue<string>().Should().Be("seen");
    }

    [DbFact]
    public async Task Search_and_extraction_never_reveal_a_hidden_indicator()
    {
        var a = await factory.CreateTenantAsync();
        var b = await factory.CreateTenantAsync();
        var owner = factory.ClientWith(a.AnalystSecret);
        var other = factory.ClientWith(b.AnalystSecret);
        var third = (byte)RandomNumberGenerator.GetInt32(1, 250);
        var hiddenIp = $"198.51.{third}.7";
        var sharedNetwork = $"198.51.{third}.0/24";
        await RecordAsync(owner, hiddenIp, new { tlp = "amber" }, "ipv4");
        await RecordAsync(owner, sharedNetwork, new { tlp = "clear", distribution = "community" }, "cidr");

        var ownView = await (await owner.GetAsync($"/api/v1/search?q={hiddenIp.Replace(".", "[.]", StringComparison.Ordinal)}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        ownView["values"]![0]!["holders"]!.GetValue<int>().Should().Be(1, "the owner finds its own indicator, defanged or not");

        var response = await other.GetAsync($"/api/v1/search?q={hiddenIp}&type=ipv4");
        var found = await response.ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        var value = found["values"]!.AsArray().Single()!;
        value["holders"]!.GetValue<int>().Should().Be(0);
        value["indicators"]!.AsArray().Should().BeEmpty();
        value["related"]!.AsArray().Single(r => r!["relation"]!.GetValue<string>() == "in-network")!["indicators"]!.AsArray()
            .Should().ContainSingle("the community network is visible").Which!["value"]!.GetValue<string>().Should().Be(sharedNetwork);
        var network = await (await other.GetAsync($"/api/v1/search?q={sharedNetwork}")).ReadJsonAsync();
        var contains = network["values"]![0]!["related"]!.AsArray().Single(r => r!["relation"]!.GetValue<string>() == "contains")!;
        contains["count"]!.GetValue<int>().Should().Be(0, "the hidden address inside the network is neither listed nor counted");

        var preview = await other.PostAsync("/api/v1/indicators/extract", new StringContent($"Beacon to {hiddenIp.Replace(".", "[.]", StringComparison.Ordinal)} seen.", System.Text.Encoding.UTF8, "text/plain"));
        var row = (await preview.ShouldBeAsync<JsonObject>(HttpStatusCode.OK))["rows"]!.AsArray().Single()!;
        row["value"]!.GetValue<string>().Should().Be(hiddenIp);
        row["knownHolders"]!.GetValue<int>().Should().Be(0);
        var ownPreview = await owner.PostAsJsonAsync("/api/v1/indicators/extract", new { text = $"Beacon to {hiddenIp}" });
        (await ownPreview.ShouldBeAsync<JsonObject>(HttpStatusCode.OK))["rows"]![0]!["knownHolders"]!.GetValue<int>().Should().Be(1);

        await (await other.GetAsync("/api/v1/search?q=")).ShouldBeValidationProblemAsync("q");
        await (await other.GetAsync("/api/v1/search?q=2001:db8::zz&type=ipv6")).ShouldBeValidationProblemAsync("q");
        var nothing = await (await other.GetAsync("/api/v1/search?q=just%20words")).ReadJsonAsync();
        nothing["values"]!.AsArray().Should().BeEmpty();
        nothing["problem"]!.GetValue<string>().Should().NotBeNullOrEmpty();
    }
}

public sealed class IntelligenceApiTestsSqlite(SqliteFactory factory) : IntelligenceApiTests<SqliteFactory>(factory);

public sealed class IntelligenceApiTestsPostgres(PostgresFactory factory) : IntelligenceApiTests<PostgresFactory>(factory);
