using System.Security.Claims;
using Ribat.Hosting;

namespace Ribat.Web.Account;

/// <summary>
/// A user who must change a one-time password, or enrol a second factor their organisation requires,
/// may reach nothing else until they have. The middleware covers full page loads; the layout covers
/// navigation inside a Blazor circuit, which never comes back through the middleware.
/// </summary>
public static class Obligations
{
    public const string ChangePasswordPath = "/account/change-password";
    public const string EnrolTwoFactorPath = "/account/enrol-two-factor";

    /// <summary>Where the user must go first, or null when nothing is pending.</summary>
    public static string? PendingFor(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated != true ? null
        : user.HasClaim(c => c.Type == RibatClaims.MustChangePassword) ? ChangePasswordPath
        : user.HasClaim(c => c.Type == RibatClaims.TwoFactorRequired) ? EnrolTwoFactorPath
        : null;

    public static IApplicationBuilder UseObligations(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (PendingFor(context.User) is { } pending && !IsExempt(context.Request.Path))
            {
                context.Response.Redirect(pending);
                return;
            }

            await next(context);
        });

    /// <summary>The account pages themselves, the framework's files, the hub, health probes and the API (its own tokens).</summary>
    private static bool IsExempt(PathString path) =>
        path.StartsWithSegments("/account") || path.StartsWithSegments("/_framework") || path.StartsWithSegments("/_content")
        || path.StartsWithSegments("/_blazor") || path.StartsWithSegments("/health") || path.StartsWithSegments("/api")
        || Path.HasExtension(path.Value);
}
