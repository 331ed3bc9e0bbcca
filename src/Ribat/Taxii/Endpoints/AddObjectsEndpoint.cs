using System.Buffers;
using Ribat.Core.Federation;
using Ribat.Core.Federation.Sync;
using Ribat.Stix.Taxii;
using Ribat.Taxii.ResponseHandling;
using Ribat.Taxii.Validation;

namespace Ribat.Taxii.Endpoints;

/// <summary>
/// <c>POST …/collections/{id}/objects/</c>: an envelope of objects, at most <see cref="TaxiiServer.MaxContentLength"/>
/// bytes in <c>application/taxii+json;version=2.1</c>. Answered 202 with the status resource; each object that breaks
/// a STIX MUST is a failure in it and stores nothing.
/// </summary>
internal sealed class AddObjectsEndpoint(CollectionAccess access, AddCollectionObjects add, PartnerExchange exchange)
{
    public async Task<IResult> HandleAsync(HttpContext http, string collectionId)
    {
        var (collection, refused) = await access.ResolveAsync(http, collectionId, CollectionNeed.Write);
        if (refused is not null)
        {
            return refused;
        }

        if (!TaxiiMediaTypeCheck.IsTaxiiBody(http.Request))
        {
            return TaxiiResults.Error(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", $"Send the envelope as {TaxiiMediaTypes.Taxii21}.");
        }

        var body = await ReadAsync(http);
        if (body is null)
        {
            return TaxiiResults.Error(StatusCodes.Status413PayloadTooLarge, "Too large", $"The body is larger than the API root's max_content_length ({TaxiiServer.MaxContentLength:N0} bytes).");
        }

        if (TaxiiPipeline.Principal(http).Partner is { } partner)
        {
            var received = await exchange.ReceiveAsync(partner, body, http.Request.Headers[Stix.Signing.PayloadSignature.HeaderName].ToString() is { Length: > 0 } header ? header : null, http.RequestAborted);
            return received.Error switch
            {
                null => TaxiiResults.Resource(received.Value!, StatusCodes.Status202Accepted),
                { Kind: Core.Common.ErrorKind.Validation } invalid => TaxiiResults.Error(StatusCodes.Status400BadRequest, "Not an envelope", invalid.Message),
                { } refusedPayload => TaxiiResults.Error(StatusCodes.Status403Forbidden, "Payload refused", refusedPayload.Message),
            };
        }

        if (!TaxiiJson.TryRead<TaxiiEnvelope>(body, out var envelope, out var error))
        {
            return TaxiiResults.Error(StatusCodes.Status400BadRequest, "Not an envelope", $"The body is not a TAXII envelope: {error}");
        }

        if (envelope!.Objects is not { Count: > 0 } objects)
        {
            return TaxiiResults.Error(StatusCodes.Status400BadRequest, "No objects", "The envelope holds no objects to add.");
        }

        var status = await add.HandleAsync(TaxiiPipeline.Principal(http).Actor, collection!, objects, http.RequestAborted);
        return status.Error is { } failed
            ? TaxiiResults.Error(StatusCodes.Status403Forbidden, "Not allowed to write", failed.Message)
            : TaxiiResults.Resource(status.Value!, StatusCodes.Status202Accepted);
    }

    /// <summary>The body, or null as soon as it passes the limit (a declared length past it is refused before reading).</summary>
    private static async Task<byte[]?> ReadAsync(HttpContext http)
    {
        if (http.Request.ContentLength > TaxiiServer.MaxContentLength)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(http.Request.ContentLength ?? 64 * 1024, TaxiiServer.MaxContentLength));
        while (true)
        {
            var read = await http.Request.Body.ReadAsync(buffer.GetMemory(64 * 1024), http.RequestAborted);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > TaxiiServer.MaxContentLength)
            {
                return null;
            }
        }
    }
}
