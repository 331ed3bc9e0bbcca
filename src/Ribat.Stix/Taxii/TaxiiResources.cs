using System.Text.Json;
using System.Text.Json.Serialization;
using Ribat.Stix.Model;

namespace Ribat.Stix.Taxii;

// The resources of OASIS TAXII 2.1 (section 4 and 5), as immutable records a server writes and a client reads.
// Lists that would be empty are null: the specification forbids empty lists on the wire.

/// <summary>The discovery resource (<c>GET /taxii2/</c>): the server's title and the API roots it offers.</summary>
public sealed record TaxiiDiscovery(
    [property: JsonRequired] string Title,
    string? Description = null,
    string? Contact = null,
    string? Default = null,
    IReadOnlyList<string>? ApiRoots = null);

/// <summary>An API root: the TAXII versions it speaks and the largest request body it accepts, in bytes.</summary>
public sealed record TaxiiApiRoot(
    [property: JsonRequired] string Title,
    [property: JsonRequired] IReadOnlyList<string> Versions,
    [property: JsonRequired] long MaxContentLength,
    string? Description = null);

/// <summary>One collection and what the requester may do with it.</summary>
public sealed record TaxiiCollection(
    [property: JsonRequired] string Id,
    [property: JsonRequired] string Title,
    [property: JsonRequired] bool CanRead,
    [property: JsonRequired] bool CanWrite,
    string? Description = null,
    string? Alias = null,
    IReadOnlyList<string>? MediaTypes = null);

/// <summary>The collections resource: null when the requester may see none.</summary>
public sealed record TaxiiCollections(IReadOnlyList<TaxiiCollection>? Collections = null);

/// <summary>One object version in a collection: its id, when the server added it, its version and media type.</summary>
public sealed record TaxiiManifestRecord(
    [property: JsonRequired] string Id,
    [property: JsonRequired] StixTimestamp DateAdded,
    [property: JsonRequired] string Version,
    string? MediaType = null);

/// <summary>A page of manifest records; <see cref="More"/> says whether another page follows.</summary>
public sealed record TaxiiManifest(bool? More = null, IReadOnlyList<TaxiiManifestRecord>? Objects = null);

/// <summary>
/// A page of STIX objects. The objects stay JSON, exactly as the server sent them (custom properties and types
/// included); <see cref="ReadObjects"/> turns them into the typed model.
/// </summary>
public sealed record TaxiiEnvelope(bool? More = null, string? Next = null, IReadOnlyList<JsonElement>? Objects = null)
{
    /// <summary>The objects read into the STIX model; objects that cannot be read are reported, not thrown.</summary>
    public IReadOnlyList<StixObject> ReadObjects(out IReadOnlyList<StixIssue> issues)
    {
        var found = new List<StixIssue>();
        var result = new List<StixObject>(Objects?.Count ?? 0);
        foreach (var element in Objects ?? [])
        {
            if (Serialization.StixSerializer.TryReadObject(element, out var value, out var error))
            {
                result.Add(value!);
            }
            else
            {
                found.Add(error!);
            }
        }

        issues = found;
        return result;
    }
}

/// <summary>The versions of one object in a collection, oldest first.</summary>
public sealed record TaxiiVersions(bool? More = null, IReadOnlyList<StixTimestamp>? Versions = null);

/// <summary>Where a POST of objects stands: counts and, per object, what happened to it.</summary>
public sealed record TaxiiStatus(
    [property: JsonRequired] string Id,
    [property: JsonRequired] string Status,
    [property: JsonRequired] int TotalCount,
    [property: JsonRequired] int SuccessCount,
    [property: JsonRequired] int FailureCount,
    [property: JsonRequired] int PendingCount,
    StixTimestamp? RequestTimestamp = null,
    IReadOnlyList<TaxiiStatusDetails>? Successes = null,
    IReadOnlyList<TaxiiStatusDetails>? Failures = null,
    IReadOnlyList<TaxiiStatusDetails>? Pendings = null)
{
    public const string Complete = "complete";
    public const string Pending = "pending";
}

/// <summary>One object of a POST: its id and version, and for a failure, why.</summary>
public sealed record TaxiiStatusDetails(
    [property: JsonRequired] string Id,
    [property: JsonRequired] string Version,
    string? Message = null);

/// <summary>
/// TAXII's error message. <see cref="HttpStatus"/> is a string and equals the status of the response that carries it.
/// </summary>
public sealed record TaxiiError(
    [property: JsonRequired] string Title,
    string? Description = null,
    string? ErrorId = null,
    string? ErrorCode = null,
    string? HttpStatus = null,
    string? ExternalDetails = null,
    IReadOnlyDictionary<string, string>? Details = null);

/// <summary>The media types TAXII 2.1 and STIX 2.1 are exchanged in.</summary>
public static class TaxiiMediaTypes
{
    /// <summary>Every TAXII 2.1 resource.</summary>
    public const string Taxii21 = "application/taxii+json;version=2.1";

    /// <summary>STIX 2.1 content, as named in a collection's <c>media_types</c> and a manifest record.</summary>
    public const string Stix21 = "application/stix+json;version=2.1";
}
