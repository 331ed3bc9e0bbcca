using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Ribat.Core.Federation;
using Ribat.Stix.Model;
using Ribat.Stix.Taxii;

namespace Ribat.Taxii.ResponseHandling;

/// <summary>
/// Every TAXII answer: the resource in <c>application/taxii+json;version=2.1</c>, errors as TAXII's error message with
/// <c>http_status</c> equal to the response's status, and the date-added headers of the paged endpoints.
/// </summary>
internal static class TaxiiResults
{
    public const string DateAddedFirst = "X-TAXII-Date-Added-First";
    public const string DateAddedLast = "X-TAXII-Date-Added-Last";

    private static readonly JsonWriterOptions Writer = new() { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IResult Resource<T>(T resource, int status = StatusCodes.Status200OK) =>
        new Bytes(TaxiiJson.Write(resource), status, null);

    public static IResult Error(int status, string title, string? description = null, IReadOnlyDictionary<string, string>? details = null) =>
        new Bytes(TaxiiJson.Write(new TaxiiError(title, description, ErrorId: Guid.CreateVersion7().ToString("D"), HttpStatus: status.ToString(System.Globalization.CultureInfo.InvariantCulture), Details: details)), status, null);

    public static IResult Unauthorized(string description) => new Challenge(Error(StatusCodes.Status401Unauthorized, "Authentication required", description));

    /// <summary>
    /// An envelope written straight from the stored JSON: the objects are never parsed again on the way out. An empty
    /// page has no <c>objects</c> (TAXII forbids empty lists) and no date-added headers (there is no first or last).
    /// </summary>
    /// <remarks>
    /// With <paramref name="sign"/>, the body is built first and its signature goes in the <c>Ribat-Signature</c>
    /// header; without, it is written to the response as it is made, with no copy of the page in memory.
    /// </remarks>
    public static IResult Envelope(StoredPage page, string? next, Func<ReadOnlyMemory<byte>, string>? sign = null)
    {
        if (sign is null)
        {
            return new StreamedEnvelope(page, next, DateHeaders(page));
        }

        var buffer = new ArrayBufferWriter<byte>(page.Items.Sum(i => i.Json.Length) + 128);
        WriteEnvelope(buffer, page, next);
        return Signed(buffer.WrittenSpan.ToArray(), page, sign);
    }

    private static void WriteEnvelope(IBufferWriter<byte> output, StoredPage page, string? next)
    {
        using var writer = new Utf8JsonWriter(output, Writer);
        writer.WriteStartObject();
        writer.WriteBoolean("more", page.More);
        if (page.More && next is not null)
        {
            writer.WriteString("next", next);
        }

        if (page.Items.Count > 0)
        {
            writer.WriteStartArray("objects");
            foreach (var item in page.Items)
            {
                writer.WriteRawValue(item.Json, skipInputValidation: true);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    /// <summary>A manifest or a version list, with the date-added headers of its page; signed like an envelope.</summary>
    public static IResult Paged<T>(T resource, StoredPage page, Func<ReadOnlyMemory<byte>, string>? sign = null) => Signed(TaxiiJson.Write(resource), page, sign);

    private static Bytes Signed(byte[] body, StoredPage page, Func<ReadOnlyMemory<byte>, string>? sign)
    {
        var headers = DateHeaders(page);
        if (sign is not null)
        {
            headers = [.. headers ?? [], (Stix.Signing.PayloadSignature.HeaderName, sign(body))];
        }

        return new Bytes(body, StatusCodes.Status200OK, headers);
    }

    /// <summary>A date added as TAXII spells it: microseconds.</summary>
    public static StixTimestamp Timestamp(DateTimeOffset instant) => StixTimestamp.FromDateTime(instant.UtcDateTime, 6);

    private static (string, string)[]? DateHeaders(StoredPage page) =>
        page.Items.Count == 0 ? null :
        [(DateAddedFirst, Timestamp(page.Items[0].DateAdded).ToString()), (DateAddedLast, Timestamp(page.Items[^1].DateAdded).ToString())];

    private sealed class Bytes(byte[] body, int status, (string Name, string Value)[]? headers) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = TaxiiMediaTypes.Taxii21;
            response.ContentLength = body.Length;
            foreach (var (name, value) in headers ?? [])
            {
                response.Headers[name] = value;
            }

            await response.Body.WriteAsync(body, httpContext.RequestAborted);
        }
    }

    /// <summary>An envelope written into the response's own buffers as it is built.</summary>
    private sealed class StreamedEnvelope(StoredPage page, string? next, (string Name, string Value)[]? headers) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = TaxiiMediaTypes.Taxii21;
            foreach (var (name, value) in headers ?? [])
            {
                response.Headers[name] = value;
            }

            WriteEnvelope(response.BodyWriter, page, next);
            await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
        }
    }

    private sealed class Challenge(IResult error) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.WWWAuthenticate = new Microsoft.Extensions.Primitives.StringValues(["Basic realm=\"Ribat TAXII\", charset=\"UTF-8\"", "Bearer realm=\"Ribat TAXII\""]);
            return error.ExecuteAsync(httpContext);
        }
    }
}
