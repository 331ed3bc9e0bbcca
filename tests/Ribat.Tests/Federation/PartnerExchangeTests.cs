using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Federation;
using Ribat.Core.Federation.Sync;
using Ribat.Core.Tenancy;
using Ribat.Stix.Signing;
using Ribat.Stix.Taxii;
using Ribat.Stix.Taxii.Client;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Federation;

/// <summary>
/// A partner node at this node's TAXII server, through the real HTTP pipeline and the TAXII client library: its one
/// exchange collection, signed pages of what the sharing policy lets leave for it, and signed pushes stored with
/// provenance — and everything a partner may not do refused with nothing stored.
/// </summary>
public abstract class PartnerExchangeTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    private sealed record Setup(Tenant Tenant, Guid PartnerId, Guid PartnerNode, string Secret, ECDsa PartnerKey, string NodeKeyPem, Guid LocalNode);

    private string ApiRoot => new Uri(factory.Server.BaseAddress, "/taxii2/ribat/").ToString();

    private async Task<Setup> SetupAsync(string tlpCeiling = "amber")
    {
        var tenant = await factory.CreateTenantAsync();
        var partner = await PlayedPartner.RecordAsync(factory, tlpCeiling);
        return new Setup(tenant, partner.PartnerId, partner.Node, partner.Secret, partner.Key, partner.NodeKeyPem, partner.LocalNode);
    }

    private TaxiiClient Client(string secret, ECDsa? signer = null) => new(factory.CreateClient(), new TaxiiClientOptions
    {
        Secret = secret,
        SignBody = signer is null ? null : body => PayloadSignature.Sign(body, signer),
    });

    private async Task RecordAsync(Tenant tenant, string value, string tlp, string distribution)
    {
        var client = factory.ClientWith(tenant.AnalystSecret);
        var response = await client.PostAsJsonAsync("/api/v1/indicators", new
        {
            indicators = new[] { new { type = "domain", value } },
            sharing = new { tlp, pap = "green", distribution },
        });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private static string PartnerIndicator(Guid id, Guid ownerOrganisation, Guid ownerNode, string value, string modified = "2026-11-23T01:00:00.000Z") => $$$"""
        {"type":"indicator","spec_version":"2.1","id":"indicator--{{{id}}}","created":"2026-11-23T01:00:00.000Z","modified":"{{{modified}}}",
         "name":"{{{value}}}","pattern":"[domain-name:value = '{{{value}}}']","pattern_type":"stix","valid_from":"2026-11-23T01:00:00Z",
         "object_marking_refs":["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"],
         "extensions":{"{{{RibatStixExtension.Id}}}":{"extension_type":"property-extension","pap":"PAP:GREEN","distribution":"connected-communities",
           "owner_organisation":"{{{ownerOrganisation}}}","owner_node":"{{{ownerNode}}}"
        """ + "}}}";

    private static byte[] Envelope(params string[] objects) => Encoding.UTF8.GetBytes($$"""{"objects":[{{string.Join(",", objects)}}]}""");

    private async Task<int> StoredFromPartnerAsync(Guid partnerId)
    {
        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        return await db.StixObjects.CountAsync(s => s.PartnerId == partnerId && s.Origin == StixOrigin.Partner);
    }

    [DbFact]
    public async Task The_taxii_client_library_discovers_pages_filters_posts_and_deletes_on_a_ribat_node()
    {
        var tenant = await factory.CreateTenantAsync();
        var client = new TaxiiClient(factory.CreateClient(), new TaxiiClientOptions { UserName = "any", Secret = tenant.AnalystSecret });
        var discovery = await client.DiscoverAsync(new Uri(factory.Server.BaseAddress, "/taxii2/").ToString());
        discovery.IsSuccess.Should().BeTrue(discovery.Failure?.Message);
        discovery.Value!.ApiRoots.Should().ContainSingle().Which.Should().Be(ApiRoot);
        (await client.GetApiRootAsync(ApiRoot)).Value!.MaxContentLength.Should().BeGreaterThan(0);
        var own = (await client.GetCollectionsAsync(ApiRoot)).Value!.Collections!.Single(c => c.Id == tenant.Organisation.Id.ToString("D"));
        (own.CanRead, own.CanWrite).Should().Be((true, true));

        var ids = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
        var objects = ids.Select((id, i) => PartnerIndicator(id, tenant.Organisation.Id, Guid.CreateVersion7(), $"client-{i}-{Guid.NewGuid():N}.example")).ToArray();
        var posted = await client.PostObjectsAsync(ApiRoot, own.Id, Envelope(objects));
        posted.IsSuccess.Should().BeTrue(posted.Failure?.Message);
        (posted.Value!.Status, posted.Value.SuccessCount).Should().Be(("complete", 3));

        var pages = new List<TaxiiResponse<TaxiiEnvelope>>();
        await foreach (var page in client.PullAsync(ApiRoot, own.Id, new ObjectsQuery { Limit = 2, Types = ["indicator"] }))
        {
            pages.Add(page.Value!);
        }

        pages.Should().HaveCount(2, "three objects in pages of two");
        pages.SelectMany(p => p.Resource.Objects!).Select(o => o.GetProperty("id").GetString()).Should().BeEquivalentTo(ids.Select(i => $"indicator--{i}"));
        var manifest = await client.GetManifestAsync(ApiRoot, own.Id, new ObjectsQuery { Ids = [$"indicator--{ids[0]}"] });
        manifest.Value!.Resource.Objects.Should().ContainSingle().Which.Version.Should().Be("2026-11-23T01:00:00.000Z");
        (await client.GetVersionsAsync(ApiRoot, own.Id, $"indicator--{ids[0]}")).Value!.Resource.Versions.Should().ContainSingle();
        (await client.GetObjectAsync(ApiRoot, own.Id, $"indicator--{ids[1]}")).Value!.Resource.Objects.Should().ContainSingle();

        (await client.DeleteObjectAsync(ApiRoot, own.Id, $"indicator--{ids[1]}")).Value.Should().BeTrue();
        (await client.GetObjectAsync(ApiRoot, own.Id, $"indicator--{ids[1]}")).Failure!.HttpStatus.Should().Be(404);
        (await new TaxiiClient(factory.CreateClient(), new TaxiiClientOptions { Secret = "rbt_not-a-token" }).GetCollectionsAsync(ApiRoot)).Failure!.HttpStatus.Should().Be(401);
    }

    [DbFact]
    public async Task A_partner_sees_one_exchange_collection_and_pulls_signed_pages_of_only_what_may_leave_for_it()
    {
        var setup = await SetupAsync();
        var green = $"green-{Guid.NewGuid():N}.example";
        var community = $"community-{Guid.NewGuid():N}.example";
        var red = $"red-{Guid.NewGuid():N}.example";
        await RecordAsync(setup.Tenant, green, "green", "connected-communities");
        await RecordAsync(setup.Tenant, community, "green", "community");
        await RecordAsync(setup.Tenant, red, "red", "connected-communities");

        var client = Client(setup.Secret);
        var collections = await client.GetCollectionsAsync(ApiRoot);
        collections.IsSuccess.Should().BeTrue(collections.Failure?.Message);
        var exchange = collections.Value!.Collections!.Should().ContainSingle().Subject;
        exchange.Id.Should().Be(setup.PartnerId.ToString("D"));
        (exchange.CanRead, exchange.CanWrite).Should().Be((true, true));

        var pages = new List<TaxiiResponse<TaxiiEnvelope>>();
        await foreach (var page in client.PullAsync(ApiRoot, exchange.Id, new ObjectsQuery { Limit = 1, Versions = ["all"] }))
        {
            page.IsSuccess.Should().BeTrue(page.Failure?.Message);
            pages.Add(page.Value!);
        }

        var text = string.Concat(pages.SelectMany(p => p.Resource.Objects ?? []).Select(o => o.GetRawText()));
        text.Should().Contain(green, "GREEN to connected communities leaves for a partner");
        text.Should().NotContain(community, "community distribution stays on the node").And.NotContain(red, "RED never leaves without a named recipient there");
        pages.Should().HaveCountGreaterThan(1, "pages of one object are followed");

        using var nodeKey = ECDsa.Create();
        nodeKey.ImportFromPem(setup.NodeKeyPem);
        foreach (var page in pages.Where(p => p.Resource.Objects is not null))
        {
            PayloadSignature.Verify(page.Body, page.Signature, nodeKey).IsValid.Should().BeTrue("every page a partner pulls is signed with the node key");
        }

        // The other read answers a partner gets are signed too, each over its own body.
        var held = pages.SelectMany(p => p.Resource.Objects ?? []).Select(o => o.GetProperty("id").GetString()!).First();
        var manifest = await client.GetManifestAsync(ApiRoot, exchange.Id);
        var single = await client.GetObjectAsync(ApiRoot, exchange.Id, held);
        var versions = await client.GetVersionsAsync(ApiRoot, exchange.Id, held);
        foreach (var (answer, body, signature) in new[]
        {
            ("manifest", manifest.Value?.Body, manifest.Value?.Signature),
            ("object", single.Value?.Body, single.Value?.Signature),
            ("versions", versions.Value?.Body, versions.Value?.Signature),
        })
        {
            body.Should().NotBeNull($"the {answer} answers 200");
            PayloadSignature.Verify(body!.Value, signature, nodeKey).IsValid.Should().BeTrue($"the {answer} answer is signed with the node key");
        }

        var forged = manifest.Value!.Body.ToArray();
        forged[^2] ^= 0x01;
        PayloadSignature.Verify(forged, manifest.Value.Signature, nodeKey).IsValid.Should().BeFalse("the signature covers the manifest's bytes");
        var analystManifest = await new TaxiiClient(factory.CreateClient(), new TaxiiClientOptions { Secret = setup.Tenant.AnalystSecret })
            .GetManifestAsync(ApiRoot, setup.Tenant.Organisation.Id.ToString("D"));
        analystManifest.Value!.Signature.Should().BeNull("only partner nodes get signed answers");

        // The analyst's token is no partner: it sees its organisation's collections, never the exchange.
        var analyst = await new TaxiiClient(factory.CreateClient(), new TaxiiClientOptions { Secret = setup.Tenant.AnalystSecret }).GetCollectionsAsync(ApiRoot);
        analyst.Value!.Collections!.Select(c => c.Id).Should().NotContain(exchange.Id);
        (await client.DeleteObjectAsync(ApiRoot, exchange.Id, $"indicator--{Guid.NewGuid()}")).Failure!.HttpStatus.Should().Be(403);
        (await client.GetObjectsAsync(ApiRoot, setup.Tenant.Organisation.Id.ToString("D"))).Failure!.HttpStatus.Should().Be(404, "a partner has no organisation's collection");
    }

    [DbFact]
    public async Task A_signed_push_is_stored_with_provenance_once_seen_by_the_community_and_never_echoed_back()
    {
        var setup = await SetupAsync();
        var client = Client(setup.Secret, setup.PartnerKey);
        var id = Guid.NewGuid();
        var value = $"partner-{Guid.NewGuid():N}.example";
        var envelope = Envelope(PartnerIndicator(id, Guid.CreateVersion7(), setup.PartnerNode, value));

        var posted = await client.PostObjectsAsync(ApiRoot, setup.PartnerId.ToString("D"), envelope);
        posted.IsSuccess.Should().BeTrue(posted.Failure?.Message);
        posted.Value!.SuccessCount.Should().Be(1);
        (await client.PostObjectsAsync(ApiRoot, setup.PartnerId.ToString("D"), envelope)).Value!.SuccessCount.Should().Be(1, "a version already held is a success");
        (await StoredFromPartnerAsync(setup.PartnerId)).Should().Be(1, "the same version is stored once");

        var newer = Envelope(PartnerIndicator(id, Guid.CreateVersion7(), setup.PartnerNode, value, modified: "2026-11-23T02:00:00.000Z"));
        (await client.PostObjectsAsync(ApiRoot, setup.PartnerId.ToString("D"), newer)).Value!.SuccessCount.Should().Be(1);
        (await StoredFromPartnerAsync(setup.PartnerId)).Should().Be(2, "a newer modified is a new version");

        // The partner's node is a federated node now, so its connected-communities object reaches this node's organisations.
        var analyst = new TaxiiClient(factory.CreateClient(), new TaxiiClientOptions { Secret = setup.Tenant.AnalystSecret });
        var community = (await analyst.GetCollectionsAsync(ApiRoot)).Value!.Collections!.Single(c => c.Title == "Node community");
        var seen = await analyst.GetObjectsAsync(ApiRoot, community.Id, new ObjectsQuery { Ids = [$"indicator--{id}"] });
        seen.Value!.Resource.Objects.Should().ContainSingle().Which.GetProperty("modified").GetString().Should().Be("2026-11-23T02:00:00.000Z", "the newest version wins");

        var pulled = await client.GetObjectsAsync(ApiRoot, setup.PartnerId.ToString("D"), new ObjectsQuery { Ids = [$"indicator--{id}"], Versions = ["all"] });
        pulled.Value!.Resource.Objects.Should().BeNull("nothing goes back to the partner it came from");

        var sync = await (await (await factory.NodeAdminClientAsync()).GetAsync($"/api/v1/partners/{setup.PartnerId}/sync")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        sync["latency"]!.AsArray().Single(l => l!["direction"]!.GetValue<string>() == "inbound")!["count"]!.GetValue<int>().Should().Be(2);
    }

    [DbFact]
    public async Task Unsigned_wrongly_signed_tampered_and_foreign_pushes_are_refused_and_nothing_is_stored()
    {
        var setup = await SetupAsync();
        var collection = setup.PartnerId.ToString("D");
        var envelope = Envelope(PartnerIndicator(Guid.NewGuid(), Guid.CreateVersion7(), setup.PartnerNode, "refused.example"));

        var unsigned = await Client(setup.Secret).PostObjectsAsync(ApiRoot, collection, envelope);
        unsigned.Failure!.HttpStatus.Should().Be(403);
        unsigned.Failure.Message.Should().Contain("signature");

        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var wrongKey = await Client(setup.Secret, stranger).PostObjectsAsync(ApiRoot, collection, envelope);
        wrongKey.Failure!.HttpStatus.Should().Be(403);

        var http = factory.CreateClient();
        var tampered = new HttpRequestMessage(HttpMethod.Post, $"{ApiRoot}collections/{collection}/objects/") { Content = new ByteArrayContent(Envelope(PartnerIndicator(Guid.NewGuid(), Guid.CreateVersion7(), setup.PartnerNode, "other.example"))) };
        tampered.Content.Headers.TryAddWithoutValidation("Content-Type", TaxiiMediaTypes.Taxii21);
        tampered.Headers.TryAddWithoutValidation("Accept", TaxiiMediaTypes.Taxii21);
        tampered.Headers.TryAddWithoutValidation("Authorization", $"Bearer {setup.Secret}");
        tampered.Headers.TryAddWithoutValidation(PayloadSignature.HeaderName, PayloadSignature.Sign(envelope, setup.PartnerKey));
        (await http.SendAsync(tampered)).StatusCode.Should().Be(HttpStatusCode.Forbidden, "a signature over another body does not hold");

        // Signed, but claiming objects the partner may not speak for: ours, a third node's, one kept on its own node, and invalid STIX.
        var ours = PartnerIndicator(Guid.NewGuid(), setup.Tenant.Organisation.Id, setup.LocalNode, "ours.example");
        var third = PartnerIndicator(Guid.NewGuid(), Guid.CreateVersion7(), Guid.CreateVersion7(), "third.example");
        var local = PartnerIndicator(Guid.NewGuid(), Guid.CreateVersion7(), setup.PartnerNode, "community.example").Replace("connected-communities", "community", StringComparison.Ordinal);
        var invalid = """{"type":"indicator","spec_version":"2.1","id":"indicator--6b6f2a3e-1111-4d6e-8a7f-0b9d3e2c4a61"}""";
        var refused = await Client(setup.Secret, setup.PartnerKey).PostObjectsAsync(ApiRoot, collection, Envelope(ours, third, local, invalid));
        refused.IsSuccess.Should().BeTrue(refused.Failure?.Message);
        refused.Value!.FailureCount.Should().Be(4);
        refused.Value.Failures!.Select(f => f.Message).Should().Contain(m => m!.Contains("own organisations", StringComparison.Ordinal))
            .And.Contain(m => m!.Contains("does not reach another node", StringComparison.Ordinal));

        (await Client(setup.Secret).PostObjectsAsync(ApiRoot, collection, "{\"objects\":"u8.ToArray())).Failure!.HttpStatus.Should().Be(403, "a truncated body has no valid signature");
        var empty = await Client(setup.Secret, setup.PartnerKey).PostObjectsAsync(ApiRoot, collection, "{\"more\":false}"u8.ToArray());
        empty.Failure!.HttpStatus.Should().Be(400, "a signed body that holds no objects is not an envelope to store");
        (await StoredFromPartnerAsync(setup.PartnerId)).Should().Be(0);

        // A disabled partner's secret stops at once.
        var admin = await factory.NodeAdminClientAsync();
        (await admin.PostAsJsonAsync($"/api/v1/partners/{setup.PartnerId}/disable", new { reason = "test" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Client(setup.Secret).GetCollectionsAsync(ApiRoot)).Failure!.HttpStatus.Should().Be(401);
    }

    [DbFact]
    public async Task A_partners_object_never_replaces_one_this_nodes_organisation_owns()
    {
        var setup = await SetupAsync();
        var value = $"owned-{Guid.NewGuid():N}.example";
        await RecordAsync(setup.Tenant, value, "green", "connected-communities");
        string ownId;
        await using (var db = factory.Database.Open(TenantScope.NodeWide("test")))
        {
            var row = await db.Indicators.Where(i => i.Value == value).SingleAsync();
            ownId = $"indicator--{row.Id:D}";
            row.StixDateAdded.Should().NotBeNull("the row serves its indicator's current version");
            (await db.StixObjects.CountAsync(s => s.StixId == ownId)).Should().Be(0);
        }

        var hijack = PartnerIndicator(Guid.Parse(ownId["indicator--".Length..]), Guid.CreateVersion7(), setup.PartnerNode, value, modified: "2030-01-01T00:00:00.000Z");
        var posted = await Client(setup.Secret, setup.PartnerKey).PostObjectsAsync(ApiRoot, setup.PartnerId.ToString("D"), Envelope(hijack));
        posted.Value!.FailureCount.Should().Be(1);
        posted.Value.Failures![0].Message.Should().Contain("belongs to an organisation of this node");
        (await StoredFromPartnerAsync(setup.PartnerId)).Should().Be(0);
    }

    private static string PartnerGroup(Guid id, Guid ownerOrganisation, Guid ownerNode, string name, string members, string modified = "2026-11-23T01:00:00.000Z") => $$$"""
        {"type":"{{{SharingGroupExchange.StixType}}}","spec_version":"2.1","id":"{{{SharingGroupExchange.StixType}}}--{{{id}}}","created":"2026-11-23T01:00:00.000Z",
         "modified":"{{{modified}}}","name":"{{{name}}}","confidential":true,"owner_organisation":"{{{ownerOrganisation}}}","owner_node":"{{{ownerNode}}}","members":{{{members}}}}
        """;

    [DbFact]
    public async Task A_partners_sharing_group_is_kept_as_theirs_and_lets_its_members_here_see_its_objects()
    {
        var setup = await SetupAsync();
        var owner = Guid.CreateVersion7();
        var groupId = Guid.CreateVersion7();
        var here = setup.Tenant.Organisation.Id;
        var members = $$"""[{"organisation":"{{here}}","node":"{{setup.LocalNode}}"},{"organisation":"{{Guid.CreateVersion7()}}","node":"{{setup.PartnerNode}}"}]""";
        var collection = setup.PartnerId.ToString("D");
        var client = Client(setup.Secret, setup.PartnerKey);

        var stored = await client.PostObjectsAsync(ApiRoot, collection, Envelope(PartnerGroup(groupId, owner, setup.PartnerNode, "Joint cell", members)));
        stored.IsSuccess.Should().BeTrue(stored.Failure?.Message);
        stored.Value!.SuccessCount.Should().Be(1);

        // The partner's object for the group, then what this node's member organisation reads of it.
        var indicator = PartnerIndicator(Guid.NewGuid(), owner, setup.PartnerNode, $"group-{Guid.NewGuid():N}.example")
            .Replace("\"distribution\":\"connected-communities\"", $"\"distribution\":\"sharing-group\",\"sharing_group\":\"{groupId}\"", StringComparison.Ordinal);
        (await client.PostObjectsAsync(ApiRoot, collection, Envelope(indicator))).Value!.SuccessCount.Should().Be(1);
        var reader = new TaxiiClient(factory.CreateClient(), new TaxiiClientOptions { Secret = setup.Tenant.AnalystSecret });
        var inGroup = await reader.GetObjectsAsync(ApiRoot, groupId.ToString("D"));
        inGroup.IsSuccess.Should().BeTrue(inGroup.Failure?.Message);
        inGroup.Value!.Resource.Objects.Should().ContainSingle("the member organisation here reads the group's object");
        var listed = await (await factory.ClientWith(setup.Tenant.AnalystSecret).GetAsync($"/api/v1/sharing-groups/{groupId}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        (listed["isOwner"]!.GetValue<bool>(), listed["ownerOrganisationId"]!.GetValue<Guid>()).Should().Be((false, owner));

        // An older version changes nothing; a newer one without this node's organisation removes it.
        (await client.PostObjectsAsync(ApiRoot, collection, Envelope(PartnerGroup(groupId, owner, setup.PartnerNode, "Old name", "[]", "2026-11-22T01:00:00.000Z"))))
            .Value!.SuccessCount.Should().Be(1, "an older version is already held, not refused");
        (await client.PostObjectsAsync(ApiRoot, collection, Envelope(PartnerGroup(groupId, owner, setup.PartnerNode, "Joint cell", "[]", "2026-11-24T01:00:00.000Z"))))
            .Value!.SuccessCount.Should().Be(1);
        (await reader.GetObjectsAsync(ApiRoot, groupId.ToString("D"))).Failure!.HttpStatus.Should().Be(404, "an organisation that left the group no longer has its collection");

        // Hostile groups: one of this node's own, one owned on a third node, one named for control characters, one with broken members.
        var ownGroup = await (await factory.ClientWith(setup.Tenant.AnalystSecret).PostAsJsonAsync("/api/v1/sharing-groups", new { name = RibatFactory.Unique("Ours") }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var hostile = await client.PostObjectsAsync(ApiRoot, collection, Envelope(
            PartnerGroup(ownGroup["id"]!.GetValue<Guid>(), owner, setup.PartnerNode, "Taken over", "[]"),
            PartnerGroup(Guid.CreateVersion7(), owner, Guid.CreateVersion7(), "Third node's", "[]"),
            PartnerGroup(Guid.CreateVersion7(), owner, setup.PartnerNode, @"bell\u0007", "[]"),
            PartnerGroup(Guid.CreateVersion7(), owner, setup.PartnerNode, "Broken", """[{"organisation":"x"}]"""),
            PartnerGroup(Guid.CreateVersion7(), owner, setup.PartnerNode, "Too many", "[" + string.Join(",", Enumerable.Repeat($$"""{"organisation":"{{here}}","node":"{{setup.LocalNode}}"}""", SharingGroupExchange.MaxMembers + 1)) + "]")));
        hostile.Value!.FailureCount.Should().Be(5);
        hostile.Value.Failures!.Select(f => f.Message).Should().Contain(m => m!.Contains("belongs to an organisation of this node", StringComparison.Ordinal))
            .And.Contain(m => m!.Contains("sending partner's node", StringComparison.Ordinal))
            .And.Contain(m => m!.Contains("printable", StringComparison.Ordinal))
            .And.Contain(m => m!.Contains("each member", StringComparison.Ordinal))
            .And.Contain(m => m!.Contains("at most", StringComparison.Ordinal));
        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        var ours = await db.SharingGroups.AsNoTracking().SingleAsync(g => g.Id == ownGroup["id"]!.GetValue<Guid>());
        (ours.OwnerNode, ours.OwnerOrganisationId).Should().Be(((Guid?)null, here), "this node's own group is untouched");
    }

    private static string PartnerOrganisation(Guid id, Guid node, string name, string country = "JO", string modified = "2026-11-23T01:00:00.000Z", string kind = "police") => $$$"""
        {"type":"{{{OrganisationExchange.StixType}}}","spec_version":"2.1","id":"{{{OrganisationExchange.StixType}}}--{{{id}}}","created":"2026-11-23T01:00:00.000Z",
         "modified":"{{{modified}}}","name":"{{{name}}}","country":"{{{country}}}","organisation_kind":"{{{kind}}}","node":"{{{node}}}"}
        """;

    [DbFact]
    public async Task A_partners_organisations_are_kept_as_it_describes_them_and_named_here()
    {
        var setup = await SetupAsync();
        var client = Client(setup.Secret, setup.PartnerKey);
        var collection = setup.PartnerId.ToString("D");
        var (unit, cert) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var stored = await client.PostObjectsAsync(ApiRoot, collection, Envelope(
            PartnerOrganisation(unit, setup.PartnerNode, "Cybercrime Unit Amman"),
            PartnerOrganisation(cert, setup.PartnerNode, "JO-CERT", "jo", kind: "a kind from a newer node")));
        stored.IsSuccess.Should().BeTrue(stored.Failure?.Message);
        stored.Value!.SuccessCount.Should().Be(2);

        var analyst = factory.ClientWith(setup.Tenant.AnalystSecret);
        async Task<List<JsonObject>> FromPartnerAsync(string query = "") =>
            [.. (await (await analyst.GetAsync($"/api/v1/partner-organisations{query}")).ShouldBeAsync<JsonArray>(HttpStatusCode.OK))
                .Select(o => o!.AsObject()).Where(o => o["nodeId"]!.GetValue<Guid>() == setup.PartnerNode)];
        var listed = await FromPartnerAsync("?country=jo");
        listed.Select(o => (o["id"]!.GetValue<Guid>(), o["name"]!.GetValue<string>(), o["country"]!.GetValue<string>(), o["kind"]?.GetValue<string>()))
            .Should().Equal((unit, "Cybercrime Unit Amman", "JO", "police"), (cert, "JO-CERT", "JO", null));
        listed.Should().OnlyContain(o => o["partnerName"]!.GetValue<string>().StartsWith("Partner", StringComparison.Ordinal));
        (await FromPartnerAsync("?country=MA")).Should().BeEmpty();
        var badCountry = await analyst.GetAsync("/api/v1/partner-organisations?country=Jordan");
        (await badCountry.ShouldBeAsync<JsonObject>(HttpStatusCode.BadRequest))["errors"]!["country"].Should().NotBeNull();

        // An older description changes nothing; a newer one renames it.
        (await client.PostObjectsAsync(ApiRoot, collection, Envelope(PartnerOrganisation(unit, setup.PartnerNode, "Old name", modified: "2026-11-22T01:00:00.000Z"))))
            .Value!.SuccessCount.Should().Be(1, "an older description is already held, not refused");
        (await client.PostObjectsAsync(ApiRoot, collection, Envelope(PartnerOrganisation(unit, setup.PartnerNode, "Cyber Crime Unit, Amman", modified: "2026-11-24T01:00:00.000Z"))))
            .Value!.SuccessCount.Should().Be(1);
        (await FromPartnerAsync()).Single(o => o["id"]!.GetValue<Guid>() == unit)["name"]!.GetValue<string>().Should().Be("Cyber Crime Unit, Amman");

        // A sharing group's member there is named as its node described it.
        var group = await (await analyst.PostAsJsonAsync("/api/v1/sharing-groups", new { name = RibatFactory.Unique("Joint"), partnerMembers = new[] { new { organisationId = unit, nodeId = setup.PartnerNode } } }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        group["members"]!.AsArray().Single(m => m!["organisationId"]!.GetValue<Guid>() == unit)!["name"]!.GetValue<string>().Should().Be("Cyber Crime Unit, Amman");

        // Hostile descriptions: one of this node's organisations, one hosted on a third node, a control character, a bad country, a bad id.
        var hostile = await client.PostObjectsAsync(ApiRoot, collection, Envelope(
            PartnerOrganisation(setup.Tenant.Organisation.Id, setup.PartnerNode, "Taken over"),
            PartnerOrganisation(Guid.CreateVersion7(), Guid.CreateVersion7(), "Third node's"),
            PartnerOrganisation(Guid.CreateVersion7(), setup.PartnerNode, @"bell\u0007"),
            PartnerOrganisation(Guid.CreateVersion7(), setup.PartnerNode, "Nowhere", "XX1"),
            PartnerOrganisation(Guid.CreateVersion7(), setup.PartnerNode, "No id").Replace($"{OrganisationExchange.StixType}--", $"{OrganisationExchange.StixType}--x", StringComparison.Ordinal)));
        hostile.Value!.FailureCount.Should().Be(5);
        hostile.Value.Failures!.Select(f => f.Message).Should().Contain(m => m!.Contains("hosted on this node", StringComparison.Ordinal))
            .And.Contain(m => m!.Contains("sending partner's node", StringComparison.Ordinal))
            .And.Contain(m => m!.Contains("printable", StringComparison.Ordinal))
            .And.Contain(m => m!.Contains("ISO 3166", StringComparison.Ordinal))
            .And.Contain(m => m!.Contains("<uuid>", StringComparison.Ordinal));
        (await FromPartnerAsync()).Should().HaveCount(2);
        await using (var db = factory.Database.Open(TenantScope.NodeWide("test")))
        {
            (await db.PartnerOrganisations.CountAsync(o => o.Id == setup.Tenant.Organisation.Id)).Should().Be(0, "this node's own organisation is never described by a partner");
        }

        // A disabled partner's organisations are listed nowhere.
        var admin = await factory.NodeAdminClientAsync();
        (await admin.PostAsJsonAsync($"/api/v1/partners/{setup.PartnerId}/disable", new { reason = "suspended" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await FromPartnerAsync()).Should().BeEmpty();
    }

    [DbFact]
    public async Task This_nodes_organisations_go_to_partners_as_the_directory_shows_them_and_nothing_more()
    {
        var setup = await SetupAsync();
        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        var outbound = await OrganisationExchange.OutboundAsync(db, setup.LocalNode, DateTimeOffset.UtcNow, CancellationToken.None);
        var ours = outbound.Single(o => o.Id == setup.Tenant.Organisation.Id);
        using var json = JsonDocument.Parse(ours.Json);
        json.RootElement.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo(["type", "spec_version", "id", "created", "modified", "name", "country", "organisation_kind", "node"]);
        json.RootElement.GetProperty("name").GetString().Should().Be(setup.Tenant.Organisation.Name);
        json.RootElement.GetProperty("node").GetString().Should().Be(setup.LocalNode.ToString());

        // Described again later, it keeps its fingerprint: an unchanged organisation is not sent again.
        var later = await OrganisationExchange.OutboundAsync(db, setup.LocalNode, DateTimeOffset.UtcNow.AddHours(1), CancellationToken.None);
        later.Single(o => o.Id == ours.Id).Fingerprint.Should().Be(ours.Fingerprint);
    }

    [DbFact]
    public async Task A_sharing_group_takes_members_on_partner_nodes_only_and_only_what_it_may_goes_to_them()
    {
        var setup = await SetupAsync();
        var analyst = factory.ClientWith(setup.Tenant.AnalystSecret);
        var elsewhere = Guid.CreateVersion7();
        var refused = await analyst.PostAsJsonAsync("/api/v1/sharing-groups", new { name = "nowhere", partnerMembers = new[] { new { organisationId = Guid.CreateVersion7(), nodeId = elsewhere } } });
        var problem = await refused.ShouldBeAsync<JsonObject>(HttpStatusCode.BadRequest);
        problem["errors"]!["partnerMembers"]!.ToJsonString().Should().Contain(elsewhere.ToString());

        var member = Guid.CreateVersion7();
        var group = await (await analyst.PostAsJsonAsync("/api/v1/sharing-groups", new { name = RibatFactory.Unique("With partner"), partnerMembers = new[] { new { organisationId = member, nodeId = setup.PartnerNode } } }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        group["members"]!.AsArray().Should().Contain(m => m!["organisationId"]!.GetValue<Guid>() == member && m["nodeId"]!.GetValue<Guid>() == setup.PartnerNode);

        // The group's object may go to the partner by the policy, but its egress rules do not name the group yet: nothing leaves.
        var groupId = group["id"]!.GetValue<Guid>();
        var recorded = await (await analyst.PostAsJsonAsync("/api/v1/indicators", new
        {
            indicators = new[] { new { type = "domain", value = $"group-{Guid.NewGuid():N}.example" } },
            sharing = new { tlp = "amber", pap = "green", distribution = "sharing-group", sharingGroupId = groupId },
        })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var stixId = $"indicator--{recorded["ids"]![0]!.GetValue<Guid>()}";
        var client = Client(setup.Secret);
        (await client.GetObjectsAsync(ApiRoot, setup.PartnerId.ToString("D"), new ObjectsQuery { Ids = [stixId] })).Value!.Resource.Objects.Should().BeNull();

        var admin = await factory.NodeAdminClientAsync();
        (await admin.PatchJsonAsync($"/api/v1/partners/{setup.PartnerId}", new { distributions = new[] { "connected-communities", "sharing-group" }, sharingGroups = new[] { groupId } }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetObjectsAsync(ApiRoot, setup.PartnerId.ToString("D"), new ObjectsQuery { Ids = [stixId] })).Value!.Resource.Objects.Should().ContainSingle();
    }

    private static string Addressed(Guid id, Guid ownerOrganisation, Guid ownerNode, string value, string recipients, string distribution = "organisation-only") => $$$"""
        {"type":"indicator","spec_version":"2.1","id":"indicator--{{{id}}}","created":"2026-11-23T01:00:00.000Z","modified":"2026-11-23T01:00:00.000Z",
         "name":"{{{value}}}","pattern":"[domain-name:value = '{{{value}}}']","pattern_type":"stix","valid_from":"2026-11-23T01:00:00Z",
         "object_marking_refs":["{{{Ribat.Core.Sharing.Tlps.StixMarkingId(Ribat.Core.Sharing.Tlp.Red)}}}"],
         "extensions":{"{{{RibatStixExtension.Id}}}":{"extension_type":"property-extension","pap":"PAP:RED","distribution":"{{{distribution}}}",
           "owner_organisation":"{{{ownerOrganisation}}}","owner_node":"{{{ownerNode}}}","recipients":{{{recipients}}}
        """ + "}}}";

    private static string Recipient(Guid organisation, Guid node) => $$"""{"organisation":"{{organisation}}","node":"{{node}}"}""";

    [DbFact]
    public async Task An_object_addressed_to_an_organisation_on_the_partner_leaves_for_it_whatever_its_tlp_naming_only_what_it_hosts()
    {
        var setup = await SetupAsync(tlpCeiling: "green");
        var there = Guid.CreateVersion7();
        var elsewhere = new Ribat.Core.Sharing.OrganisationRef(Guid.CreateVersion7(), Guid.CreateVersion7());
        var owner = new Ribat.Core.Sharing.OrganisationRef(setup.Tenant.Organisation.Id, setup.LocalNode);
        var addressed = Guid.CreateVersion7();
        var notHere = Guid.CreateVersion7();
        await using (var db = factory.Database.Open(TenantScope.NodeWide("test")))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            foreach (var (id, recipients) in new[]
            {
                (addressed, new[] { new Ribat.Core.Sharing.OrganisationRef(there, setup.PartnerNode), elsewhere }),
                (notHere, new[] { elsewhere }),
            })
            {
                var terms = new Ribat.Core.Sharing.SharingTerms(owner, Ribat.Core.Sharing.Tlp.Red, Ribat.Core.Sharing.Pap.Red, Ribat.Core.Sharing.Distribution.OrganisationOnly)
                {
                    Recipients = recipients.ToHashSet(),
                };
                var now = factory.Get<TimeProvider>().GetUtcNow();
                var stix = new JsonObject
                {
                    ["type"] = "x-ribat-probe",
                    ["spec_version"] = "2.1",
                    ["id"] = $"x-ribat-probe--{id}",
                    ["created"] = StixMirror.NextModified(now, null),
                    ["modified"] = StixMirror.NextModified(now, null),
                    ["text"] = "for the addressed organisations only",
                };
                await StixMirror.CustomAsync(db, stix, terms, null, setup.LocalNode, factory.Get<TimeProvider>(), CancellationToken.None);
            }

            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        var client = Client(setup.Secret);
        var pulled = await client.GetObjectsAsync(ApiRoot, setup.PartnerId.ToString("D"), new ObjectsQuery { Ids = [$"x-ribat-probe--{addressed}", $"x-ribat-probe--{notHere}"] });
        pulled.IsSuccess.Should().BeTrue(pulled.Failure?.Message);
        var only = pulled.Value!.Resource.Objects.Should().ContainSingle("RED above the partner's GREEN ceiling still reaches the organisation it hosts, and nothing addressed elsewhere does").Subject;
        only.GetProperty("id").GetString().Should().Be($"x-ribat-probe--{addressed}");
        var recipientsThere = only.GetProperty("extensions").GetProperty(RibatStixExtension.Id).GetProperty("recipients");
        recipientsThere.GetArrayLength().Should().Be(1, "the partner learns only of the recipients it hosts");
        recipientsThere[0].GetProperty("organisation").GetGuid().Should().Be(there);
        recipientsThere[0].GetProperty("node").GetGuid().Should().Be(setup.PartnerNode);

        // The organisation's own reading on this node names no recipient: stored versions carry none.
        await using (var db = factory.Database.Open(TenantScope.NodeWide("test")))
        {
            (await db.StixObjects.Where(s => s.StixId == $"x-ribat-probe--{addressed}").Select(s => s.Json).SingleAsync()).Should().NotContain("recipients");
        }
    }

    [DbFact]
    public async Task A_partners_object_addressed_to_an_organisation_here_is_seen_by_it_alone_and_one_addressed_to_nobody_here_is_refused()
    {
        var setup = await SetupAsync();
        var other = await factory.CreateTenantAsync();
        var client = Client(setup.Secret, setup.PartnerKey);
        var collection = setup.PartnerId.ToString("D");
        var sender = Guid.CreateVersion7();
        var id = Guid.NewGuid();
        var value = $"addressed-{Guid.NewGuid():N}.example";
        var here = Recipient(setup.Tenant.Organisation.Id, setup.LocalNode);

        var posted = await client.PostObjectsAsync(ApiRoot, collection, Envelope(Addressed(id, sender, setup.PartnerNode, value, $"[{here}]")));
        posted.IsSuccess.Should().BeTrue(posted.Failure?.Message);
        posted.Value!.SuccessCount.Should().Be(1, posted.Value.Failures?.FirstOrDefault()?.Message);

        async Task<int> SeenByAsync(Tenant tenant)
        {
            var reader = new TaxiiClient(factory.CreateClient(), new TaxiiClientOptions { Secret = tenant.AnalystSecret });
            // Addressed to it by name, the object is in the organisation's own collection.
            var own = tenant.Organisation.Id.ToString("D");
            return (await reader.GetObjectsAsync(ApiRoot, own, new ObjectsQuery { Ids = [$"indicator--{id}"] })).Value!.Resource.Objects?.Count ?? 0;
        }

        (await SeenByAsync(setup.Tenant)).Should().Be(1, "the named recipient sees a RED organisation-only object");
        (await SeenByAsync(other)).Should().Be(0, "another organisation of the node does not");

        var nobody = Addressed(Guid.NewGuid(), sender, setup.PartnerNode, "nobody.example", $"[{Recipient(Guid.CreateVersion7(), setup.LocalNode)}]");
        var thirdOnly = Addressed(Guid.NewGuid(), sender, setup.PartnerNode, "third.example", $"[{Recipient(Guid.CreateVersion7(), Guid.CreateVersion7())}]");
        var malformed = Addressed(Guid.NewGuid(), sender, setup.PartnerNode, "malformed.example", "\"everyone\"");
        var noNode = Addressed(Guid.NewGuid(), sender, setup.PartnerNode, "nonode.example", $$"""[{"organisation":"{{setup.Tenant.Organisation.Id}}"}]""");
        var tooMany = Addressed(Guid.NewGuid(), sender, setup.PartnerNode, "many.example", $"[{string.Join(",", Enumerable.Repeat(here, PartnerIngress.MaxRecipients + 1))}]");
        var refused = await client.PostObjectsAsync(ApiRoot, collection, Envelope(nobody, thirdOnly, malformed, noNode, tooMany));
        refused.Value!.FailureCount.Should().Be(5);
        var reasons = refused.Value.Failures!.Select(f => f.Message!).ToList();
        reasons[0].Should().Contain("addressed to no organisation of this node");
        reasons[1].Should().Contain("names no recipient here");
        reasons[2].Should().Contain("recipients is a list");
        reasons[3].Should().Contain("each recipient names an organisation and its node");
        reasons[4].Should().Contain($"at most {PartnerIngress.MaxRecipients}");
        (await StoredFromPartnerAsync(setup.PartnerId)).Should().Be(1);
    }

    [DbFact]
    public async Task An_indicator_addressed_to_an_organisation_of_the_partners_directory_crosses_to_its_node_alone()
    {
        var setup = await SetupAsync();
        var unit = Guid.CreateVersion7();
        (await Client(setup.Secret, setup.PartnerKey).PostObjectsAsync(ApiRoot, setup.PartnerId.ToString("D"),
            Envelope(PartnerOrganisation(unit, setup.PartnerNode, "Cybercrime Unit Amman")))).Value!.SuccessCount.Should().Be(1);
        var local = await factory.CreateTenantAsync();

        var analyst = factory.ClientWith(setup.Tenant.AnalystSecret);
        var recorded = await (await analyst.PostAsJsonAsync("/api/v1/indicators", new
        {
            indicators = new[] { new { type = "domain", value = $"addressed-{Guid.NewGuid():N}.example" } },
            sharing = new { tlp = "red", pap = "red", distribution = "organisation-only", recipients = new[] { unit, local.Organisation.Id } },
        })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var id = recorded["ids"]![0]!.GetValue<Guid>();

        var pulled = await Client(setup.Secret).GetObjectsAsync(ApiRoot, setup.PartnerId.ToString("D"), new ObjectsQuery { Ids = [$"indicator--{id}"] });
        var indicator = pulled.Value!.Resource.Objects.Should().ContainSingle("RED and organisation-only, it still reaches the partner that hosts its recipient").Subject;
        var recipients = indicator.GetProperty("extensions").GetProperty(RibatStixExtension.Id).GetProperty("recipients");
        recipients.EnumerateArray().Select(r => (r.GetProperty("organisation").GetGuid(), r.GetProperty("node").GetGuid()))
            .Should().Equal([(unit, setup.PartnerNode)], "the partner learns of its own organisation only, not of the local recipient");

        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        (await db.ShareGrants.Where(g => g.ObjectId == id).Select(g => new { g.OrganisationId, g.OrganisationNode }).ToListAsync())
            .Should().BeEquivalentTo([new { OrganisationId = unit, OrganisationNode = (Guid?)setup.PartnerNode }, new { OrganisationId = local.Organisation.Id, OrganisationNode = (Guid?)null }]);
    }

    /// <summary>Keeps <c>x-ribat-probe</c> objects the way a module keeps its own: writes what it accepts, refuses the rest.</summary>
    private sealed class Probe : IPartnerObjects
    {
        public IReadOnlyCollection<string> StixTypes { get; } = ["x-ribat-probe"];

        public async Task<string?> ReceiveAsync(Ribat.Core.Data.RibatDbContext db, PartnerObject received, CancellationToken cancellationToken)
        {
            var id = Guid.Parse(received.Stix.GetProperty("id").GetString()!["x-ribat-probe--".Length..]);
            switch (received.Stix.GetProperty("verdict").GetString())
            {
                case "keep":
                    db.PartnerOrganisations.Add(new PartnerOrganisation { Id = id, NodeId = received.Partner.NodeId, PartnerId = received.Partner.Id, Name = "kept", Country = "JO", Modified = received.Now, ReceivedAt = received.Now });
                    return null;
                case "after":
                    // Finds what an earlier object of the same payload wrote.
                    var earlier = Guid.Parse(received.Stix.GetProperty("earlier").GetString()!);
                    return await db.PartnerOrganisations.AnyAsync(o => o.Id == earlier, cancellationToken) ? null : "the earlier object is not there";
                default:
                    return "the probe refuses it";
            }
        }
    }

    [DbFact]
    public async Task A_module_keeps_its_own_types_in_payload_order_and_what_it_refuses_is_not_stored()
    {
        var setup = await SetupAsync();
        var sender = Guid.CreateVersion7();
        var here = Recipient(setup.Tenant.Organisation.Id, setup.LocalNode);
        var (first, second, third) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        string Probe(Guid id, string verdict, string extra = "") => $$$"""
            {"type":"x-ribat-probe","spec_version":"2.1","id":"x-ribat-probe--{{{id}}}","created":"2026-11-23T01:00:00.000Z","modified":"2026-11-23T01:00:00.000Z",
             "verdict":"{{{verdict}}}"{{{extra}}},"object_marking_refs":["{{{Ribat.Core.Sharing.Tlps.StixMarkingId(Ribat.Core.Sharing.Tlp.Red)}}}"],
             "extensions":{"{{{RibatStixExtension.Id}}}":{"extension_type":"property-extension","pap":"PAP:RED","distribution":"organisation-only",
               "owner_organisation":"{{{sender}}}","owner_node":"{{{setup.PartnerNode}}}","recipients":[{{{here}}}]
            """ + "}}}";
        var objects = new[] { Probe(first, "keep"), Probe(second, "after", $",\"earlier\":\"{first}\""), Probe(third, "refuse") }
            .Select(o => JsonDocument.Parse(o).RootElement).ToList();

        IngressOutcome outcome;
        await using (var db = factory.Database.Open(TenantScope.NodeWide("test")))
        {
            var partner = await db.Partners.AsNoTracking().SingleAsync(p => p.Id == setup.PartnerId);
            await using var transaction = await db.Database.BeginTransactionAsync();
            outcome = await PartnerIngress.StoreAsync(db, partner, objects, setup.LocalNode, new PartnerObjectHandlers([new Probe()]), factory.Get<TimeProvider>(), CancellationToken.None);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        outcome.Results.Select(r => r.State).Should().Equal(IntakeState.Added, IntakeState.Added, IntakeState.Refused);
        outcome.Refused.Single().Reason.Should().Be("the probe refuses it");
        await using (var db = factory.Database.Open(TenantScope.NodeWide("test")))
        {
            (await db.StixObjects.Where(s => s.PartnerId == setup.PartnerId).Select(s => s.StixId).ToListAsync())
                .Should().BeEquivalentTo([$"x-ribat-probe--{first}", $"x-ribat-probe--{second}"]);
            (await db.PartnerOrganisations.CountAsync(o => o.Id == first)).Should().Be(1);
        }

        var twice = () => new PartnerObjectHandlers([new Probe(), new Probe()]);
        twice.Should().Throw<InvalidOperationException>().WithMessage("*x-ribat-probe*");
    }
}

public sealed class PartnerExchangeTestsSqlite(SqliteFactory factory) : PartnerExchangeTests<SqliteFactory>(factory);

public sealed class PartnerExchangeTestsPostgres(PostgresFactory factory) : PartnerExchangeTests<PostgresFactory>(factory);
