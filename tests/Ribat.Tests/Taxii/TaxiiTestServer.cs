using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ribat.Tests.Taxii;

/// <summary>
/// A small TAXII 2.1 server on a loopback port, answering with the specification's example resources: discovery,
/// one API root, two collections, five indicators served in pages (by <c>next</c> token and by
/// <c>added_after</c>), manifests, versions, POST with a status that is pending once and then complete, DELETE,
/// and TAXII error messages. It checks what a real server checks (credentials, Accept, Content-Type, size) and
/// records each request's headers so tests can see what the client sent.
/// </summary>
public sealed class TaxiiTestServer : IAsyncLifetime
{
    public const string User = "ribat-test";
    public const string Password = "correct horse";
    public const string Token = "taxii-bearer-token";
    public const string ReadCollection = "91a7b528-80eb-42ed-a74d-c6fbd5a26116";
    public const string WriteCollection = "52892447-4d7e-4f70-b94d-d7f22742ff63";
    public const int MaxContentLength = 64 * 1024;
    private const string TaxiiType = "application/taxii+json;version=2.1";

    private WebApplication? _app;

    /// <summary>Five indicators, added a second apart, as the specification's example indicator with other values.</summary>
    public static IReadOnlyList<(JsonObject Object, string DateAdded)> Objects { get; } = Enumerable.Range(1, 5).Select(i => (new JsonObject
    {
        ["type"] = "indicator",
        ["spec_version"] = "2.1",
        ["id"] = $"indicator--c410e480-e42b-47d1-9476-85307c12bc{i:D2}",
        ["created"] = "2018-02-27T13:57:10.515Z",
        ["modified"] = $"2018-02-27T13:57:1{i}.515Z",
        ["name"] = "Malicious site hosting downloader",
        ["indicator_types"] = new JsonArray("malicious-activity"),
        ["pattern"] = $"[url:value = 'http://x4z9arb.cn/47{i}/']",
        ["pattern_type"] = "stix",
        ["valid_from"] = "2018-02-27T13:57:10.515Z",
        ["x_example_custom"] = i,
    }, $"2018-03-01T00:00:0{i}.000000Z")).ToList();

    public string BaseUrl { get; private set; } = string.Empty;

    public string ApiRoot => $"{BaseUrl}/api1/";

    public string Discovery => $"{BaseUrl}/taxii2/";

    public ConcurrentQueue<(string Method, string PathAndQuery, IHeaderDictionary Headers, byte[] Body)> Requests { get; } = new();

    /// <summary>How long the objects endpoint waits before answering (for timeout tests).</summary>
    public TimeSpan ObjectsDelay { get; set; }

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        _app = builder.Build();
        _app.Use(RecordAndCheckAsync);
        Map(_app);
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task RecordAndCheckAsync(HttpContext http, Func<Task> next)
    {
        http.Request.EnableBuffering();
        using var copy = new MemoryStream();
        await http.Request.Body.CopyToAsync(copy);
        http.Request.Body.Position = 0;
        // Kestrel reuses the header collection once the request ends: keep a copy.
        var headers = new HeaderDictionary(http.Request.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase));
        Requests.Enqueue((http.Request.Method, http.Request.Path + http.Request.QueryString, headers, copy.ToArray()));

        if (http.Request.Path.StartsWithSegments("/html"))
        {
            http.Response.ContentType = "text/html";
            await http.Response.WriteAsync("<html><body>Sign in</body></html>");
            return;
        }

        var authorization = http.Request.Headers.Authorization.ToString();
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
        if (authorization != basic && authorization != $"Bearer {Token}")
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"taxii\", Bearer";
            await ErrorAsync(http, 401, "Authentication required", "Present HTTP Basic or a Bearer token.");
            return;
        }

        if (!http.Request.Headers.Accept.ToString().Contains("application/taxii+json;version=2.1", StringComparison.Ordinal))
        {
            await ErrorAsync(http, 406, "Not acceptable", "This server speaks application/taxii+json;version=2.1 only.");
            return;
        }

        if (HttpMethods.IsPost(http.Request.Method))
        {
            if (http.Request.ContentType != TaxiiType)
            {
                await ErrorAsync(http, 415, "Unsupported media type", "POST application/taxii+json;version=2.1.");
                return;
            }

            if (copy.Length > MaxContentLength)
            {
                await ErrorAsync(http, 413, "Too large", $"The API root accepts at most {MaxContentLength} bytes.");
                return;
            }
        }

        await next();
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/taxii2/", (HttpContext http) => TaxiiAsync(http, new JsonObject
        {
            ["title"] = "Some TAXII Server",
            ["description"] = "This TAXII Server contains a listing of API roots",
            ["contact"] = "string containing contact information",
            ["default"] = ApiRoot,
            ["api_roots"] = new JsonArray(ApiRoot, $"{BaseUrl}/api2/", "https://example.net/trustgroup1/"),
        }));
        app.MapGet("/api1/", (HttpContext http) => TaxiiAsync(http, new JsonObject
        {
            ["title"] = "Malware Research Group",
            ["description"] = "A trust group setup for malware researchers",
            ["versions"] = new JsonArray(TaxiiType),
            ["max_content_length"] = MaxContentLength,
        }));
        app.MapGet("/api1/collections/", (HttpContext http) => TaxiiAsync(http, new JsonObject { ["collections"] = new JsonArray(Collection(ReadCollection), Collection(WriteCollection)) }));
        app.MapGet("/api1/collections/{id}/", (HttpContext http, string id) =>
            id is ReadCollection or WriteCollection ? TaxiiAsync(http, Collection(id)) : ErrorAsync(http, 404, "Collection not found", null));
        app.MapGet("/api1/collections/{id}/objects/", ObjectsAsync);
        app.MapGet("/api1/collections/{id}/manifest/", (HttpContext http, string id) => PageAsync(http, id, o => new JsonObject
        {
            ["id"] = o.Object["id"]!.GetValue<string>(),
            ["date_added"] = o.DateAdded,
            ["version"] = o.Object["modified"]!.GetValue<string>(),
            ["media_type"] = "application/stix+json;version=2.1",
        }));
        app.MapGet("/api1/collections/{id}/objects/{objectId}/", (HttpContext http, string id, string objectId) =>
            Objects.FirstOrDefault(o => o.Object["id"]!.GetValue<string>() == objectId) is { Object: not null } found
                ? TaxiiAsync(http, new JsonObject { ["objects"] = new JsonArray(found.Object.DeepClone()) }, found.DateAdded, found.DateAdded)
                : ErrorAsync(http, 404, "Object not found", $"{objectId} is not in this collection."));
        app.MapGet("/api1/collections/{id}/objects/{objectId}/versions/", (HttpContext http, string id, string objectId) =>
            Objects.FirstOrDefault(o => o.Object["id"]!.GetValue<string>() == objectId) is { Object: not null } found
                ? TaxiiAsync(http, new JsonObject { ["more"] = false, ["versions"] = new JsonArray(found.Object["modified"]!.GetValue<string>()) }, found.DateAdded, found.DateAdded)
                : ErrorAsync(http, 404, "Object not found", null));
        app.MapDelete("/api1/collections/{id}/objects/{objectId}/", (HttpContext http, string id, string objectId) =>
            id == WriteCollection ? Task.CompletedTask : ErrorAsync(http, 403, "Collection is read-only", "This collection cannot be written."));
        app.MapPost("/api1/collections/{id}/objects/", PostAsync);
        app.MapGet("/api1/status/{id}/", StatusAsync);
    }

    private static JsonObject Collection(string id) => new()
    {
        ["id"] = id,
        ["title"] = id == ReadCollection ? "High Value Indicator Collection" : "Indicators from the past 24-hours",
        ["description"] = "This data collection contains high value IOCs",
        ["can_read"] = true,
        ["can_write"] = id == WriteCollection,
        ["media_types"] = new JsonArray("application/stix+json;version=2.1"),
    };

    private async Task ObjectsAsync(HttpContext http, string id)
    {
        if (ObjectsDelay > TimeSpan.Zero)
        {
            await Task.Delay(ObjectsDelay, http.RequestAborted);
        }

        await PageAsync(http, id, o => o.Object.DeepClone());
    }

    /// <summary>
    /// Pages over the five objects: <c>limit</c> (default 2), <c>next</c> (an offset this server issued),
    /// <c>added_after</c>, and <c>match[type]</c>/<c>match[id]</c>. The writable collection gives no <c>next</c>
    /// token and is paged by <c>added_after</c> only, as some servers do.
    /// </summary>
    private Task PageAsync(HttpContext http, string id, Func<(JsonObject Object, string DateAdded), JsonNode> project)
    {
        if (id is not (ReadCollection or WriteCollection))
        {
            return ErrorAsync(http, 404, "Collection not found", null);
        }

        var query = http.Request.Query;
        var matching = Objects.AsEnumerable();
        if (query["added_after"].ToString() is { Length: > 0 } after)
        {
            if (!DateTimeOffset.TryParse(after, out var since))
            {
                return ErrorAsync(http, 400, "Bad added_after", $"'{after}' is not a timestamp.");
            }

            matching = matching.Where(o => DateTimeOffset.Parse(o.DateAdded) > since);
        }

        if (query["match[type]"].ToString() is { Length: > 0 } types)
        {
            matching = matching.Where(o => types.Split(',').Contains(o.Object["type"]!.GetValue<string>()));
        }

        if (query["match[id]"].ToString() is { Length: > 0 } ids)
        {
            matching = matching.Where(o => ids.Split(',').Contains(o.Object["id"]!.GetValue<string>()));
        }

        var offset = 0;
        if (query["next"].ToString() is { Length: > 0 } next && !int.TryParse(next, out offset))
        {
            return ErrorAsync(http, 400, "Bad next", "The next token is not one this server issued.");
        }

        var limit = int.TryParse(query["limit"], out var l) ? l : 2;
        var all = matching.ToList();
        var page = all.Skip(offset).Take(limit).ToList();
        var more = offset + page.Count < all.Count;
        var body = new JsonObject { ["more"] = more };
        if (more && id == ReadCollection)
        {
            body["next"] = (offset + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (page.Count > 0)
        {
            body["objects"] = new JsonArray(page.Select(project).ToArray());
        }

        return TaxiiAsync(http, body, page.FirstOrDefault().DateAdded, page.LastOrDefault().DateAdded);
    }

    private readonly ConcurrentDictionary<string, int> _statusAsked = new();

    private async Task PostAsync(HttpContext http, string id)
    {
        if (id != WriteCollection)
        {
            await ErrorAsync(http, 403, "Collection is read-only", "This collection cannot be written.");
            return;
        }

        JsonNode? envelope;
        try
        {
            envelope = await JsonNode.ParseAsync(http.Request.Body);
        }
        catch (JsonException ex)
        {
            await ErrorAsync(http, 400, "Not an envelope", ex.Message);
            return;
        }

        var objects = envelope?["objects"]?.AsArray() ?? [];
        var statusId = Guid.NewGuid().ToString();
        _statusAsked[statusId] = objects.Count;
        http.Response.StatusCode = 202;
        await TaxiiAsync(http, Status(statusId, objects.Count, pending: true), null, null, status: 202);
    }

    private Task StatusAsync(HttpContext http, string id)
    {
        if (!_statusAsked.TryGetValue(id, out var count))
        {
            return ErrorAsync(http, 404, "Status not found", null);
        }

        return TaxiiAsync(http, Status(id, count, pending: false));
    }

    private static JsonObject Status(string id, int count, bool pending) => new()
    {
        ["id"] = id,
        ["status"] = pending ? "pending" : "complete",
        ["request_timestamp"] = "2016-11-02T12:34:34.123456Z",
        ["total_count"] = count,
        ["success_count"] = pending ? 0 : count,
        ["failure_count"] = 0,
        ["pending_count"] = pending ? count : 0,
    };

    private static async Task TaxiiAsync(HttpContext http, JsonNode body, string? first = null, string? last = null, int status = 200)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = TaxiiType;
        if (first is not null)
        {
            http.Response.Headers["X-TAXII-Date-Added-First"] = first;
            http.Response.Headers["X-TAXII-Date-Added-Last"] = last;
        }

        await http.Response.WriteAsync(body.ToJsonString());
    }

    private static Task ErrorAsync(HttpContext http, int status, string title, string? description)
    {
        var error = new JsonObject { ["title"] = title, ["http_status"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (description is not null)
        {
            error["description"] = description;
        }

        return TaxiiAsync(http, error, status: status);
    }
}
