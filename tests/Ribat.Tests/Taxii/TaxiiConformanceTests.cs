using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Taxii;

/// <summary>
/// The TAXII 2.1 server checked against the OASIS TAXII 2.1 specification through the real HTTP pipeline, as an
/// independent client would use it: discovery, API root, collections, objects (filters and paging), manifest, object,
/// versions, delete, status, content negotiation, authentication and the error message.
/// </summary>
public abstract partial class TaxiiConformanceTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    private const string Taxii = "application/taxii+json;version=2.1";
    private const string Root = "/taxii2/ribat";

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")]
    private static partial Regex Microseconds();

    private HttpClient Client(string secret, bool basic = true)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = basic
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"any-user:{secret}")))
            : new AuthenticationHeaderValue("Bearer", secret);
        client.DefaultRequestHeaders.Accept.ParseAdd(Taxii);
        return client;
    }

    private static async Task<JsonObject> ShouldBeTaxiiAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, text);
        response.Content.Headers.ContentType!.ToString().Replace(" ", string.Empty, StringComparison.Ordinal).Should().Be(Taxii);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>A TAXII error message whose http_status is the response's status, as a string.</summary>
    private static async Task<JsonObject> ShouldBeTaxiiErrorAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var error = await ShouldBeTaxiiAsync(response, status);
        error["title"]!.GetValue<string>().Should().NotBeNullOrWhiteSpace();
        error["http_status"]!.GetValue<string>().Should().Be(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture));
        error.ContainsKey("type").Should().BeFalse("TAXII answers with its own error message, not problem details");
        return error;
    }

    private static StringContent Envelope(params string[] objects)
    {
        var content = new StringContent($$"""{"objects":[{{string.Join(',', objects)}}]}""", Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(Taxii);
        return content;
    }

    private static string Indicator(Guid id, string modified, string domain) => $$"""
        {"type":"indicator","spec_version":"2.1","id":"indicator--{{id}}","created":"2026-01-01T00:00:00.000Z","modified":"{{modified}}",
         "name":"{{domain}}","pattern":"[domain-name:value = '{{domain}}']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z","x_probe":"kept"}
        """;

    private static string Campaign(Guid id, string name) => $$"""
        {"type":"campaign","spec_version":"2.1","id":"campaign--{{id}}","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"{{name}}"}
        """;

    private static string Objects(Guid collection) => $"{Root}/collections/{collection}/objects/";

    private async Task<JsonObject> PostAsync(HttpClient client, Guid collection, params string[] objects) =>
        await ShouldBeTaxiiAsync(await client.PostAsync(Objects(collection), Envelope(objects)), HttpStatusCode.Accepted);

    [DbFact]
    public async Task Discovery_and_the_api_root_describe_the_server_to_basic_and_bearer_clients()
    {
        var tenant = await factory.CreateTenantAsync();
        foreach (var basic in new[] { true, false })
        {
            var discovery = await ShouldBeTaxiiAsync(await Client(tenant.AnalystSecret, basic).GetAsync("/taxii2/"), HttpStatusCode.OK);
            discovery["title"]!.GetValue<string>().Should().NotBeNullOrWhiteSpace();
            var roots = discovery["api_roots"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();
            roots.Should().ContainSingle().Which.Should().EndWith("/taxii2/ribat/");
            discovery["default"]!.GetValue<string>().Should().Be(roots[0]);
        }

        var root = await ShouldBeTaxiiAsync(await Client(tenant.AnalystSecret).GetAsync($"{Root}/"), HttpStatusCode.OK);
        root["versions"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Contain(Taxii);
        root["max_content_length"]!.GetValue<long>().Should().BePositive();
        await ShouldBeTaxiiErrorAsync(await Client(tenant.AnalystSecret).GetAsync("/taxii2/elsewhere/"), HttpStatusCode.NotFound);
    }

    [DbFact]
    public async Task Without_valid_credentials_every_endpoint_answers_401_with_a_challenge_and_a_taxii_error()
    {
        var tenant = await factory.CreateTenantAsync();
        var anonymous = factory.CreateClient();
        anonymous.DefaultRequestHeaders.Accept.ParseAdd(Taxii);
        foreach (var url in new[] { "/taxii2/", $"{Root}/", $"{Root}/collections/", $"{Root}/collections/{tenant.Organisation.Id}/objects/", $"{Root}/status/{Guid.NewGuid()}/" })
        {
            var response = await anonymous.GetAsync(url);
            await ShouldBeTaxiiErrorAsync(response, HttpStatusCode.Unauthorized);
            var challenges = response.Headers.WwwAuthenticate.Select(h => h.Scheme).ToList();
            challenges.Should().Contain("Basic").And.Contain("Bearer");
        }

        await ShouldBeTaxiiErrorAsync(await Client("rbt_not-a-token").GetAsync("/taxii2/"), HttpStatusCode.Unauthorized);
        await ShouldBeTaxiiErrorAsync(await Client("rbt_not-a-token", basic: false).GetAsync("/taxii2/"), HttpStatusCode.Unauthorized);
        var garbled = factory.CreateClient();
        garbled.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Basic %%%not-base64");
        await ShouldBeTaxiiErrorAsync(await garbled.GetAsync("/taxii2/"), HttpStatusCode.Unauthorized);
    }

    [DbFact]
    public async Task Content_negotiation_answers_406_for_other_media_types_and_415_for_other_bodies()
    {
        var tenant = await factory.CreateTenantAsync();
        foreach (var (accept, status) in new[]
        {
            ("application/json", HttpStatusCode.NotAcceptable),
            ("application/taxii+json;version=2.0", HttpStatusCode.NotAcceptable),
            ("text/html", HttpStatusCode.NotAcceptable),
            ("application/taxii+json", HttpStatusCode.OK),
            ("application/taxii+json; version=2.1", HttpStatusCode.OK),
            ("*/*", HttpStatusCode.OK),
        })
        {
            var client = factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tenant.AnalystSecret);
            client.DefaultRequestHeaders.TryAddWithoutValidation("Accept", accept);
            var response = await client.GetAsync($"{Root}/collections/");
            if (status == HttpStatusCode.OK)
            {
                await ShouldBeTaxiiAsync(response, status);
            }
            else
            {
                await ShouldBeTaxiiErrorAsync(response, status);
            }
        }

        var writer = Client(tenant.AnalystSecret);
        foreach (var type in new[] { "application/json", "application/stix+json;version=2.1", "application/taxii+json;version=2.0" })
        {
            var body = new StringContent($$"""{"objects":[{{Campaign(Guid.NewGuid(), "x")}}]}""", Encoding.UTF8);
            body.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
            await ShouldBeTaxiiErrorAsync(await writer.PostAsync(Objects(tenant.Organisation.Id), body), HttpStatusCode.UnsupportedMediaType);
        }
    }

    [DbFact]
    public async Task Collections_follow_the_sharing_model_and_every_publishing_token_can_read_and_write_one()
    {
        var tenant = await factory.CreateTenantAsync();
        var other = await factory.CreateTenantAsync();
        var group = await (await factory.ClientWith(tenant.AnalystSecret).PostAsJsonAsync("/api/v1/sharing-groups", new { name = RibatFactory.Unique("Circle") }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var groupId = group["id"]!.GetValue<Guid>();

        var collections = (await ShouldBeTaxiiAsync(await Client(tenant.AnalystSecret).GetAsync($"{Root}/collections/"), HttpStatusCode.OK))["collections"]!.AsArray();
        var ids = collections.Select(c => c!["id"]!.GetValue<string>()).ToList();
        ids.Should().Contain(tenant.Organisation.Id.ToString()).And.Contain(groupId.ToString()).And.NotContain(other.Organisation.Id.ToString());
        collections.Should().Contain(c => c!["can_read"]!.GetValue<bool>() && c["can_write"]!.GetValue<bool>());
        collections.Should().OnlyContain(c => c!["media_types"]!.AsArray().Single()!.GetValue<string>() == "application/stix+json;version=2.1");

        foreach (var secret in new[] { tenant.AdminSecret, other.AnalystSecret, other.AdminSecret })
        {
            var seen = (await ShouldBeTaxiiAsync(await Client(secret).GetAsync($"{Root}/collections/"), HttpStatusCode.OK))["collections"]!.AsArray();
            seen.Should().Contain(c => c!["can_read"]!.GetValue<bool>() && c["can_write"]!.GetValue<bool>(), "every token whose organisation may publish has a collection to read and write");
        }

        var readOnly = await factory.CreateTokenAsync(tenant.Analyst.Id, "read");
        var readable = (await ShouldBeTaxiiAsync(await Client(readOnly.Secret).GetAsync($"{Root}/collections/"), HttpStatusCode.OK))["collections"]!.AsArray();
        readable.Should().OnlyContain(c => c!["can_read"]!.GetValue<bool>() && !c["can_write"]!.GetValue<bool>());
        await ShouldBeTaxiiErrorAsync(await Client(readOnly.Secret).PostAsync(Objects(tenant.Organisation.Id), Envelope(Campaign(Guid.NewGuid(), "x"))), HttpStatusCode.Forbidden);

        var one = await ShouldBeTaxiiAsync(await Client(tenant.AnalystSecret).GetAsync($"{Root}/collections/{groupId}/"), HttpStatusCode.OK);
        one["title"]!.GetValue<string>().Should().Contain("Circle");
        await ShouldBeTaxiiErrorAsync(await Client(other.AnalystSecret).GetAsync($"{Root}/collections/{groupId}/"), HttpStatusCode.NotFound);
        await ShouldBeTaxiiErrorAsync(await Client(tenant.AnalystSecret).GetAsync($"{Root}/collections/{Guid.NewGuid()}/"), HttpStatusCode.NotFound);
        await ShouldBeTaxiiErrorAsync(await Client(tenant.AnalystSecret).GetAsync($"{Root}/collections/not-a-uuid/"), HttpStatusCode.NotFound);
    }

    [DbFact]
    public async Task A_post_is_answered_202_with_a_status_that_can_be_read_again_and_bad_objects_fail_alone()
    {
        var tenant = await factory.CreateTenantAsync();
        var client = Client(tenant.AnalystSecret);
        var good = Guid.NewGuid();
        var status = await PostAsync(client, tenant.Organisation.Id,
            Campaign(good, "Good"),
            """{"type":"indicator","spec_version":"2.1","id":"indicator--6b6bdf5c-7e4f-4e34-9b0d-3b1e9ee8ff11","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}""");
        status["status"]!.GetValue<string>().Should().Be("complete");
        status["total_count"]!.GetValue<int>().Should().Be(2);
        status["success_count"]!.GetValue<int>().Should().Be(1);
        status["failure_count"]!.GetValue<int>().Should().Be(1);
        status["pending_count"]!.GetValue<int>().Should().Be(0);
        status.ContainsKey("pendings").Should().BeFalse("no empty lists");
        status["successes"]![0]!["id"]!.GetValue<string>().Should().Be($"campaign--{good}");
        status["failures"]![0]!["message"]!.GetValue<string>().Should().Contain("pattern");
        Microseconds().IsMatch(status["request_timestamp"]!.GetValue<string>()).Should().BeTrue();

        var again = await ShouldBeTaxiiAsync(await client.GetAsync($"{Root}/status/{status["id"]}/"), HttpStatusCode.OK);
        again.ToJsonString().Should().Be(status.ToJsonString());
        var other = await factory.CreateTenantAsync();
        await ShouldBeTaxiiErrorAsync(await Client(other.AnalystSecret).GetAsync($"{Root}/status/{status["id"]}/"), HttpStatusCode.NotFound);

        var repeat = await PostAsync(client, tenant.Organisation.Id, Campaign(good, "Good"));
        repeat["success_count"]!.GetValue<int>().Should().Be(1, "a version already held is a success, stored once");
    }

    [DbFact]
    public async Task Malformed_and_oversized_envelopes_are_refused_and_store_nothing()
    {
        var tenant = await factory.CreateTenantAsync();
        var client = Client(tenant.AnalystSecret);
        foreach (var body in new[] { "{", "[]", "null", """{"objects":"no"}""", """{"objects":[]}""", "{}", """{"objects":[1,2]""" })
        {
            var content = new StringContent(body, Encoding.UTF8);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(Taxii);
            await ShouldBeTaxiiErrorAsync(await client.PostAsync(Objects(tenant.Organisation.Id), content), HttpStatusCode.BadRequest);
        }

        var huge = new ByteArrayContent([]);
        huge.Headers.ContentType = MediaTypeHeaderValue.Parse(Taxii);
        huge.Headers.ContentLength = 16L * 1024 * 1024 + 1;
        await ShouldBeTaxiiErrorAsync(await client.PostAsync(Objects(tenant.Organisation.Id), huge), HttpStatusCode.RequestEntityTooLarge);

        var streamed = new StreamContent(new MemoryStream(new byte[(16 * 1024 * 1024) + 10]));
        streamed.Headers.ContentType = MediaTypeHeaderValue.Parse(Taxii);
        var chunked = new HttpRequestMessage(HttpMethod.Post, Objects(tenant.Organisation.Id)) { Content = streamed };
        chunked.Headers.TransferEncodingChunked = true;
        await ShouldBeTaxiiErrorAsync(await client.SendAsync(chunked), HttpStatusCode.RequestEntityTooLarge);

        var listed = await ShouldBeTaxiiAsync(await client.GetAsync(Objects(tenant.Organisation.Id)), HttpStatusCode.OK);
        listed.ContainsKey("objects").Should().BeFalse("nothing was stored, and an empty list is never written");
        listed["more"]!.GetValue<bool>().Should().BeFalse();
    }

    [DbFact]
    public async Task Objects_page_in_date_added_order_with_exact_cursors_headers_and_sealed_next_tokens()
    {
        var tenant = await factory.CreateTenantAsync();
        var client = Client(tenant.AnalystSecret);
        var ids = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();
        foreach (var id in ids)
        {
            await PostAsync(client, tenant.Organisation.Id, Campaign(id, $"Campaign {id}"));
        }

        var collected = new List<string>();
        var dates = new List<string>();
        var url = $"{Objects(tenant.Organisation.Id)}?limit=2&match[type]=campaign";
        for (var page = 0; page < 10; page++)
        {
            var response = await client.GetAsync(url);
            var envelope = await ShouldBeTaxiiAsync(response, HttpStatusCode.OK);
            var objects = envelope["objects"]!.AsArray();
            objects.Count.Should().BeLessThanOrEqualTo(2);
            collected.AddRange(objects.Select(o => o!["id"]!.GetValue<string>()));
            var first = response.Headers.GetValues("X-TAXII-Date-Added-First").Single();
            var last = response.Headers.GetValues("X-TAXII-Date-Added-Last").Single();
            Microseconds().IsMatch(first).Should().BeTrue(first);
            Microseconds().IsMatch(last).Should().BeTrue(last);
            dates.Add(first);
            dates.Add(last);
            if (!envelope["more"]!.GetValue<bool>())
            {
                envelope.ContainsKey("next").Should().BeFalse();
                break;
            }

            url = $"{Objects(tenant.Organisation.Id)}?limit=2&match[type]=campaign&next={Uri.EscapeDataString(envelope["next"]!.GetValue<string>())}";
        }

        collected.Should().Equal(ids.Select(id => $"campaign--{id}"), "every object once, in the order added");
        dates.Should().BeInAscendingOrder(StringComparer.Ordinal);

        // added_after is exclusive and exact: after the second object's date come the last three.
        var manifest = await ShouldBeTaxiiAsync(await client.GetAsync($"{Root}/collections/{tenant.Organisation.Id}/manifest/?match[type]=campaign"), HttpStatusCode.OK);
        var records = manifest["objects"]!.AsArray();
        records.Select(r => r!["id"]!.GetValue<string>()).Should().Equal(collected);
        records.Should().OnlyContain(r => r!["media_type"]!.GetValue<string>() == "application/stix+json;version=2.1" && r["version"]!.GetValue<string>() == "2026-01-01T00:00:00.000Z");
        var second = records[1]!["date_added"]!.GetValue<string>();
        Microseconds().IsMatch(second).Should().BeTrue();
        var rest = await ShouldBeTaxiiAsync(await client.GetAsync($"{Objects(tenant.Organisation.Id)}?match[type]=campaign&added_after={second}"), HttpStatusCode.OK);
        rest["objects"]!.AsArray().Select(o => o!["id"]!.GetValue<string>()).Should().Equal(collected.Skip(2));

        // A next token altered, used with other filters, or in another collection is refused.
        var firstPage = await ShouldBeTaxiiAsync(await client.GetAsync($"{Objects(tenant.Organisation.Id)}?limit=1&match[type]=campaign"), HttpStatusCode.OK);
        var token = firstPage["next"]!.GetValue<string>();
        var tampered = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];
        await ShouldBeTaxiiErrorAsync(await client.GetAsync($"{Objects(tenant.Organisation.Id)}?limit=1&match[type]=campaign&next={Uri.EscapeDataString(tampered)}"), HttpStatusCode.BadRequest);
        await ShouldBeTaxiiErrorAsync(await client.GetAsync($"{Objects(tenant.Organisation.Id)}?limit=1&match[type]=indicator&next={Uri.EscapeDataString(token)}"), HttpStatusCode.BadRequest);
        var community = (await ShouldBeTaxiiAsync(await client.GetAsync($"{Root}/collections/"), HttpStatusCode.OK))["collections"]!.AsArray()
            .Select(c => c!["id"]!.GetValue<string>()).First(id => id != tenant.Organisation.Id.ToString());
        await ShouldBeTaxiiErrorAsync(await client.GetAsync($"{Root}/collections/{community}/objects/?limit=1&match[type]=campaign&next={Uri.EscapeDataString(token)}"), HttpStatusCode.BadRequest);
        await ShouldBeTaxiiErrorAsync(await client.GetAsync($"{Objects(tenant.Organisation.Id)}?next=garbage"), HttpStatusCode.BadRequest);
    }

    [DbFact]
    public async Task Versions_are_matched_first_last_all_or_by_timestamp_and_listed_oldest_first()
    {
        var tenant = await factory.CreateTenantAsync();
        var client = Client(tenant.AnalystSecret);
        var id = Guid.NewGuid();
        var domain = $"{id:N}.example";
        await PostAsync(client, tenant.Organisation.Id, Indicator(id, "2026-01-01T00:00:00.000Z", domain));
        await PostAsync(client, tenant.Organisation.Id, Indicator(id, "2026-02-01T00:00:00.000Z", domain));
        var one = $"{Objects(tenant.Organisation.Id)}indicator--{id}/";

        async Task<List<string>> VersionsOf(string query) =>
            (await ShouldBeTaxiiAsync(await client.GetAsync(one + query), HttpStatusCode.OK))["objects"]!.AsArray().Select(o => o!["modified"]!.GetValue<string>()).ToList();

        (await VersionsOf(string.Empty)).Should().Equal("2026-02-01T00:00:00.000Z");
        (await VersionsOf("?match[version]=last")).Should().Equal("2026-02-01T00:00:00.000Z");
        (await VersionsOf("?match[version]=first")).Should().Equal("2026-01-01T00:00:00.000Z");
        (await VersionsOf("?match[version]=all")).Should().Equal("2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z");
        (await VersionsOf("?match[version]=first,last")).Should().HaveCount(2);
        (await VersionsOf("?match[version]=2026-01-01T00:00:00.000Z")).Should().Equal("2026-01-01T00:00:00.000Z");
        (await VersionsOf("?match[spec_version]=2.1")).Should().Equal("2026-02-01T00:00:00.000Z");

        var whole = await ShouldBeTaxiiAsync(await client.GetAsync(one), HttpStatusCode.OK);
        whole["objects"]![0]!["x_probe"]!.GetValue<string>().Should().Be("kept", "objects leave as they came, custom properties included");

        var versions = await ShouldBeTaxiiAsync(await client.GetAsync(one + "versions/"), HttpStatusCode.OK);
        versions["versions"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Equal("2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z");
        await ShouldBeTaxiiErrorAsync(await client.GetAsync(one + "versions/?match[type]=indicator"), HttpStatusCode.BadRequest);

        var all = await ShouldBeTaxiiAsync(await client.GetAsync($"{Objects(tenant.Organisation.Id)}?match[id]=indicator--{id}&match[version]=all"), HttpStatusCode.OK);
        all["objects"]!.AsArray().Should().HaveCount(2);
        var byType = await ShouldBeTaxiiAsync(await client.GetAsync($"{Objects(tenant.Organisation.Id)}?match[type]=indicator,campaign&match[id]=indicator--{id}"), HttpStatusCode.OK);
        byType["objects"]!.AsArray().Should().ContainSingle();

        await ShouldBeTaxiiErrorAsync(await client.GetAsync($"{Objects(tenant.Organisation.Id)}indicator--{Guid.NewGuid()}/"), HttpStatusCode.NotFound);
        await ShouldBeTaxiiErrorAsync(await client.GetAsync($"{Objects(tenant.Organisation.Id)}indicator--{Guid.NewGuid()}/versions/"), HttpStatusCode.NotFound);
        await ShouldBeTaxiiErrorAsync(await client.GetAsync($"{Objects(tenant.Organisation.Id)}not-an-id/"), HttpStatusCode.NotFound);
    }

    [DbFact]
    public async Task Filters_that_do_not_parse_are_refused_naming_the_parameter()
    {
        var tenant = await factory.CreateTenantAsync();
        var client = Client(tenant.AnalystSecret);
        foreach (var (query, parameter) in new[]
        {
            ("limit=0", "limit"), ("limit=-3", "limit"), ("limit=lots", "limit"),
            ("added_after=yesterday", "added_after"), ("added_after=2026-01-01T00:00:00+01:00", "added_after"),
            ("match[version]=newest", "match[version]"), ("match[spec_version]=3.0", "match[spec_version]"),
            ("match[id]=campaign", "match[id]"), ("match[type]=Bad Type", "match[type]"), ("match[colour]=red", "match[colour]"),
        })
        {
            var error = await ShouldBeTaxiiErrorAsync(await client.GetAsync($"{Objects(tenant.Organisation.Id)}?{query}"), HttpStatusCode.BadRequest);
            error["details"]!["parameter"]!.GetValue<string>().Should().Be(parameter);
        }

        var capped = await client.GetAsync($"{Objects(tenant.Organisation.Id)}?limit=1000000");
        await ShouldBeTaxiiAsync(capped, HttpStatusCode.OK);
    }

    [DbFact]
    public async Task Delete_removes_matching_versions_the_caller_owns_and_nothing_else()
    {
        var owner = await factory.CreateTenantAsync();
        var client = Client(owner.AnalystSecret);
        var id = Guid.NewGuid();
        var domain = $"{id:N}.example";
        await PostAsync(client, owner.Organisation.Id, Indicator(id, "2026-01-01T00:00:00.000Z", domain));
        await PostAsync(client, owner.Organisation.Id, Indicator(id, "2026-03-01T00:00:00.000Z", domain));
        var one = $"{Objects(owner.Organisation.Id)}indicator--{id}/";

        var deleted = await client.DeleteAsync(one + "?match[version]=first");
        deleted.StatusCode.Should().Be(HttpStatusCode.OK);
        var left = await ShouldBeTaxiiAsync(await client.GetAsync(one + "versions/"), HttpStatusCode.OK);
        left["versions"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Equal("2026-03-01T00:00:00.000Z");

        (await client.DeleteAsync(one)).StatusCode.Should().Be(HttpStatusCode.OK);
        await ShouldBeTaxiiErrorAsync(await client.GetAsync(one), HttpStatusCode.NotFound);
        await ShouldBeTaxiiErrorAsync(await client.DeleteAsync(one), HttpStatusCode.NotFound);

        // A Ribat indicator is changed in Ribat: its STIX form is not deleted behind its back.
        var recorded = await (await factory.ClientWith(owner.AnalystSecret).PostAsJsonAsync("/api/v1/indicators", new { type = "domain", value = $"own-{domain}" }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var ribat = recorded["ids"]![0]!.GetValue<Guid>();
        var own = await ShouldBeTaxiiAsync(await client.GetAsync($"{Objects(owner.Organisation.Id)}indicator--{ribat}/"), HttpStatusCode.OK);
        own["objects"]![0]!["pattern"]!.GetValue<string>().Should().Be($"[domain-name:value = 'own-{domain}']");
        await ShouldBeTaxiiErrorAsync(await client.DeleteAsync($"{Objects(owner.Organisation.Id)}indicator--{ribat}/"), HttpStatusCode.Forbidden);

        // Another organisation cannot delete what it does not own, even in the community collection both read.
        var community = (await ShouldBeTaxiiAsync(await client.GetAsync($"{Root}/collections/"), HttpStatusCode.OK))["collections"]!.AsArray()
            .Select(c => c!["id"]!.GetValue<string>()).First(c => c != owner.Organisation.Id.ToString());
        var shared = Guid.NewGuid();
        await PostAsync(client, Guid.Parse(community), Campaign(shared, "Shared"));
        var other = await factory.CreateTenantAsync();
        await ShouldBeTaxiiAsync(await Client(other.AnalystSecret).GetAsync($"{Root}/collections/{community}/objects/campaign--{shared}/"), HttpStatusCode.OK);
        await ShouldBeTaxiiErrorAsync(await Client(other.AnalystSecret).DeleteAsync($"{Root}/collections/{community}/objects/campaign--{shared}/"), HttpStatusCode.Forbidden);
        await ShouldBeTaxiiAsync(await client.GetAsync($"{Root}/collections/{community}/objects/campaign--{shared}/"), HttpStatusCode.OK);
    }

    [DbFact]
    public async Task A_revoked_token_a_disabled_user_or_a_lost_role_changes_the_very_next_request()
    {
        var tenant = await factory.CreateTenantAsync();
        await PostAsync(Client(tenant.AnalystSecret), tenant.Organisation.Id, Campaign(Guid.NewGuid(), "Before the change"));
        var token = await factory.CreateTokenAsync(tenant.Analyst.Id);
        var reader = Client(token.Secret);
        var admin = factory.ClientWith(tenant.AdminSecret);

        (await ShouldBeTaxiiAsync(await reader.GetAsync(Objects(tenant.Organisation.Id)), HttpStatusCode.OK))["objects"]!.AsArray().Should().NotBeEmpty();
        (await admin.DeleteAsync($"/api/v1/tokens/{token.Id}")).StatusCode.Should().Be(HttpStatusCode.OK);
        await ShouldBeTaxiiErrorAsync(await reader.GetAsync(Objects(tenant.Organisation.Id)), HttpStatusCode.Unauthorized);

        var analyst = Client(tenant.AnalystSecret);
        (await ShouldBeTaxiiAsync(await analyst.GetAsync($"{Root}/collections/{tenant.Organisation.Id}/"), HttpStatusCode.OK))["can_write"]!.GetValue<bool>().Should().BeTrue();
        (await admin.PatchJsonAsync($"/api/v1/users/{tenant.Analyst.Id}", new { roles = new[] { "viewer" } })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await ShouldBeTaxiiAsync(await analyst.GetAsync($"{Root}/collections/{tenant.Organisation.Id}/"), HttpStatusCode.OK))["can_write"]!.GetValue<bool>()
            .Should().BeFalse("a viewer does not publish, from the next request on");
        await ShouldBeTaxiiErrorAsync(await analyst.PostAsync(Objects(tenant.Organisation.Id), Envelope(Campaign(Guid.NewGuid(), "After the change"))), HttpStatusCode.Forbidden);

        (await admin.PatchJsonAsync($"/api/v1/users/{tenant.Analyst.Id}", new { disabled = true })).StatusCode.Should().Be(HttpStatusCode.OK);
        await ShouldBeTaxiiErrorAsync(await analyst.GetAsync(Objects(tenant.Organisation.Id)), HttpStatusCode.Unauthorized);
    }

    [DbFact]
    public async Task Paging_the_own_collection_unfiltered_answers_as_the_filtered_path_does_newest_versions_and_what_is_addressed_by_name()
    {
        var tenant = await factory.CreateTenantAsync();
        var sender = await factory.CreateTenantAsync();
        var client = Client(tenant.AnalystSecret);
        var campaign = Guid.NewGuid();
        await PostAsync(client, tenant.Organisation.Id, Indicator(campaign, "2026-01-01T00:00:00.000Z", "old.example"));
        await PostAsync(client, tenant.Organisation.Id, Indicator(campaign, "2026-02-01T00:00:00.000Z", "new.example"), Campaign(Guid.NewGuid(), "Own"));
        var addressed = $"addressed-{Guid.NewGuid():N}.example";
        var hidden = $"hidden-{Guid.NewGuid():N}.example";
        (await factory.ClientWith(sender.AnalystSecret).PostAsJsonAsync("/api/v1/indicators", new
        {
            indicators = new[] { new { type = "domain", value = addressed } },
            sharing = new { tlp = "amber", distribution = "organisation-only", recipients = new[] { tenant.Organisation.Id } },
        })).StatusCode.Should().Be(HttpStatusCode.Created);
        (await factory.ClientWith(sender.AnalystSecret).PostAsJsonAsync("/api/v1/indicators", new
        {
            indicators = new[] { new { type = "domain", value = hidden } },
            sharing = new { tlp = "amber", distribution = "organisation-only" },
        })).StatusCode.Should().Be(HttpStatusCode.Created);

        // One domain recorded by the organisation and then addressed to it by another: one observable, served by two rows.
        var shared = $"shared-{Guid.NewGuid():N}.example";
        (await factory.ClientWith(tenant.AnalystSecret).PostAsJsonAsync("/api/v1/indicators", new
        {
            indicators = new[] { new { type = "domain", value = shared } },
            sharing = new { tlp = "green", distribution = "community" },
        })).StatusCode.Should().Be(HttpStatusCode.Created);
        (await factory.ClientWith(sender.AnalystSecret).PostAsJsonAsync("/api/v1/indicators", new
        {
            indicators = new[] { new { type = "domain", value = shared } },
            sharing = new { tlp = "amber", distribution = "organisation-only", recipients = new[] { tenant.Organisation.Id } },
        })).StatusCode.Should().Be(HttpStatusCode.Created);

        async Task<List<string>> PageThroughAsync(string filter)
        {
            var seen = new List<string>();
            string? after = null;
            while (true)
            {
                var response = await client.GetAsync($"{Objects(tenant.Organisation.Id)}?limit=2{filter}{(after is null ? string.Empty : "&added_after=" + Uri.EscapeDataString(after))}");
                var page = await ShouldBeTaxiiAsync(response, HttpStatusCode.OK);
                if (page["objects"] is not JsonArray objects)
                {
                    return seen;
                }

                seen.AddRange(objects.Select(o => o!.ToJsonString()));
                after = response.Headers.GetValues("X-TAXII-Date-Added-Last").Single();
            }
        }

        var unfiltered = await PageThroughAsync(string.Empty);
        unfiltered.Should().Equal(await PageThroughAsync("&match[spec_version]=2.1"), "the same rows, in the same order, whichever way the query is built");
        unfiltered.Should().ContainSingle(o => o.Contains($"indicator--{campaign}", StringComparison.Ordinal))
            .Which.Should().Contain("new.example", "only the newest version, unless asked for more");
        unfiltered.Should().Contain(o => o.Contains(addressed, StringComparison.Ordinal), "what another organisation addressed to this one by name is in its own collection");
        unfiltered.Should().NotContain(o => o.Contains(hidden, StringComparison.Ordinal));
        unfiltered.Should().Contain(o => o.Contains("\"Own\"", StringComparison.Ordinal));
        unfiltered.Where(o => o.Contains(shared, StringComparison.Ordinal) && o.Contains("\"type\":\"domain-name\"", StringComparison.Ordinal))
            .Should().ContainSingle("the observable both rows serve is one object, and only its newest version is served");
        unfiltered.Where(o => o.Contains(shared, StringComparison.Ordinal) && o.Contains("\"type\":\"indicator\"", StringComparison.Ordinal))
            .Should().HaveCount(2, "each row's indicator is an object of its own");
    }

    [DbFact]
    public async Task Local_indicators_and_an_observable_several_of_them_name_are_served_as_one_store()
    {
        var a = await factory.CreateTenantAsync();
        var b = await factory.CreateTenantAsync();
        var reader = await factory.CreateTenantAsync();
        var domain = $"shared-{Guid.NewGuid():N}.example";
        var observable = Ribat.Core.Indicators.ObservableIds.Of("domain", domain)!;
        var community = (await ShouldBeTaxiiAsync(await Client(reader.AnalystSecret).GetAsync($"{Root}/collections/"), HttpStatusCode.OK))["collections"]!.AsArray()
            .Single(c => c!["title"]!.GetValue<string>() == "Node community")!["id"]!.GetValue<Guid>();
        async Task<Guid> RecordAsync(Tenant tenant, string comment) =>
            (await (await factory.ClientWith(tenant.AnalystSecret).PostAsJsonAsync("/api/v1/indicators", new
            {
                indicators = new[] { new { type = "domain", value = domain, comment } },
                sharing = new { tlp = "green", distribution = "community" },
            })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created))["ids"]![0]!.GetValue<Guid>();

        var first = await RecordAsync(a, "seen by A");
        var second = await RecordAsync(b, "seen by B");
        var client = Client(reader.AnalystSecret);
        var one = $"{Objects(community)}{observable}/";
        async Task<List<string>> AddedAsync(string url)
        {
            var response = await client.GetAsync(url);
            var body = await ShouldBeTaxiiAsync(response, HttpStatusCode.OK);
            return body["objects"] is JsonArray objects ? [.. objects.Select(o => o!["id"]!.GetValue<string>())] : [];
        }

        // Two holders, one observable: each record is a version of it, the newest last.
        var all = await ShouldBeTaxiiAsync(await client.GetAsync(one + "versions/"), HttpStatusCode.OK);
        var versions = all["versions"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
        versions.Should().HaveCount(2).And.BeInAscendingOrder(StringComparer.Ordinal);
        var latest = await client.GetAsync(one);
        (await ShouldBeTaxiiAsync(latest, HttpStatusCode.OK))["objects"]!.AsArray().Should().ContainSingle();
        latest.Headers.GetValues("X-TAXII-Date-Added-Last").Single().Should().Be(versions[1], "an observable's version is its date added");
        (await AddedAsync(one + "?match[version]=all")).Should().HaveCount(2);
        var firstVersion = await client.GetAsync(one + "?match[version]=first");
        firstVersion.Headers.GetValues("X-TAXII-Date-Added-First").Single().Should().Be(versions[0]);

        // A change keeps what was served and adds the new versions at new dates.
        (await factory.ClientWith(a.AnalystSecret).PatchAsJsonAsync($"/api/v1/indicators/{first}", new { comment = "changed by A" })).StatusCode.Should().Be(HttpStatusCode.OK);
        var after = (await ShouldBeTaxiiAsync(await client.GetAsync(one + "versions/"), HttpStatusCode.OK))["versions"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
        after.Should().HaveCount(3).And.StartWith(versions);
        var indicatorA = $"{Objects(community)}indicator--{first}/";
        var ofA = await ShouldBeTaxiiAsync(await client.GetAsync(indicatorA + "?match[version]=all"), HttpStatusCode.OK);
        ofA["objects"]!.AsArray().Select(o => o!["description"]!.GetValue<string>()).Should().Equal("seen by A", "changed by A");
        (await ShouldBeTaxiiAsync(await client.GetAsync(indicatorA), HttpStatusCode.OK))["objects"]!.AsArray().Single()!["description"]!.GetValue<string>().Should().Be("changed by A");

        // Filters read both places: by type, and by id for both kinds.
        var typed = await AddedAsync($"{Objects(community)}?match[type]=domain-name&match[id]={observable}&match[version]=all");
        typed.Should().Equal(observable, observable, observable);
        (await AddedAsync($"{Objects(community)}?match[type]=indicator&match[id]={observable}")).Should().BeEmpty();
        (await AddedAsync($"{Objects(community)}?match[id]=indicator--{second},{observable}")).Should().Equal($"indicator--{second}", observable);
        (await AddedAsync($"{Objects(community)}?match[id]=indicator--{second}&match[spec_version]=2.0")).Should().BeEmpty();

        // Paging one object at a time meets every version once, in date-added order, whichever source holds it.
        var whole = await AddedAsync($"{Objects(community)}?match[version]=all&limit=1000");
        var paged = new List<string>();
        string? next = null;
        do
        {
            var page = await ShouldBeTaxiiAsync(await client.GetAsync($"{Objects(community)}?match[version]=all&limit=1{(next is null ? string.Empty : "&next=" + Uri.EscapeDataString(next))}"), HttpStatusCode.OK);
            paged.AddRange(page["objects"]!.AsArray().Select(o => o!["id"]!.GetValue<string>()));
            next = page["more"]!.GetValue<bool>() ? page["next"]!.GetValue<string>() : null;
        }
        while (next is not null);
        paged.Should().Equal(whole);
        whole.Where(id => id == observable || id == $"indicator--{first}" || id == $"indicator--{second}").Should().HaveCount(6);

        // What stands for an indicator is changed or deleted in Ribat.
        await ShouldBeTaxiiErrorAsync(await Client(a.AnalystSecret).DeleteAsync($"{Objects(a.Organisation.Id)}{observable}/"), HttpStatusCode.Forbidden);
        await ShouldBeTaxiiErrorAsync(await Client(a.AnalystSecret).DeleteAsync($"{Objects(a.Organisation.Id)}indicator--{first}/"), HttpStatusCode.Forbidden);
        (await factory.ClientWith(b.AnalystSecret).DeleteAsync($"/api/v1/indicators/{second}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await ShouldBeTaxiiAsync(await client.GetAsync(one + "versions/"), HttpStatusCode.OK))["versions"]!.AsArray().Should().HaveCount(2, "a deleted indicator's versions go with it");
        await ShouldBeTaxiiErrorAsync(await client.GetAsync($"{Objects(community)}indicator--{second}/"), HttpStatusCode.NotFound);
    }

    [DbFact]
    public async Task An_empty_collection_answers_without_lists_or_date_headers()
    {
        var tenant = await factory.CreateTenantAsync();
        var client = Client(tenant.AnalystSecret);
        var response = await client.GetAsync($"{Objects(tenant.Organisation.Id)}?match[type]=x-nothing-here");
        var envelope = await ShouldBeTaxiiAsync(response, HttpStatusCode.OK);
        envelope.ContainsKey("objects").Should().BeFalse();
        response.Headers.Contains("X-TAXII-Date-Added-First").Should().BeFalse();
        var manifest = await ShouldBeTaxiiAsync(await client.GetAsync($"{Root}/collections/{tenant.Organisation.Id}/manifest/?match[type]=x-nothing-here"), HttpStatusCode.OK);
        manifest.ContainsKey("objects").Should().BeFalse();
    }
}

public sealed class TaxiiConformanceTestsSqlite(SqliteFactory factory) : TaxiiConformanceTests<SqliteFactory>(factory);

public sealed class TaxiiConformanceTestsPostgres(PostgresFactory factory) : TaxiiConformanceTests<PostgresFactory>(factory);
