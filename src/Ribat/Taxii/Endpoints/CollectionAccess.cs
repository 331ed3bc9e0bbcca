using Ribat.Core.Federation;
using Ribat.Core.Federation.Sync;
using Ribat.Core.Sharing.Storage;
using Ribat.Taxii.ResponseHandling;

namespace Ribat.Taxii.Endpoints;

internal enum CollectionNeed
{
    Exist,
    Read,
    Write,
}

/// <summary>
/// Finds the collection a request names among the caller's: one the caller does not have is 404 (it does not exist
/// for them); one it has without the right the endpoint needs is 403.
/// </summary>
internal sealed class CollectionAccess(StixCollections collections)
{
    public Task<(StixCollection? Collection, IResult? Refused)> ResolveAsync(HttpContext http, string collectionId, CollectionNeed need) =>
        ResolveAsync(http, null, collectionId, need);

    /// <summary>
    /// As above, through the content session the request holds for an organisation's caller (null for a partner node);
    /// for reading and writing objects, so the collection comes without its title.
    /// </summary>
    public async Task<(StixCollection? Collection, IResult? Refused)> ResolveAsync(HttpContext http, ContentSession? session, string collectionId, CollectionNeed need)
    {
        var principal = TaxiiPipeline.Principal(http);
        var collection = !Guid.TryParse(collectionId, out var id) ? null
            : principal.Partner is { } partner ? (id == partner.Id ? PartnerExchange.CollectionFor(partner) : null)
            : session is not null ? await collections.FindAsync(session, principal.Actor, id, titled: false, http.RequestAborted)
            : await collections.FindAsync(principal.Actor, id, http.RequestAborted);
        if (collection is null)
        {
            return (null, TaxiiResults.Error(StatusCodes.Status404NotFound, "Collection not found", "The caller has no collection with this id."));
        }

        return need switch
        {
            CollectionNeed.Read when !collection.CanRead => (null, TaxiiResults.Error(StatusCodes.Status403Forbidden, "Not allowed to read", "The caller may not read this collection.")),
            CollectionNeed.Write when !collection.CanWrite => (null, TaxiiResults.Error(StatusCodes.Status403Forbidden, "Not allowed to write", "The caller may not add to or delete from this collection (a read-only token, or a role that does not publish).")),
            _ => (collection, null),
        };
    }
}
