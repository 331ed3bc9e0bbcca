using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;

namespace Ribat.Hosting;

/// <summary>Claims a signed-in user carries besides Identity's own.</summary>
public static class RibatClaims
{
    public const string Language = "ribat:lang";
    public const string Calendar = "ribat:calendar";
    public const string MustChangePassword = "ribat:must-change-password";
    public const string TwoFactorRequired = "ribat:two-factor-required";
    public const string DisplayName = "ribat:display-name";
}

/// <summary>Adds the organisation, preferences and pending obligations (password change, 2FA enrolment).</summary>
internal sealed class RibatClaimsFactory(
    UserManager<RibatUser> users,
    RoleManager<IdentityRole<Guid>> roles,
    IOptions<IdentityOptions> options,
    RibatDbContext db)
    : UserClaimsPrincipalFactory<RibatUser, IdentityRole<Guid>>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(RibatUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(Actor.OrganisationClaim, user.OrganisationId.ToString()));
        identity.AddClaim(new Claim(RibatClaims.Language, user.Language));
        identity.AddClaim(new Claim(RibatClaims.Calendar, user.Calendar.ToString().ToLowerInvariant()));
        identity.AddClaim(new Claim(RibatClaims.DisplayName, user.DisplayName));
        if (user.MustChangePassword)
        {
            identity.AddClaim(new Claim(RibatClaims.MustChangePassword, "true"));
        }

        var requires = await db.Organisations.AsNoTracking().Where(o => o.Id == user.OrganisationId).Select(o => o.RequireTwoFactor).FirstOrDefaultAsync();
        if (requires && !user.TwoFactorEnabled)
        {
            identity.AddClaim(new Claim(RibatClaims.TwoFactorRequired, "true"));
        }

        return identity;
    }
}

/// <summary>Disabled accounts cannot sign in, even with the right password.</summary>
internal sealed class RibatSignInManager(
    UserManager<RibatUser> users,
    IHttpContextAccessor http,
    IUserClaimsPrincipalFactory<RibatUser> claims,
    IOptions<IdentityOptions> options,
    ILogger<SignInManager<RibatUser>> logger,
    Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider schemes,
    IUserConfirmation<RibatUser> confirmation)
    : SignInManager<RibatUser>(users, http, claims, options, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(RibatUser user) => !user.Disabled && await base.CanSignInAsync(user);
}
