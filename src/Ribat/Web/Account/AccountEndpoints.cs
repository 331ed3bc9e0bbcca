using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Ribat.Api;
using Ribat.Core.Audit;
using Ribat.Core.Tenancy;

namespace Ribat.Web.Account;

/// <summary>The few UI actions that need the HTTP response itself: they set cookies or stream a file.</summary>
internal static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // Browser endpoints, not part of the token API: kept out of the OpenAPI document.
        var ui = app.MapGroup(string.Empty).ExcludeFromDescription();
        ui.MapPost("/account/logout", SignOutAsync);
        ui.MapGet("/account/refresh", RefreshAsync);
        ui.MapGet("/ui/audit/export", (HttpContext http, AuditLog log, int? code, string? actor, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct) =>
            RibatApi.ExportAuditAsync(http, log, new AuditQuery(code, string.IsNullOrWhiteSpace(actor) ? null : actor, from, to), ct));
        return app;
    }

    // The form field makes the framework check the antiforgery token: signing out is a state change.
    private static async Task<IResult> SignOutAsync(HttpContext http, SignInManager<RibatUser> signIn, AuditTrail audit, [FromForm] string? returnUrl)
    {
        if (Actor.FromPrincipal(http.User, http.Connection.RemoteIpAddress?.ToString()) is { } actor)
        {
            await audit.WriteAsync(actor, AuditEvents.SignedOut, actor.OrganisationId, "user", actor.UserId?.ToString());
        }

        await signIn.SignOutAsync();
        return TypedResults.LocalRedirect("/account/login");
    }

    /// <summary>Re-issues the session cookie so changed preferences or obligations show in the claims.</summary>
    private static async Task<IResult> RefreshAsync(HttpContext http, SignInManager<RibatUser> signIn, string? returnUrl)
    {
        var user = await signIn.UserManager.GetUserAsync(http.User);
        if (user is not null)
        {
            await signIn.RefreshSignInAsync(user);
        }

        return TypedResults.LocalRedirect(LocalUrl(returnUrl));
    }

    /// <summary>Only paths on this node: an open redirect would let a link send a signed-in user anywhere.</summary>
    public static string LocalUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : "/";
}
