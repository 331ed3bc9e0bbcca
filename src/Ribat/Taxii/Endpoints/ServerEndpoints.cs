using Ribat.Core.Federation;
using Ribat.Core.Federation.Sync;
using Ribat.Stix.Taxii;
using Ribat.Taxii.ResponseHandling;

namespace Ribat.Taxii.Endpoints;

/// <summary><c>GET /taxii2/</c>: the server and its one API root.</summary>
internal sealed class DiscoveryEndpoint
{
    public IResult Handle(HttpContext http)
    {
        var root = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{TaxiiServer.Prefix}/{TaxiiServer.ApiRootName}/";
        return TaxiiResults.Resource(new TaxiiDiscovery(
            "Ribat TAXII 2.1",
            "STIX 2.1 intelligence of this Ribat node, in collections that follow its sharing model.",
            Default: root,
            ApiRoots: [root]));
    }
}

/// <summary><c>GET /taxii2/{api-root}/</c>: the versions spoken and the largest body accepted.</summary>
internal sealed class ApiRootEndpoint
{
    public IResult Handle() => TaxiiResults.Resource(new TaxiiApiRoot(
        "Ribat intelligence",
        [TaxiiMediaTypes.Taxii21],
        TaxiiServer.MaxContentLength,
        "Collections per organisation, for the node community and per sharing group."));
}

/// <summary><c>GET /taxii2/{api-root}/status/{status-id}/</c>: the outcome of one of the caller's organisation's posts.</summary>
internal sealed class StatusEndpoint(AddCollectionObjects add)
{
    public async Task<IResult> HandleAsync(HttpContext http, string statusId)
    {
        var status = Guid.TryParse(statusId, out var id) ? await add.StatusAsync(TaxiiPipeline.Principal(http).Actor, id, http.RequestAborted) : null;
        return status is null
            ? TaxiiResults.Error(StatusCodes.Status404NotFound, "Status not found", "No status with this id belongs to the caller's organisation.")
            : TaxiiResults.Resource(status);
    }
}

/// <summary><c>GET /taxii2/{api-root}/collections/</c>: the collections the caller has, with what it may do in each.</summary>
internal sealed class CollectionsEndpoint(StixCollections collections)
{
    public async Task<IResult> HandleAsync(HttpContext http)
    {
        var principal = TaxiiPipeline.Principal(http);
        var list = principal.Partner is { } partner
            ? [PartnerExchange.CollectionFor(partner)]
            : await collections.ListAsync(principal.Actor, http.RequestAborted);
        return TaxiiResults.Resource(new TaxiiCollections(list.Count == 0 ? null : list.Select(CollectionEndpoint.Describe).ToList()));
    }
}

/// <summary><c>GET /taxii2/{api-root}/collections/{id}/</c>.</summary>
internal sealed class CollectionEndpoint(CollectionAccess access)
{
    public static TaxiiCollection Describe(StixCollection c) =>
        new(c.Id.ToString("D"), c.Title, c.CanRead, c.CanWrite, c.Description, MediaTypes: [TaxiiMediaTypes.Stix21]);

    public async Task<IResult> HandleAsync(HttpContext http, string collectionId)
    {
        var (collection, refused) = await access.ResolveAsync(http, collectionId, CollectionNeed.Exist);
        return refused ?? TaxiiResults.Resource(Describe(collection!));
    }
}
