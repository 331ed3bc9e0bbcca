using Ribat.Core.Federation;
using Ribat.Core.Federation.Sync;
using Ribat.Core.Sharing.Storage;
using Ribat.Stix.Identifiers;
using Ribat.Stix.Model;
using Ribat.Stix.Taxii;
using Ribat.Taxii.ResponseHandling;
using Ribat.Taxii.Validation;

namespace Ribat.Taxii.Endpoints;

/// <summary>
/// Shared by the read endpoints: parse the filters for a scope, read a page, seal the next token. Whatever a partner
/// node reads — objects, manifest, versions, one object — carries this node's signature (ADR 0012), so it can prove
/// where each answer came from.
/// </summary>
internal sealed class CollectionReader(CollectionAccess access, SharingAccess sharing, CollectionObjects objects, PartnerExchange exchange, TaxiiFilters filters, INodeSignature signature)
{
    /// <summary>Signs the body of an answer to a partner node; null for anyone else, or before the node key exists.</summary>
    public Func<ReadOnlyMemory<byte>, string>? SignerFor(HttpContext http) =>
        TaxiiPipeline.Principal(http).Partner is not null && signature.IsReady ? signature.Sign : null;

    public async Task<(StixCollection? Collection, StixObjectQuery? Query, StoredPage? Page, string? Next, IResult? Refused)> ReadAsync(
        HttpContext http, string collectionId, string? objectId, TaxiiParameters allowed, bool withJson, string audited, Func<StixObjectQuery, StixObjectQuery>? adjust = null)
    {
        // One content session for the whole request: the viewer's facts are read once, for the collection and the page.
        var principal = TaxiiPipeline.Principal(http);
        await using var session = principal.Partner is null ? await sharing.OpenAsync(principal.Actor, http.RequestAborted) : null;
        var (collection, refused) = await access.ResolveAsync(http, session, collectionId, CollectionNeed.Read);
        if (refused is not null)
        {
            return (null, null, null, null, refused);
        }

        if (objectId is not null && !StixIdentifier.TrySplit(objectId, out _, out _))
        {
            return (null, null, null, null, TaxiiResults.Error(StatusCodes.Status404NotFound, "Object not found", "The object id is not a STIX identifier (type--uuid)."));
        }

        var actor = principal.Actor;
        var scope = $"{audited}|{collection!.Id:N}|{objectId}|{principal.Partner?.Id ?? actor.UserId:N}";
        var (query, problem) = filters.Read(http.Request.Query, allowed, scope);
        if (problem is not null)
        {
            return (null, null, null, null, TaxiiResults.Error(StatusCodes.Status400BadRequest, "Bad filter", $"{problem.Parameter} {problem.Reason}.", new Dictionary<string, string> { ["parameter"] = problem.Parameter }));
        }

        if (objectId is not null)
        {
            query = query! with { Ids = [objectId] };
        }

        query = adjust is null ? query! : adjust(query!);
        var page = principal.Partner is { } partner
            ? await exchange.PageAsync(partner, query, withJson, audited, http.RequestAborted)
            : await objects.PageAsync(session!, actor, collection, query, withJson, audited, http.RequestAborted);
        var next = page.More ? filters.Seal(http.Request.Query, scope, page.Items[^1].DateAdded) : null;
        return (collection, query, page, next, null);
    }
}

/// <summary><c>GET …/collections/{id}/objects/</c>: an envelope of the matching object versions, oldest added first.</summary>
internal sealed class GetObjectsEndpoint(CollectionReader reader)
{
    public async Task<IResult> HandleAsync(HttpContext http, string collectionId)
    {
        var read = await reader.ReadAsync(http, collectionId, null, TaxiiParameters.Objects, withJson: true, "objects");
        return read.Refused ?? TaxiiResults.Envelope(read.Page!, read.Next, reader.SignerFor(http));
    }
}

/// <summary><c>GET …/collections/{id}/manifest/</c>: id, date added, version and media type of the matching versions.</summary>
internal sealed class ManifestEndpoint(CollectionReader reader)
{
    public async Task<IResult> HandleAsync(HttpContext http, string collectionId)
    {
        var read = await reader.ReadAsync(http, collectionId, null, TaxiiParameters.Objects, withJson: false, "manifest");
        if (read.Refused is not null)
        {
            return read.Refused;
        }

        var records = read.Page!.Items.Select(i => new TaxiiManifestRecord(i.StixId, TaxiiResults.Timestamp(i.DateAdded), i.Version, TaxiiMediaTypes.Stix21)).ToList();
        return TaxiiResults.Paged(new TaxiiManifest(read.Page.More, records.Count == 0 ? null : records), read.Page, reader.SignerFor(http));
    }
}

/// <summary><c>GET …/collections/{id}/objects/{object-id}/</c>: the object's matching versions; 404 when it has none here.</summary>
internal sealed class GetObjectEndpoint(CollectionReader reader)
{
    public async Task<IResult> HandleAsync(HttpContext http, string collectionId, string objectId)
    {
        var read = await reader.ReadAsync(http, collectionId, objectId, TaxiiParameters.Object, withJson: true, "object");
        if (read.Refused is not null)
        {
            return read.Refused;
        }

        return read.Page!.Items.Count == 0 && read.Query!.After is null
            ? TaxiiResults.Error(StatusCodes.Status404NotFound, "Object not found", "The collection holds no version of this object that matches.")
            : TaxiiResults.Envelope(read.Page, read.Next, reader.SignerFor(http));
    }
}

/// <summary><c>GET …/collections/{id}/objects/{object-id}/versions/</c>: every version's timestamp, oldest added first.</summary>
internal sealed class VersionsEndpoint(CollectionReader reader)
{
    public async Task<IResult> HandleAsync(HttpContext http, string collectionId, string objectId)
    {
        var read = await reader.ReadAsync(http, collectionId, objectId, TaxiiParameters.Versions, withJson: false, "versions", q => q with { Versions = VersionMatch.Every });
        if (read.Refused is not null)
        {
            return read.Refused;
        }

        if (read.Page!.Items.Count == 0 && read.Query!.After is null)
        {
            return TaxiiResults.Error(StatusCodes.Status404NotFound, "Object not found", "The collection holds no version of this object.");
        }

        var versions = read.Page.Items
            .Select(i => StixTimestamp.TryParse(i.Version, out var at, out _) ? at : TaxiiResults.Timestamp(i.DateAdded))
            .ToList();
        return TaxiiResults.Paged(new TaxiiVersions(read.Page.More, versions.Count == 0 ? null : versions), read.Page, reader.SignerFor(http));
    }
}

/// <summary><c>DELETE …/collections/{id}/objects/{object-id}/</c>: removes the matching versions the caller's organisation owns.</summary>
internal sealed class DeleteObjectEndpoint(CollectionAccess access, CollectionObjects objects, TaxiiFilters filters)
{
    public async Task<IResult> HandleAsync(HttpContext http, string collectionId, string objectId)
    {
        var (collection, refused) = await access.ResolveAsync(http, collectionId, CollectionNeed.Write);
        if (refused is not null)
        {
            return refused;
        }

        if (TaxiiPipeline.Principal(http).Partner is not null)
        {
            return TaxiiResults.Error(StatusCodes.Status403Forbidden, "Not allowed to delete", "A partner node adds newer versions; it does not delete objects here.");
        }

        if (!StixIdentifier.TrySplit(objectId, out _, out _))
        {
            return TaxiiResults.Error(StatusCodes.Status404NotFound, "Object not found", "The object id is not a STIX identifier (type--uuid).");
        }

        var (query, problem) = filters.Read(http.Request.Query, TaxiiParameters.Delete, "delete");
        if (problem is not null)
        {
            return TaxiiResults.Error(StatusCodes.Status400BadRequest, "Bad filter", $"{problem.Parameter} {problem.Reason}.", new Dictionary<string, string> { ["parameter"] = problem.Parameter });
        }

        // Without match[version] a delete removes the object, that is every version of it.
        var versions = http.Request.Query.ContainsKey("match[version]") ? query!.Versions : VersionMatch.Every;
        var deleted = await objects.DeleteAsync(TaxiiPipeline.Principal(http).Actor, collection!, objectId, versions, query!.SpecVersions, http.RequestAborted);
        return deleted.Error switch
        {
            null => new Deleted(),
            { Kind: Core.Common.ErrorKind.NotFound } => TaxiiResults.Error(StatusCodes.Status404NotFound, "Object not found", "The collection holds no version of this object that matches."),
            { } error => TaxiiResults.Error(StatusCodes.Status403Forbidden, "Not allowed to delete", error.Message),
        };
    }

    /// <summary>200 with no body, as the specification answers a delete.</summary>
    private sealed class Deleted : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status200OK;
            httpContext.Response.ContentLength = 0;
            return Task.CompletedTask;
        }
    }
}
