using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;
using Ribat.Core.Tenancy.Users;

namespace Ribat.Core.Node;

/// <summary>What the first start created: the administrator's e-mail and, when generated, the one-time password.</summary>
public sealed record BootstrapOutcome(string AdminEmail, string? GeneratedPassword);

/// <summary>
/// On the first start (no user exists yet) creates the operators' organisation and the node administrator.
/// The administrator must change the password at first sign-in, whether it was generated or supplied.
/// </summary>
public sealed class NodeBootstrap(IServiceScopeFactory scopes, AuditTrail audit, TimeProvider clock)
{
    public const string OperatorsOrganisation = "Node operators";

    /// <summary>Returns null when the node was initialised before.</summary>
    public async Task<Result<BootstrapOutcome?>> RunAsync(string adminEmail, string? adminPassword, string nodeKeyFingerprint, CancellationToken cancellationToken = default)
    {
        if (!UserRules.LooksLikeEmail(adminEmail))
        {
            return Error.Validation("adminEmail", $"RIBAT_ADMIN_EMAIL '{adminEmail}' is not an e-mail address.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RibatDbContext>();

        // Instances starting together on one fresh database: the first creates the administrator, the
        // others wait for it and then find a user.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.LockAsync(NodeLock.Bootstrap, cancellationToken);
        if (await db.Users.AnyAsync(cancellationToken))
        {
            return (BootstrapOutcome?)null;
        }

        var users = scope.ServiceProvider.GetRequiredService<UserManager<RibatUser>>();
        var system = Actor.System("node bootstrap");
        var now = clock.GetUtcNow();
        var organisation = new Organisation
        {
            Id = Guid.CreateVersion7(),
            Name = OperatorsOrganisation,
            Country = Countries.Unspecified,
            Kind = OrganisationKind.Cert,
            CreatedAt = now,
        };
        db.Organisations.Add(organisation);
        db.NodeSettings.Add(new NodeSetting { Key = "initialised-at", Value = now.ToString("O") });
        audit.Add(db, system, AuditEvents.NodeInitialised, null, "node", null, new { nodeKey = nodeKeyFingerprint });
        await db.SaveChangesAsync(cancellationToken);

        var password = adminPassword ?? CreateUser.GeneratePassword();
        var admin = new RibatUser
        {
            Id = Guid.CreateVersion7(),
            OrganisationId = organisation.Id,
            UserName = adminEmail,
            Email = adminEmail,
            EmailConfirmed = true,
            DisplayName = "Node administrator",
            MustChangePassword = true,
            LockoutEnabled = true,
            CreatedAt = now,
        };
        var created = await users.CreateAsync(admin, password);
        if (!created.Succeeded)
        {
            return Error.Validation("adminPassword", "RIBAT_ADMIN_PASSWORD is not accepted: " + string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        await users.AddToRolesAsync(admin, [Roles.NodeAdmin, Roles.OrgAdmin]);
        audit.Add(db, system, AuditEvents.NodeAdministratorCreated, organisation.Id, "user", admin.Id.ToString());
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new BootstrapOutcome(adminEmail, adminPassword is null ? password : null);
    }
}
