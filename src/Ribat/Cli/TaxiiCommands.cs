using System.CommandLine;
using System.Text.Json;
using Ribat.Stix.Model;
using Ribat.Stix.Serialization;
using Ribat.Stix.Taxii;
using Ribat.Stix.Taxii.Client;
using Ribat.Stix.Validation;

namespace Ribat.Cli;

/// <summary>
/// <c>ribat taxii pull | push</c>: a TAXII 2.1 client at the shell, for any server (a partner node, another product).
/// A bad URL, refused credentials, an unknown collection or an answer that is not TAXII is one line and exit 2;
/// a push the server refuses, or completes with failed objects, exits 1.
/// </summary>
internal static class TaxiiCommands
{
    private const int MaxPushBytes = 256 * 1024 * 1024;

    public static Command Create()
    {
        var taxii = new Command("taxii", "Pull STIX objects from, or push them to, a TAXII 2.1 collection.");
        taxii.Subcommands.Add(Pull());
        taxii.Subcommands.Add(Push());
        return taxii;
    }

    private static Argument<string> ApiRoot() => new("URL") { Description = "The TAXII 2.1 API root, e.g. https://taxii.partner.example/api1/." };

    private static Option<string> Collection() => new("--collection") { Description = "The collection's id.", Required = true, HelpName = "ID" };

    private static Option<string?> User() => new("--user") { Description = "User name for HTTP Basic; without it --token is sent as a Bearer token." };

    private static Option<string?> Token() => new("--token") { Description = "Password (with --user) or Bearer token; or RIBAT_TAXII_TOKEN." };

    private static Option<int> Timeout() => new("--timeout") { Description = "Seconds to wait for each answer.", DefaultValueFactory = _ => 60, HelpName = "SECONDS" };

    private static Command Pull()
    {
        var url = ApiRoot();
        var collection = Collection();
        var user = User();
        var token = Token();
        var timeout = Timeout();
        var addedAfter = new Option<string?>("--added-after") { Description = "Only objects the server added after this time (RFC 3339, e.g. 2026-01-31T00:00:00Z).", HelpName = "T" };
        var type = new Option<string[]>("--type") { Description = "Only objects of this STIX type (repeat for several).", AllowMultipleArgumentsPerToken = true };
        var limit = new Option<int?>("--limit") { Description = "Objects per page asked of the server (it may send fewer)." };
        var output = new Option<FileInfo?>("--out") { Description = "Write the bundle to this file instead of standard output.", HelpName = "FILE" };
        var command = new Command("pull", "Fetch every object of a collection, page by page, and write them as one STIX 2.1 bundle.")
        {
            url, collection, addedAfter, type, limit, user, token, timeout, output,
        };
        command.SetAction(async (parsed, ct) =>
        {
            StixTimestamp? after = null;
            if (parsed.GetValue(addedAfter) is { } text)
            {
                if (!StixTimestamp.TryParse(text, out var parsedTime, out var problem))
                {
                    return CliOutput.Fail($"--added-after '{text}' is not an RFC 3339 UTC timestamp: {problem}");
                }

                after = parsedTime;
            }

            if (parsed.GetValue(limit) is < 1)
            {
                return CliOutput.Fail("--limit must be at least 1.");
            }

            using var http = new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            var client = new TaxiiClient(http, Options(parsed.GetValue(user), parsed.GetValue(token), parsed.GetValue(timeout)));
            var query = new ObjectsQuery { AddedAfter = after, Limit = parsed.GetValue(limit), Types = parsed.GetValue(type) is { Length: > 0 } types ? types : null };
            var objects = new List<JsonElement>();
            var pages = 0;
            StixTimestamp? last = null;
            await foreach (var page in client.PullAsync(parsed.GetValue(url)!, parsed.GetValue(collection)!, query, ct))
            {
                if (page.Failure is { } failure)
                {
                    return CliOutput.Fail(failure.Message);
                }

                pages++;
                objects.AddRange(page.Value!.Resource.Objects ?? []);
                last = page.Value.DateAddedLast ?? last;
            }

            var target = parsed.GetValue(output);
            try
            {
                await using (var stream = target is null ? Console.OpenStandardOutput() : new FileStream(target.FullName, FileMode.Create, FileAccess.Write))
                {
                    WriteBundle(stream, objects);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return CliOutput.Fail($"cannot write {target?.FullName ?? "standard output"}: {ex.Message}");
            }

            // The summary goes where it does not mix with the bundle.
            var summary = $"Pulled {objects.Count} object(s) in {pages} page(s){(last is { } l ? $"; last added {l}" : string.Empty)}.";
            (target is null ? Console.Error : Console.Out).WriteLine(summary);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Push()
    {
        var url = ApiRoot();
        var collection = Collection();
        var user = User();
        var token = Token();
        var timeout = Timeout();
        var file = new Argument<FileInfo>("FILE") { Description = "A STIX 2.1 bundle or a TAXII envelope ({\"objects\": [...]})." };
        var wait = new Option<int>("--wait") { Description = "Seconds to wait for a pending status to complete.", DefaultValueFactory = _ => 60, HelpName = "SECONDS" };
        var command = new Command("push",
            "Post the objects of a file to a collection (in as many envelopes as the API root's max_content_length needs), wait for each status and print it. " +
            "Exit 1 when the server refuses the objects or fails any of them.")
        {
            url, collection, file, user, token, timeout, wait,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var objects = ReadObjects(parsed.GetValue(file)!, out var problem);
            if (objects is null)
            {
                return CliOutput.Fail(problem!);
            }

            using var http = new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            var client = new TaxiiClient(http, Options(parsed.GetValue(user), parsed.GetValue(token), parsed.GetValue(timeout)));
            var apiRoot = parsed.GetValue(url)!;
            var root = await client.GetApiRootAsync(apiRoot, ct);
            if (root.Failure is { } unreachable)
            {
                return CliOutput.Fail(unreachable.Message);
            }

            var envelopes = Split(objects, root.Value!.MaxContentLength, out var oversized);
            if (oversized is not null)
            {
                return CliOutput.Fail($"{oversized} alone is larger than the API root's max_content_length ({root.Value.MaxContentLength} bytes).", ExitCodes.Refused);
            }

            var failed = 0;
            foreach (var envelope in envelopes)
            {
                var posted = await client.PostObjectsAsync(apiRoot, parsed.GetValue(collection)!, envelope, ct);
                if (posted.Failure is { } refused)
                {
                    return CliOutput.Fail(refused.Message, refused.Kind is TaxiiFailureKind.Forbidden or TaxiiFailureKind.TooLarge or TaxiiFailureKind.Rejected ? ExitCodes.Refused : ExitCodes.Usage);
                }

                var status = await client.WaitForStatusAsync(apiRoot, posted.Value!, TimeSpan.FromSeconds(Math.Max(0, parsed.GetValue(wait))), cancellationToken: ct);
                if (status.Failure is { } lost)
                {
                    return CliOutput.Fail(lost.Message);
                }

                failed += Print(status.Value!);
            }

            return failed == 0 ? ExitCodes.Ok : ExitCodes.Refused;
        });
        return command;
    }

    private static TaxiiClientOptions Options(string? user, string? token, int timeoutSeconds) => new()
    {
        UserName = user,
        Secret = token ?? Environment.GetEnvironmentVariable("RIBAT_TAXII_TOKEN"),
        Timeout = TimeSpan.FromSeconds(Math.Clamp(timeoutSeconds, 1, 3600)),
    };

    /// <summary>The objects of a bundle or envelope file, checked as STIX 2.1 (errors refuse the file), or why not.</summary>
    private static List<JsonElement>? ReadObjects(FileInfo file, out string? problem)
    {
        problem = null;
        byte[] bytes;
        try
        {
            if (file.Exists && file.Length > MaxPushBytes)
            {
                problem = $"{file.Name} is larger than {MaxPushBytes / (1024 * 1024)} MiB; split it.";
                return null;
            }

            bytes = File.ReadAllBytes(file.FullName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot read {file.Name}: {ex.Message}";
            return null;
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            problem = $"{file.Name} is not JSON: {ex.Message}";
            return null;
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("objects", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            problem = $"{file.Name} is neither a STIX bundle nor a TAXII envelope: it has no \"objects\" array.";
            return null;
        }

        var objects = list.EnumerateArray().ToList();
        if (objects.Count == 0)
        {
            problem = $"{file.Name} holds no objects.";
            return null;
        }

        // Check the objects as the STIX bundle they would make: a partner should never receive what we know is invalid.
        using var asBundle = new MemoryStream();
        WriteBundle(asBundle, objects);
        var read = StixSerializer.ReadBundle(asBundle.ToArray(), validator: new StixValidator());
        if (read.Errors.FirstOrDefault() is { } error)
        {
            problem = $"{file.Name} is not valid STIX 2.1 ({read.Errors.Count()} error(s)); first: {error}";
            return null;
        }

        return objects;
    }

    /// <summary>Envelopes of whole objects, each within <paramref name="maxBytes"/>; the id of an object too large alone, if any.</summary>
    private static List<byte[]> Split(List<JsonElement> objects, long maxBytes, out string? oversized)
    {
        oversized = null;
        var envelopes = new List<byte[]>();
        var current = new List<JsonElement>();
        long size = 16;
        foreach (var item in objects)
        {
            var length = item.GetRawText().Length + 1L;
            if (length + 16 > maxBytes)
            {
                oversized = item.TryGetProperty("id", out var id) ? id.GetString() : "an object";
                return [];
            }

            if (current.Count > 0 && size + length > maxBytes)
            {
                envelopes.Add(TaxiiJson.Write(new TaxiiEnvelope(Objects: current)));
                current = [];
                size = 16;
            }

            current.Add(item);
            size += length;
        }

        envelopes.Add(TaxiiJson.Write(new TaxiiEnvelope(Objects: current)));
        return envelopes;
    }

    private static void WriteBundle(Stream stream, IReadOnlyList<JsonElement> objects)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        writer.WriteStartObject();
        writer.WriteString("type", "bundle");
        writer.WriteString("id", $"bundle--{Guid.NewGuid()}");
        writer.WriteStartArray("objects");
        foreach (var item in objects)
        {
            item.WriteTo(writer);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Prints a status and its failures; returns how many objects failed (pending ones may still succeed).</summary>
    private static int Print(TaxiiStatus status)
    {
        Console.Out.WriteLine($"Status {status.Id}: {status.Status} — {status.SuccessCount} succeeded, {status.FailureCount} failed, {status.PendingCount} pending of {status.TotalCount}.");
        foreach (var failure in status.Failures ?? [])
        {
            Console.Out.WriteLine($"  failed: {failure.Id} {failure.Version}{(failure.Message is { } m ? $": {m}" : string.Empty)}");
        }

        return status.FailureCount;
    }
}
