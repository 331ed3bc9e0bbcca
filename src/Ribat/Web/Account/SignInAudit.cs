using Microsoft.AspNetCore.Identity;
using Ribat.Core.Audit;
using Ribat.Core.Tenancy;

namespace Ribat.Web.Account;

/// <summary>
/// Sign-in events for the audit trail. Failures are recorded under the e-mail address that was typed (the
/// person is not authenticated, so it is a claim, not an identity); passwords and codes never are.
/// </summary>
internal sealed class SignInAudit(AuditTrail audit, UserManager<RibatUser> users)
{
    public async Task SucceededAsync(RibatUser user, string? address)
    {
        var roles = (await users.GetRolesAsync(user)).ToHashSet(StringComparer.Ordinal);
        var actor = new Actor(user.Id, user.Email ?? user.Id.ToString(), user.OrganisationId, roles, Address: address);
        await audit.WriteAsync(actor, AuditEvents.SignInSucceeded, user.OrganisationId, "user", user.Id.ToString());
    }

    public Task FailedAsync(string typedEmail, RibatUser? user, string reason, string? address) =>
        audit.WriteAsync(Anonymous(typedEmail, address), AuditEvents.SignInFailed, user?.OrganisationId, "user", user?.Id.ToString(), new { reason });

    public Task LockedOutAsync(string typedEmail, RibatUser user, string? address) =>
        audit.WriteAsync(Anonymous(typedEmail, address), AuditEvents.AccountLockedOut, user.OrganisationId, "user", user.Id.ToString(), new { until = user.LockoutEnd });

    private static Actor Anonymous(string typedEmail, string? address) =>
        Actor.System(string.IsNullOrWhiteSpace(typedEmail) ? "anonymous" : Truncate(typedEmail.Trim())) with { Address = address };

    // A typed login name is attacker-controlled text; keep what lands in the log bounded.
    private static string Truncate(string text) => text.Length <= 256 ? text : text[..256];
}
