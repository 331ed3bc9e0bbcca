using Microsoft.Extensions.DependencyInjection.Extensions;
using Ribat.Taxii.Endpoints;
using Ribat.Taxii.Validation;

namespace Ribat.Taxii;

/// <summary>
/// The TAXII 2.1 server at <c>/taxii2/</c>: one class per endpoint (<c>Endpoints/</c>), the checks of requests
/// (<c>Validation/</c>) and the shape of answers (<c>ResponseHandling/</c>) apart. It reads and writes the STIX object
/// store through the Federation module's use cases, so the sharing policy decides what every caller sees.
/// </summary>
internal static class TaxiiServer
{
    public const string Prefix = "/taxii2";
    public const string ApiRootName = "ribat";

    /// <summary>The largest request body the API root accepts (its <c>max_content_length</c>).</summary>
    public const long MaxContentLength = 16L * 1024 * 1024;

    public static IServiceCollection AddTaxiiServer(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITaxiiPrincipalSource, ApiTokenPrincipalSource>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITaxiiPrincipalSource, PartnerPrincipalSource>());
        services.TryAddSingleton<TaxiiPipeline>();
        services.TryAddSingleton<TaxiiFilters>();
        services.TryAddSingleton<CollectionAccess>();
        services.TryAddSingleton<CollectionReader>();
        services.TryAddSingleton<DiscoveryEndpoint>();
        services.TryAddSingleton<ApiRootEndpoint>();
        services.TryAddSingleton<StatusEndpoint>();
        services.TryAddSingleton<CollectionsEndpoint>();
        services.TryAddSingleton<CollectionEndpoint>();
        services.TryAddSingleton<GetObjectsEndpoint>();
        services.TryAddSingleton<AddObjectsEndpoint>();
        services.TryAddSingleton<ManifestEndpoint>();
        services.TryAddSingleton<GetObjectEndpoint>();
        services.TryAddSingleton<DeleteObjectEndpoint>();
        services.TryAddSingleton<VersionsEndpoint>();
        return services;
    }

    public static IEndpointRouteBuilder MapTaxiiServer(this IEndpointRouteBuilder app)
    {
        // Anonymous to ASP.NET's authorization: the pipeline authenticates itself, so that a refusal is TAXII's error.
        var taxii = app.MapGroup(Prefix).AllowAnonymous().AddEndpointFilter<TaxiiPipeline>().ExcludeFromDescription();
        taxii.MapGet("/", (HttpContext http, DiscoveryEndpoint e) => e.Handle(http));
        taxii.MapGet("/{apiRoot}/", (ApiRootEndpoint e) => e.Handle());
        taxii.MapGet("/{apiRoot}/status/{statusId}/", (HttpContext http, string statusId, StatusEndpoint e) => e.HandleAsync(http, statusId));
        taxii.MapGet("/{apiRoot}/collections/", (HttpContext http, CollectionsEndpoint e) => e.HandleAsync(http));
        taxii.MapGet("/{apiRoot}/collections/{collectionId}/", (HttpContext http, string collectionId, CollectionEndpoint e) => e.HandleAsync(http, collectionId));
        taxii.MapGet("/{apiRoot}/collections/{collectionId}/manifest/", (HttpContext http, string collectionId, ManifestEndpoint e) => e.HandleAsync(http, collectionId));
        taxii.MapGet("/{apiRoot}/collections/{collectionId}/objects/", (HttpContext http, string collectionId, GetObjectsEndpoint e) => e.HandleAsync(http, collectionId));
        taxii.MapPost("/{apiRoot}/collections/{collectionId}/objects/", (HttpContext http, string collectionId, AddObjectsEndpoint e) => e.HandleAsync(http, collectionId));
        taxii.MapGet("/{apiRoot}/collections/{collectionId}/objects/{objectId}/", (HttpContext http, string collectionId, string objectId, GetObjectEndpoint e) => e.HandleAsync(http, collectionId, objectId));
        taxii.MapDelete("/{apiRoot}/collections/{collectionId}/objects/{objectId}/", (HttpContext http, string collectionId, string objectId, DeleteObjectEndpoint e) => e.HandleAsync(http, collectionId, objectId));
        taxii.MapGet("/{apiRoot}/collections/{collectionId}/objects/{objectId}/versions/", (HttpContext http, string collectionId, string objectId, VersionsEndpoint e) => e.HandleAsync(http, collectionId, objectId));
        return app;
    }
}
