using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ribat.Stix.Model;
using Ribat.Stix.Signing;
using Ribat.Stix.Taxii;
using Ribat.Stix.Taxii.Client;

namespace Ribat.Tests.Taxii;

/// <summary>The TAXII 2.1 client against a real HTTP server on loopback that answers as the specification's examples do.</summary>
public sealed class TaxiiClientTests(TaxiiTestServer server) : IClassFixture<TaxiiTestServer>
{
    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };

    private TaxiiClient Client(TaxiiClientOptions? options = null) =>
        new(Http, options ?? new TaxiiClientOptions { UserName = TaxiiTestServer.User, Secret = TaxiiTestServer.Password });

    private TaxiiClient Bearer() => new(Http, new TaxiiClientOptions { Secret = TaxiiTestServer.Token });

    private (string Method, string PathAndQuery, Microsoft.AspNetCore.Http.IHeaderDictionary Headers, byte[] Body) Last(string pathPart) =>
        server.Requests.Last(r => r.PathAndQuery.Contains(pathPart, StringComparison.Ordinal));

    [Fact]
    public async Task Discovery_api_root_and_collections_are_read_with_the_media_type_user_agent_and_credentials()
    {
        var discovery = await Client().DiscoverAsync(server.Discovery);
        discovery.IsSuccess.Should().BeTrue(discovery.Failure?.Message);
        discovery.Value!.Title.Should().Be("Some TAXII Server");
        discovery.Value.ApiRoots.Should().HaveCount(3).And.Contain(server.ApiRoot);
        discovery.Value.Default.Should().Be(server.ApiRoot);

        var request = Last("/taxii2/");
        request.Headers.Accept.ToString().Should().Be("application/taxii+json;version=2.1");
        request.Headers.UserAgent.ToString().Should().MatchRegex(@"^Ribat/\d+\.\d+\.\d+ \(TAXII 2\.1 client\)$");
        request.Headers.Authorization.ToString().Should().StartWith("Basic ");

        var root = await Bearer().GetApiRootAsync(server.ApiRoot.TrimEnd('/'));
        root.Value!.Versions.Should().Equal("application/taxii+json;version=2.1");
        root.Value.MaxContentLength.Should().Be(TaxiiTestServer.MaxContentLength);
        var rootRequest = server.Requests.Last(r => r.PathAndQuery.StartsWith("/api1", StringComparison.Ordinal));
        rootRequest.PathAndQuery.Should().Be("/api1/", "an API root URL gets its closing slash");
        rootRequest.Headers.Authorization.ToString().Should().Be($"Bearer {TaxiiTestServer.Token}");

        var collections = await Client().GetCollectionsAsync(server.ApiRoot);
        collections.Value!.Collections!.Select(c => (c.Id, c.CanRead, c.CanWrite)).Should().Equal(
            (TaxiiTestServer.ReadCollection, true, false), (TaxiiTestServer.WriteCollection, true, true));
        (await Client().GetCollectionAsync(server.ApiRoot, TaxiiTestServer.WriteCollection)).Value!.Title.Should().Be("Indicators from the past 24-hours");
    }

    [Fact]
    public async Task Objects_are_paged_by_next_token_and_every_object_arrives_once_with_its_custom_properties()
    {
        var pages = new List<TaxiiResponse<TaxiiEnvelope>>();
        await foreach (var page in Client().PullAsync(server.ApiRoot, TaxiiTestServer.ReadCollection, new ObjectsQuery { Limit = 2 }))
        {
            page.IsSuccess.Should().BeTrue(page.Failure?.Message);
            pages.Add(page.Value!);
        }

        pages.Should().HaveCount(3);
        pages.Select(p => p.Resource.More).Should().Equal(true, true, false);
        var ids = pages.SelectMany(p => p.Resource.Objects!).Select(o => o.GetProperty("id").GetString()).ToList();
        ids.Should().Equal(TaxiiTestServer.Objects.Select(o => o.Object["id"]!.GetValue<string>()));
        pages[0].DateAddedFirst.Should().Be(StixTimestamp.Parse("2018-03-01T00:00:01.000000Z"));
        pages[0].DateAddedLast.Should().Be(StixTimestamp.Parse("2018-03-01T00:00:02.000000Z"));
        var typed = pages[0].Resource.ReadObjects(out var issues);
        issues.Should().BeEmpty();
        typed.Should().AllBeOfType<Indicator>();
        pages[0].Resource.Objects![0].GetProperty("x_example_custom").GetInt32().Should().Be(1, "custom properties arrive as sent");
        server.Requests.Where(r => r.PathAndQuery.Contains(TaxiiTestServer.ReadCollection + "/objects/", StringComparison.Ordinal)).Select(r => r.PathAndQuery).TakeLast(3)
            .Should().Equal(
                $"/api1/collections/{TaxiiTestServer.ReadCollection}/objects/?limit=2",
                $"/api1/collections/{TaxiiTestServer.ReadCollection}/objects/?limit=2&next=2",
                $"/api1/collections/{TaxiiTestServer.ReadCollection}/objects/?limit=2&next=4");
    }

    [Fact]
    public async Task A_server_without_next_tokens_is_paged_by_added_after_from_its_date_added_headers()
    {
        var ids = new List<string?>();
        await foreach (var page in Client().PullAsync(server.ApiRoot, TaxiiTestServer.WriteCollection, new ObjectsQuery { Limit = 2, AddedAfter = StixTimestamp.Parse("2018-03-01T00:00:01Z") }))
        {
            page.IsSuccess.Should().BeTrue(page.Failure?.Message);
            ids.AddRange(page.Value!.Resource.Objects?.Select(o => o.GetProperty("id").GetString()) ?? []);
        }

        ids.Should().Equal(TaxiiTestServer.Objects.Skip(1).Select(o => o.Object["id"]!.GetValue<string>()), "objects added after the first, each once");
        Last(TaxiiTestServer.WriteCollection + "/objects/").PathAndQuery.Should().Contain("added_after=2018-03-01T00%3A00%3A03.000000Z", "the second page starts after the first page's last date added");
    }

    [Fact]
    public async Task Filters_manifest_versions_single_objects_and_delete_use_the_specifications_parameters()
    {
        var id = TaxiiTestServer.Objects[2].Object["id"]!.GetValue<string>();
        var filtered = await Client().GetObjectsAsync(server.ApiRoot, TaxiiTestServer.ReadCollection, new ObjectsQuery
        {
            Ids = [id, "indicator--00000000-0000-4000-8000-000000000000"],
            Types = ["indicator"],
            Versions = ["last"],
            SpecVersions = ["2.1"],
            Limit = 10,
        });
        filtered.Value!.Resource.Objects!.Should().ContainSingle().Which.GetProperty("id").GetString().Should().Be(id);
        Last("match").PathAndQuery.Should().Contain($"match[id]={id},indicator--00000000-0000-4000-8000-000000000000")
            .And.Contain("match[type]=indicator").And.Contain("match[version]=last").And.Contain("match[spec_version]=2.1");

        var manifest = await Client().GetManifestAsync(server.ApiRoot, TaxiiTestServer.ReadCollection, new ObjectsQuery { Limit = 5 });
        manifest.Value!.Resource.Objects!.Select(r => r.Id).Should().HaveCount(5);
        manifest.Value.Resource.Objects![0].DateAdded.Should().Be(StixTimestamp.Parse("2018-03-01T00:00:01.000000Z"));

        var single = await Client().GetObjectAsync(server.ApiRoot, TaxiiTestServer.ReadCollection, id);
        single.Value!.Resource.Objects!.Single().GetProperty("id").GetString().Should().Be(id);
        var versions = await Client().GetVersionsAsync(server.ApiRoot, TaxiiTestServer.ReadCollection, id);
        versions.Value!.Resource.Versions!.Should().ContainSingle().Which.Should().Be(StixTimestamp.Parse("2018-02-27T13:57:13.515Z"));

        (await Client().DeleteObjectAsync(server.ApiRoot, TaxiiTestServer.WriteCollection, id)).Value.Should().BeTrue();
        var readOnly = await Client().DeleteObjectAsync(server.ApiRoot, TaxiiTestServer.ReadCollection, id);
        readOnly.Failure!.Kind.Should().Be(TaxiiFailureKind.Forbidden);
        readOnly.Failure.Error!.Title.Should().Be("Collection is read-only");
        readOnly.Failure.Message.Should().Contain("403").And.Contain("Collection is read-only");

        var unsafeId = await Client().GetObjectAsync(server.ApiRoot, TaxiiTestServer.ReadCollection, "../../status/x");
        unsafeId.Failure!.Kind.Should().Be(TaxiiFailureKind.NotFound);
        Last("status%2Fx").PathAndQuery.Should().Contain("..%2F..%2Fstatus%2Fx", "an id is one path segment");
    }

    [Fact]
    public async Task A_post_is_answered_202_with_a_pending_status_that_is_polled_until_complete_and_the_body_can_be_signed()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var client = Client(new TaxiiClientOptions
        {
            UserName = TaxiiTestServer.User,
            Secret = TaxiiTestServer.Password,
            StatusPollInterval = TimeSpan.FromMilliseconds(20),
            SignBody = body => PayloadSignature.Sign(body, key),
        });
        var objects = TaxiiTestServer.Objects.Take(3).Select(o => JsonDocument.Parse(o.Object.ToJsonString()).RootElement).ToList();
        var posted = await client.PostObjectsAsync(server.ApiRoot, TaxiiTestServer.WriteCollection, new TaxiiEnvelope(Objects: objects));
        posted.IsSuccess.Should().BeTrue(posted.Failure?.Message);
        posted.Value!.Status.Should().Be("pending");
        posted.Value.PendingCount.Should().Be(3);

        var request = Last(TaxiiTestServer.WriteCollection + "/objects/");
        request.Method.Should().Be("POST");
        request.Headers.ContentType.ToString().Should().Be("application/taxii+json;version=2.1");
        PayloadSignature.Verify(request.Body, request.Headers[PayloadSignature.HeaderName].ToString(), key).IsValid.Should().BeTrue("the receiver can verify what was posted");

        var done = await client.WaitForStatusAsync(server.ApiRoot, posted.Value, TimeSpan.FromSeconds(10));
        done.Value!.Status.Should().Be("complete");
        done.Value.SuccessCount.Should().Be(3);
        Last("/status/").PathAndQuery.Should().Be($"/api1/status/{posted.Value.Id}/");

        var refused = await client.PostObjectsAsync(server.ApiRoot, TaxiiTestServer.ReadCollection, new TaxiiEnvelope(Objects: objects));
        refused.Failure!.Kind.Should().Be(TaxiiFailureKind.Forbidden);
        var tooLarge = await client.PostObjectsAsync(server.ApiRoot, TaxiiTestServer.WriteCollection, Encoding.UTF8.GetBytes($"{{\"objects\":[],\"x\":\"{new string('a', TaxiiTestServer.MaxContentLength)}\"}}"));
        tooLarge.Failure!.Kind.Should().Be(TaxiiFailureKind.TooLarge);
        (await client.GetStatusAsync(server.ApiRoot, Guid.NewGuid().ToString())).Failure!.Kind.Should().Be(TaxiiFailureKind.NotFound);
    }

    [Fact]
    public async Task Errors_become_typed_failures_with_the_servers_words()
    {
        var anonymous = await new TaxiiClient(Http).GetCollectionsAsync(server.ApiRoot);
        anonymous.Failure!.Kind.Should().Be(TaxiiFailureKind.Unauthorized);
        anonymous.Failure.HttpStatus.Should().Be(401);
        anonymous.Failure.Error!.HttpStatus.Should().Be("401");
        anonymous.Failure.Message.Should().Contain("refused the credentials");

        var wrong = await new TaxiiClient(Http, new TaxiiClientOptions { UserName = TaxiiTestServer.User, Secret = "wrong" }).DiscoverAsync(server.Discovery);
        wrong.Failure!.Kind.Should().Be(TaxiiFailureKind.Unauthorized);

        (await Client().GetCollectionAsync(server.ApiRoot, "no-such-collection")).Failure!.Kind.Should().Be(TaxiiFailureKind.NotFound);
        var badNext = await Client().GetObjectsAsync(server.ApiRoot, TaxiiTestServer.ReadCollection, new ObjectsQuery { Next = "tampered" });
        badNext.Failure!.Kind.Should().Be(TaxiiFailureKind.Rejected);
        badNext.Failure.Message.Should().Contain("Bad next");

        var html = await Client().DiscoverAsync($"{server.BaseUrl}/html/");
        html.Failure!.Kind.Should().Be(TaxiiFailureKind.NotTaxii);
        html.Failure.Message.Should().Contain("text/html").And.Contain("not a TAXII 2.1 endpoint");

        (await Client().DiscoverAsync("not a url")).Failure!.Kind.Should().Be(TaxiiFailureKind.BadUrl);
        (await Client().DiscoverAsync("ftp://example.com/taxii2/")).Failure!.Kind.Should().Be(TaxiiFailureKind.BadUrl);

        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var refused = await Client().DiscoverAsync($"http://127.0.0.1:{closedPort}/taxii2/");
        refused.Failure!.Kind.Should().Be(TaxiiFailureKind.Unreachable);
        refused.Failure.Message.Should().Contain("cannot be reached");
    }

    [Fact]
    public async Task A_slow_server_is_a_timeout_and_the_callers_cancellation_is_honoured()
    {
        server.ObjectsDelay = TimeSpan.FromSeconds(5);
        try
        {
            var client = Client(new TaxiiClientOptions { UserName = TaxiiTestServer.User, Secret = TaxiiTestServer.Password, Timeout = TimeSpan.FromMilliseconds(300) });
            var started = DateTime.UtcNow;
            var slow = await client.GetObjectsAsync(server.ApiRoot, TaxiiTestServer.ReadCollection);
            slow.Failure!.Kind.Should().Be(TaxiiFailureKind.Timeout);
            (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(4));

            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            await FluentActions.Awaiting(() => Client().GetObjectsAsync(server.ApiRoot, TaxiiTestServer.ReadCollection, cancellationToken: cancel.Token))
                .Should().ThrowAsync<OperationCanceledException>();
        }
        finally
        {
            server.ObjectsDelay = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task An_answer_larger_than_the_limit_is_refused_unread()
    {
        var small = Client(new TaxiiClientOptions { UserName = TaxiiTestServer.User, Secret = TaxiiTestServer.Password, MaxResponseBytes = 200 });
        var answer = await small.GetObjectsAsync(server.ApiRoot, TaxiiTestServer.ReadCollection);
        answer.Failure!.Kind.Should().Be(TaxiiFailureKind.NotTaxii);
        answer.Failure.Message.Should().Contain("more than 200 bytes");
    }
}
