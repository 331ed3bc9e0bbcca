using Microsoft.Net.Http.Headers;
using Ribat.Stix.Taxii;

namespace Ribat.Taxii.Validation;

/// <summary>
/// TAXII's content negotiation: a request must accept <c>application/taxii+json;version=2.1</c> (the type without a
/// version means the newest, which is 2.1; wildcards accept it too), and a body must be sent in it.
/// </summary>
internal static class TaxiiMediaTypeCheck
{
    /// <summary>True when the Accept header is absent or names a type this server answers in.</summary>
    public static bool Accepts(HttpRequest request)
    {
        var accept = request.Headers.Accept;
        if (accept.Count == 0)
        {
            return true;
        }

        if (!MediaTypeHeaderValue.TryParseList(accept, out var types))
        {
            return false;
        }

        return types.Any(t => (t.Quality ?? 1) > 0 && (t.MatchesAllTypes || (t.Type.Equals("application", StringComparison.OrdinalIgnoreCase) && t.MatchesAllSubTypes) || IsTaxii21(t)));
    }

    /// <summary>True when the body is declared as TAXII 2.1.</summary>
    public static bool IsTaxiiBody(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && IsTaxii21(type);

    private static bool IsTaxii21(MediaTypeHeaderValue type)
    {
        if (!type.MediaType.Equals("application/taxii+json", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var version = type.Parameters.FirstOrDefault(p => p.Name.Equals("version", StringComparison.OrdinalIgnoreCase));
        return version is null || version.Value.Equals("2.1", StringComparison.Ordinal) || version.Value.Equals("\"2.1\"", StringComparison.Ordinal);
    }

    public const string Expected = TaxiiMediaTypes.Taxii21;
}
