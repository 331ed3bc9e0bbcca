using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Ribat.Api;

/// <summary>An endpoint's largest accepted request body. Kestrel enforces it while reading (through routing).</summary>
internal sealed record BodyLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;

/// <summary>
/// Request bodies beyond what model binding does: per-endpoint size limits answered before a byte is read,
/// and the endpoints that read their body themselves (plain text, uploaded files). Every failure is raised as
/// the <see cref="BadHttpRequestException"/> the binder would raise, so <see cref="BadRequestExceptionHandler"/>
/// answers it in the one problem format.
/// </summary>
internal static class RequestBodies
{
    /// <summary>Single objects: a sighting, a change, a sharing group.</summary>
    public const long Small = 256 * 1024;

    /// <summary>A report: its description alone may be 100,000 characters.</summary>
    public const long Report = 1024 * 1024;

    /// <summary>A batch of indicators or a text to extract from; larger imports are split.</summary>
    public const long Large = 16 * 1024 * 1024;

    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long bytes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BodyLimit(bytes));

    /// <summary>
    /// A body whose declared length exceeds its endpoint's limit is refused at once with 413, before anything
    /// reads it. A body of undeclared length is cut off at the limit by the server (Kestrel, through routing)
    /// or, on a server without that feature, by counting here.
    /// </summary>
    public static IApplicationBuilder UseBodyLimits(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize is { } limit)
            {
                if (context.Request.ContentLength > limit)
                {
                    throw TooLarge(limit);
                }

                if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is not { IsReadOnly: false })
                {
                    context.Request.Body = new LimitedBody(context.Request.Body, limit);
                }

                await next(context);

                // The parameter binder answers a body cut off mid-read with a bare 413; say which limit it met.
                if (context.Response.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
                {
                    throw TooLarge(limit);
                }

                return;
            }

            await next(context);
        });

    /// <summary>The whole body, refused with 413 as soon as it passes <paramref name="limit"/> bytes.</summary>
    public static async Task<byte[]> ReadBytesAsync(HttpContext http, long limit, CancellationToken cancellationToken)
    {
        if (http.Request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        using var body = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(81_920);
        try
        {
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (body.Length + read > limit)
                {
                    throw TooLarge(limit);
                }

                body.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return body.ToArray();
    }

    /// <summary>A JSON body read by hand, with the binder's options and its failure.</summary>
    public static T ReadJson<T>(HttpContext http, byte[] body)
    {
        var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            return JsonSerializer.Deserialize<T>(body, options) ?? throw new JsonException("The body is the JSON literal null.");
        }
        catch (JsonException json)
        {
            throw new BadHttpRequestException("The request body is not the JSON this endpoint reads.", StatusCodes.Status400BadRequest, json);
        }
    }

    /// <summary>Plain text must be UTF-8: a wrong charset would silently change the values read from it.</summary>
    public static string ReadUtf8(byte[] body)
    {
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            throw new BadHttpRequestException("The text is not valid UTF-8.", StatusCodes.Status400BadRequest);
        }
    }

    public static bool IsJson(HttpRequest request) =>
        request.ContentType is { } type && (type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || type.Split(';')[0].Trim().EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    public static bool IsPlainText(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase);

    public static BadHttpRequestException TooLarge(long limit) =>
        new($"The request body is larger than this endpoint accepts ({Describe(limit)}).", StatusCodes.Status413PayloadTooLarge);

    public static BadHttpRequestException UnsupportedMediaType(string accepted) =>
        new($"Send the body as {accepted}.", StatusCodes.Status415UnsupportedMediaType);

    private static string Describe(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / (1024 * 1024)} MiB" : $"{bytes / 1024} KiB";
}

/// <summary>A request body that fails with 413 once more than its limit has been read.</summary>
internal sealed class LimitedBody(Stream inner, long limit) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int read)
    {
        _read += read;
        return _read > limit ? throw RequestBodies.TooLarge(limit) : read;
    }
}
