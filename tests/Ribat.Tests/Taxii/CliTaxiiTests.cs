using System.Text.Json.Nodes;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Taxii;

/// <summary><c>ribat taxii pull | push</c> as a subprocess against the loopback TAXII server.</summary>
public sealed class CliTaxiiTests(TaxiiTestServer server) : IClassFixture<TaxiiTestServer>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ribat-cli-taxii-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string[] Credentials => ["--user", TaxiiTestServer.User, "--token", TaxiiTestServer.Password];

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Bundle(IEnumerable<JsonNode> objects) =>
        new JsonObject { ["type"] = "bundle", ["id"] = $"bundle--{Guid.NewGuid()}", ["objects"] = new JsonArray(objects.Select(o => o.DeepClone()).ToArray()) }.ToJsonString();

    [Fact]
    public async Task Pull_follows_every_page_and_writes_one_bundle_with_every_object()
    {
        var file = Path.Combine(_dir, "pulled.json");
        var pulled = await RibatProcess.RunAsync(["taxii", "pull", server.ApiRoot, "--collection", TaxiiTestServer.ReadCollection, "--limit", "2", .. Credentials, "--out", file]);
        pulled.ExitCode.Should().Be(0, pulled.ToString());
        pulled.Stdout.Should().Contain("Pulled 5 object(s) in 3 page(s); last added 2018-03-01T00:00:05.000000Z.");
        var bundle = JsonNode.Parse(File.ReadAllText(file))!;
        bundle["type"]!.GetValue<string>().Should().Be("bundle");
        bundle["id"]!.GetValue<string>().Should().StartWith("bundle--");
        bundle["objects"]!.AsArray().Select(o => o!["id"]!.GetValue<string>()).Should().Equal(TaxiiTestServer.Objects.Select(o => o.Object["id"]!.GetValue<string>()));
        bundle["objects"]![0]!["x_example_custom"]!.GetValue<int>().Should().Be(1, "objects are written as received");
        server.Requests.Last().Headers.UserAgent.ToString().Should().StartWith("Ribat/");

        var toStdout = await RibatProcess.RunAsync(["taxii", "pull", server.ApiRoot, "--collection", TaxiiTestServer.ReadCollection, "--added-after", "2018-03-01T00:00:03Z", "--type", "indicator", "--token", TaxiiTestServer.Token]);
        toStdout.ExitCode.Should().Be(0, toStdout.ToString());
        JsonNode.Parse(toStdout.Stdout)!["objects"]!.AsArray().Should().HaveCount(2, "only objects added after the time");
        toStdout.Stderr.Should().Contain("Pulled 2 object(s)");
        server.Requests.Last(r => r.PathAndQuery.Contains("added_after", StringComparison.Ordinal)).PathAndQuery.Should().Contain("match[type]=indicator");
    }

    [Fact]
    public async Task Pull_answers_a_bad_url_refused_credentials_an_unknown_collection_or_a_non_TAXII_server_with_one_line_and_exit_2()
    {
        Task<CliResult> Pull(string url, string collection, params string[] more) =>
            RibatProcess.RunAsync(["taxii", "pull", url, "--collection", collection, .. more]);

        CliAdminTests.ShouldFailWithOneLine(await Pull("not-a-url", "x", Credentials), 2, "not an absolute http or https URL");
        CliAdminTests.ShouldFailWithOneLine(await Pull(server.ApiRoot, TaxiiTestServer.ReadCollection, "--user", TaxiiTestServer.User, "--token", "wrong"), 2, "401");
        CliAdminTests.ShouldFailWithOneLine(await Pull(server.ApiRoot, TaxiiTestServer.ReadCollection), 2, "refused the credentials");
        CliAdminTests.ShouldFailWithOneLine(await Pull(server.ApiRoot, "no-such-collection", Credentials), 2, "404");
        CliAdminTests.ShouldFailWithOneLine(await Pull($"{server.BaseUrl}/html/", "x", Credentials), 2, "not a TAXII 2.1 endpoint");
        CliAdminTests.ShouldFailWithOneLine(await Pull(server.ApiRoot, TaxiiTestServer.ReadCollection, [.. Credentials, "--added-after", "yesterday"]), 2, "--added-after");
        CliAdminTests.ShouldFailWithOneLine(await Pull("http://127.0.0.1:9/api1/", "x", Credentials), 2, "cannot be reached");
    }

    [Fact]
    public async Task Push_posts_waits_for_the_status_and_prints_it_splitting_what_exceeds_max_content_length()
    {
        var file = Write("bundle.json", Bundle(TaxiiTestServer.Objects.Take(3).Select(o => o.Object)));
        var pushed = await RibatProcess.RunAsync(["taxii", "push", server.ApiRoot, "--collection", TaxiiTestServer.WriteCollection, file, .. Credentials]);
        pushed.ExitCode.Should().Be(0, pushed.ToString());
        pushed.Stdout.Should().MatchRegex(@"Status [0-9a-f-]{36}: complete — 3 succeeded, 0 failed, 0 pending of 3\.");
        var post = server.Requests.Last(r => r.Method == "POST");
        JsonNode.Parse(post.Body)!["objects"]!.AsArray().Should().HaveCount(3);
        post.Headers.ContentType.ToString().Should().Be("application/taxii+json;version=2.1");

        // 200 objects of about 600 bytes exceed the server's 64 KiB: two envelopes, two statuses, every object once.
        var many = Enumerable.Range(0, 200).Select(i =>
        {
            var copy = TaxiiTestServer.Objects[0].Object.DeepClone();
            copy["id"] = $"indicator--{Guid.NewGuid()}";
            copy["description"] = new string('d', 300);
            return copy;
        }).ToList();
        var before = server.Requests.Count(r => r.Method == "POST");
        var split = await RibatProcess.RunAsync(["taxii", "push", server.ApiRoot, "--collection", TaxiiTestServer.WriteCollection, Write("many.json", Bundle(many)), .. Credentials]);
        split.ExitCode.Should().Be(0, split.ToString());
        var posts = server.Requests.Where(r => r.Method == "POST").Skip(before).ToList();
        posts.Should().HaveCountGreaterThan(1);
        posts.Should().AllSatisfy(p => p.Body.Length.Should().BeLessThanOrEqualTo(TaxiiTestServer.MaxContentLength));
        posts.Sum(p => JsonNode.Parse(p.Body)!["objects"]!.AsArray().Count).Should().Be(200);
        split.Stdout.Split('\n').Count(l => l.StartsWith("Status ", StringComparison.Ordinal)).Should().Be(posts.Count);
    }

    [Fact]
    public async Task Push_of_bad_files_is_exit_2_and_a_refused_push_is_exit_1()
    {
        Task<CliResult> Push(string collection, string file, params string[] more) =>
            RibatProcess.RunAsync(["taxii", "push", server.ApiRoot, "--collection", collection, file, .. more]);

        var good = Write("good.json", Bundle(TaxiiTestServer.Objects.Take(1).Select(o => o.Object)));
        var before = server.Requests.Count(r => r.Method == "POST");
        CliAdminTests.ShouldFailWithOneLine(await Push(TaxiiTestServer.WriteCollection, Path.Combine(_dir, "missing.json"), Credentials), 2, "cannot read");
        CliAdminTests.ShouldFailWithOneLine(await Push(TaxiiTestServer.WriteCollection, Write("truncated.json", Bundle(TaxiiTestServer.Objects.Select(o => o.Object))[..200]), Credentials), 2, "not JSON");
        CliAdminTests.ShouldFailWithOneLine(await Push(TaxiiTestServer.WriteCollection, Write("list.json", "[1,2]"), Credentials), 2, "no \"objects\" array");
        CliAdminTests.ShouldFailWithOneLine(await Push(TaxiiTestServer.WriteCollection, Write("empty.json", "{\"objects\":[]}"), Credentials), 2, "no objects");
        var invalid = TaxiiTestServer.Objects[0].Object.DeepClone();
        invalid.AsObject().Remove("pattern");
        CliAdminTests.ShouldFailWithOneLine(await Push(TaxiiTestServer.WriteCollection, Write("invalid.json", Bundle([invalid])), Credentials), 2, "not valid STIX 2.1", "pattern");
        server.Requests.Count(r => r.Method == "POST").Should().Be(before, "nothing is posted from a bad file");

        CliAdminTests.ShouldFailWithOneLine(await Push(TaxiiTestServer.WriteCollection, good, "--token", "wrong"), 2, "401");
        CliAdminTests.ShouldFailWithOneLine(await Push(TaxiiTestServer.ReadCollection, good, Credentials), 1, "403", "read-only");
    }
}
