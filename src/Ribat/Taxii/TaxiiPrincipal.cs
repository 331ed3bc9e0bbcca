using System.Net.Http.Headers;
using System.Text;
using Ribat.Core.Access;
using Ribat.Core.Federation.Partners;
using Ribat.Core.Federation.Sync;
using Ribat.Core.Tenancy;

namespace Ribat.Taxii;

/// <summary>
/// Who is calling the TAXII server, established from trusted state only. A partner node carries its record, so the
/// endpoints serve it its exchange collection and check its signatures.
/// </summary>
internal sealed record TaxiiPrincipal(Actor Actor, AuthenticatedPartner? Partner = null);

/// <summary>
/// Turns a request's credentials into a <see cref="TaxiiPrincipal"/>. The server asks every registered source in
/// order and takes the first answer, so another kind of caller (a partner node authenticated by its own credentials)
/// is added by registering a source, without touching the endpoints.
/// </summary>
internal interface ITaxiiPrincipalSource
{
    /// <summary>The principal, or null when these credentials are not this source's to judge.</summary>
    Task<TaxiiPrincipal?> ResolveAsync(HttpContext context, AuthenticationHeaderValue credentials, CancellationToken cancellationToken);
}

/// <summary>
/// Ribat's API tokens, sent as <c>Authorization: Bearer rbt_…</c> or as the password of HTTP Basic (any user name), as
/// TAXII clients commonly only speak Basic.
/// </summary>
internal sealed class ApiTokenPrincipalSource(AuthenticateApiToken authenticate) : ITaxiiPrincipalSource
{
    public async Task<TaxiiPrincipal?> ResolveAsync(HttpContext context, AuthenticationHeaderValue credentials, CancellationToken cancellationToken)
    {
        var secret = SecretOf(credentials);
        if (string.IsNullOrEmpty(secret))
        {
            return null;
        }

        var actor = await authenticate.HandleAsync(secret, context.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        return actor is null ? null : new TaxiiPrincipal(actor);
    }

    /// <summary>The secret of a Bearer header, or the password of a Basic one (any user name); null otherwise.</summary>
    internal static string? SecretOf(AuthenticationHeaderValue credentials)
    {
        string? secret = null;
        if (credentials.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            secret = credentials.Parameter?.Trim();
        }
        else if (credentials.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) && credentials.Parameter is { Length: > 0 and < 4096 } encoded)
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded.Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                secret = colon >= 0 ? decoded[(colon + 1)..] : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return string.IsNullOrEmpty(secret) ? null : secret;
    }
}

/// <summary>
/// A partner node, with the inbound secret this node issued to it (<c>rbp_…</c>) as Bearer or as the Basic password.
/// Read on every request, so a disabled partner or a rotated secret is refused at once.
/// </summary>
internal sealed class PartnerPrincipalSource(AuthenticatePartner authenticate) : ITaxiiPrincipalSource
{
    public async Task<TaxiiPrincipal?> ResolveAsync(HttpContext context, AuthenticationHeaderValue credentials, CancellationToken cancellationToken)
    {
        var secret = ApiTokenPrincipalSource.SecretOf(credentials);
        if (secret is null || !secret.StartsWith("rbp_", StringComparison.Ordinal))
        {
            return null;
        }

        var partner = await authenticate.HandleAsync(secret, cancellationToken);
        return partner is null ? null : new TaxiiPrincipal(PartnerExchange.ActorFor(partner), partner);
    }
}
