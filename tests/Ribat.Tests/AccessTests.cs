using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;
using Ribat.Core.Access;
using Ribat.Core.Tenancy;
using Ribat.Core.Tenancy.Organisations;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests;

/// <summary>API tokens, roles and lockout.</summary>
public abstract class AccessTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    [DbFact]
    public async Task An_open_web_session_ends_when_its_account_is_disabled_or_its_roles_change()
    {
        var tenant = await factory.CreateTenantAsync();
        var session = await SignInAsync(tenant.Analyst.Id);
        var sessions = ActivatorUtilities.CreateInstance<Ribat.Web.Account.SessionRevalidation>(factory.Services);
        var update = factory.Get<Ribat.Core.Tenancy.Users.UpdateUser>();

        (await sessions.IsStillValidAsync(session)).Should().BeTrue();
        (await update.HandleAsync(Actor.Operator, tenant.Analyst.Id, new Ribat.Core.Tenancy.Users.UpdateUserRequest(Disabled: true))).Error.Should().BeNull();
        (await sessions.IsStillValidAsync(session)).Should().BeFalse("a disabled account's open pages lose their session");

        (await update.HandleAsync(Actor.Operator, tenant.Analyst.Id, new Ribat.Core.Tenancy.Users.UpdateUserRequest(Disabled: false))).Error.Should().BeNull();
        (await sessions.IsStillValidAsync(session)).Should().BeFalse("re-enabling does not revive a session from before");
        var fresh = await SignInAsync(tenant.Analyst.Id);
        (await sessions.IsStillValidAsync(fresh)).Should().BeTrue();

        (await update.HandleAsync(Actor.Operator, tenant.Analyst.Id, new Ribat.Core.Tenancy.Users.UpdateUserRequest(Roles: [Roles.Viewer]))).Error.Should().BeNull();
        (await sessions.IsStillValidAsync(fresh)).Should().BeFalse("a session signed in with other roles ends");
    }

    /// <summary>The principal a sign-in would put in the session cookie now.</summary>
    private async Task<System.Security.Claims.ClaimsPrincipal> SignInAsync(Guid userId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<RibatUser>>();
        return await signIn.CreateUserPrincipalAsync((await signIn.UserManager.FindByIdAsync(userId.ToString()))!);
    }

    [DbFact]
    public async Task An_organisation_that_requires_a_second_factor_sends_members_to_enrolment_and_keeps_it_on()
    {
        var tenant = await factory.CreateTenantAsync();
        (await factory.Get<UpdateOrganisation>().HandleAsync(Actor.Operator, tenant.Organisation.Id, new UpdateOrganisationRequest(RequireTwoFactor: true)))
            .Error.Should().BeNull();

        var browser = await factory.SignedInClientAsync(tenant.Analyst.Email);
        foreach (var page in new[] { "/", "/tokens", "/profile", "/audit" })
        {
            var response = await browser.GetAsync(page);
            response.StatusCode.Should().Be(HttpStatusCode.Redirect, $"GET {page} before enrolling");
            response.Headers.Location!.OriginalString.Should().StartWith("/account/enrol-two-factor", $"GET {page} before enrolling");
        }

        var analyst = new Actor(tenant.Analyst.Id, tenant.Analyst.Email, tenant.Organisation.Id, new HashSet<string> { Roles.Analyst });
        var enrolment = factory.Get<TwoFactorEnrolment>();
        var begun = await enrolment.BeginAsync(analyst);
        begun.Error.Should().BeNull();
        begun.Value!.AuthenticatorUri.Should().StartWith("otpauth://totp/Ribat:").And.Contain("issuer=Ribat");
        var code = new Totp(Base32Encoding.ToBytes(begun.Value.SharedKey.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant())).ComputeTotp();
        (await enrolment.ConfirmAsync(analyst, "000000" == code ? "111111" : "000000")).Error!.Fields.Should().ContainKey("code");
        (await enrolment.ConfirmAsync(analyst, code)).Error.Should().BeNull();

        var removal = await enrolment.DisableAsync(analyst);
        removal.Error!.Kind.Should().Be(Ribat.Core.Common.ErrorKind.Conflict, "the organisation requires a second factor");
    }

    [DbFact]
    public async Task Read_only_token_reads_but_cannot_write()
    {
        var tenant = await factory.CreateTenantAsync();
        var token = await factory.CreateTokenAsync(tenant.Admin.Id, "read");
        var client = factory.ClientWith(token.Secret);

        (await client.GetAsync("/api/v1/me")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetAsync($"/api/v1/users?organisation={tenant.Organisation.Id}")).StatusCode.Should().Be(HttpStatusCode.OK);
        await (await client.PatchJsonAsync("/api/v1/me/preferences", new { language = "fr" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await client.PatchJsonAsync($"/api/v1/organisations/{tenant.Organisation.Id}", new { contactName = "x" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await client.PostAsJsonAsync("/api/v1/users", new { email = $"{Guid.NewGuid():N}@x.example", roles = new[] { "analyst" } })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await client.PostAsJsonAsync("/api/v1/tokens", new { name = "escalate", scope = "write" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await client.DeleteAsync($"/api/v1/tokens/{tenant.AnalystTokenId}")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [DbFact]
    public async Task Unknown_garbage_revoked_and_expired_tokens_are_401_problems()
    {
        var tenant = await factory.CreateTenantAsync();
        var expired = await factory.CreateTokenAsync(tenant.Analyst.Id);
        await using (var db = factory.Database.Open(TenantScope.NodeWide("test")))
        {
            var row = await db.ApiTokens.SingleAsync(t => t.Id == expired.Id);
            row.ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1);
            await db.SaveChangesAsync();
        }

        var revoked = await factory.CreateTokenAsync(tenant.Analyst.Id);
        (await factory.ClientWith(tenant.AnalystSecret).DeleteAsync($"/api/v1/tokens/{revoked.Id}")).StatusCode.Should().Be(HttpStatusCode.OK);

        var secrets = new[] { expired.Secret, revoked.Secret, "rbt_" + new string('A', 43), "garbage", "rbt_", new string('x', 5000), tenant.AnalystSecret + "x" };
        foreach (var secret in secrets)
        {
            var problem = await factory.ClientWith(secret).GetAsync("/api/v1/me");
            await problem.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        }

        var basic = factory.ClientWith(null);
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:admin")));
        await (await basic.GetAsync("/api/v1/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        (await factory.ClientWith(tenant.AnalystSecret).GetAsync("/api/v1/me")).StatusCode.Should().Be(HttpStatusCode.OK, "the other tokens still work");
    }

    [DbFact]
    public async Task Disabled_users_token_stops_working_at_once()
    {
        var tenant = await factory.CreateTenantAsync();
        var analyst = factory.ClientWith(tenant.AnalystSecret);
        (await analyst.GetAsync("/api/v1/me")).StatusCode.Should().Be(HttpStatusCode.OK);

        var disabled = await factory.ClientWith(tenant.AdminSecret).PatchJsonAsync($"/api/v1/users/{tenant.Analyst.Id}", new { disabled = true });
        disabled.StatusCode.Should().Be(HttpStatusCode.OK);

        await (await analyst.GetAsync("/api/v1/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await (await factory.ClientWith(tenant.AdminSecret).PatchJsonAsync($"/api/v1/users/{tenant.Admin.Id}", new { disabled = true }))
            .ShouldBeValidationProblemAsync("disabled");
    }

    [DbFact]
    public async Task Last_use_is_recorded()
    {
        var tenant = await factory.CreateTenantAsync();
        var token = await factory.CreateTokenAsync(tenant.Analyst.Id);
        var client = factory.ClientWith(token.Secret);

        var before = await (await client.GetAsync("/api/v1/tokens")).ReadJsonAsync();

        var used = await (await client.GetAsync("/api/v1/tokens")).ReadJsonAsync();
        var row = used["items"]!.AsArray().Single(t => t!["id"]!.GetValue<Guid>() == token.Id)!;
        row["lastUsedAt"]!.GetValue<DateTimeOffset>().Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(2));
        before["items"]!.AsArray().Should().NotBeEmpty();
    }

    [DbFact]
    public async Task Token_secret_is_stored_only_as_its_hash()
    {
        var tenant = await factory.CreateTenantAsync();
        var token = await factory.CreateTokenAsync(tenant.Analyst.Id);
        var expectedHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token.Secret)));

        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        var row = await db.ApiTokens.AsNoTracking().SingleAsync(t => t.Id == token.Id);
        row.SecretHash.Should().Be(expectedHash);
        token.Secret.Should().StartWith(row.Prefix);
        row.Prefix.Length.Should().BeLessThan(token.Secret.Length / 2);

        // The prefix is stored on purpose: finding it proves the scan reads the rows.
        (await RowsContainingAsync(db, "api_tokens", token.Secret[..12])).Should().Be(1);
        foreach (var table in new[] { "api_tokens", "audit_log", "users", "user_tokens" })
        {
            (await RowsContainingAsync(db, table, token.Secret[12..])).Should().Be(0, $"no column of {table} may hold the token's secret");
        }

        if (!factory.IsPostgres)
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
            var bytes = await File.ReadAllBytesAsync(factory.SqlitePath);
            Encoding.Latin1.GetString(bytes).Should().NotContain(token.Secret[12..], "the database file never contains the secret");
        }
    }

    /// <summary>Rows of <paramref name="table"/> with <paramref name="text"/> in any column.</summary>
    private static async Task<int> RowsContainingAsync(Core.Data.RibatDbContext db, string table, string text)
    {
        if (db.IsPostgres)
        {
            var sql = $"SELECT COUNT(*)::int AS \"Value\" FROM {table} t WHERE strpos(t::text, {{0}}) > 0";
            return await db.Database.SqlQueryRaw<int>(sql, text).SingleAsync();
        }

        var columnsSql = $"SELECT name AS Value FROM pragma_table_info('{table}')";
        var columns = await db.Database.SqlQueryRaw<string>(columnsSql).ToListAsync();
        var concatenated = string.Join(" || '|' || ", columns.Select(c => $"COALESCE(CAST(\"{c}\" AS TEXT), '')"));
        var countSql = $"SELECT COUNT(*) AS Value FROM {table} WHERE instr({concatenated}, {{0}}) > 0";
        return await db.Database.SqlQueryRaw<int>(countSql, text).SingleAsync();
    }

    [DbFact]
    public async Task Org_admin_manages_only_its_own_organisation()
    {
        var a = await factory.CreateTenantAsync();
        var b = await factory.CreateTenantAsync();
        var adminA = factory.ClientWith(a.AdminSecret);

        (await adminA.PatchJsonAsync($"/api/v1/organisations/{a.Organisation.Id}", new { contactName = "Duty desk" })).StatusCode.Should().Be(HttpStatusCode.OK);
        ((int)(await adminA.PatchJsonAsync($"/api/v1/organisations/{b.Organisation.Id}", new { contactName = "pwned" })).StatusCode).Should().BeOneOf(403, 404);
        ((int)(await adminA.PostAsJsonAsync("/api/v1/users", new { organisationId = b.Organisation.Id, email = $"{Guid.NewGuid():N}@x.example", roles = new[] { "org-admin" } })).StatusCode).Should().BeOneOf(403, 404);
        ((int)(await adminA.PatchJsonAsync($"/api/v1/users/{b.Analyst.Id}", new { roles = new[] { "org-admin" } })).StatusCode).Should().BeOneOf(403, 404);

        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        (await db.Organisations.SingleAsync(o => o.Id == b.Organisation.Id)).ContactName.Should().BeNull();
    }

    [DbFact]
    public async Task Analyst_cannot_list_users_or_read_the_audit_log()
    {
        var tenant = await factory.CreateTenantAsync();
        var analyst = factory.ClientWith(tenant.AnalystSecret);

        await (await analyst.GetAsync("/api/v1/users")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await analyst.GetAsync($"/api/v1/users?organisation={tenant.Organisation.Id}")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await analyst.GetAsync("/api/v1/audit")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await analyst.GetAsync("/api/v1/audit/export")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await analyst.PostAsJsonAsync("/api/v1/users", new { email = $"{Guid.NewGuid():N}@x.example", roles = new[] { "analyst" } })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        (await (await analyst.GetAsync($"/api/v1/users/{tenant.Analyst.Id}")).ReadJsonAsync())["id"]!.GetValue<Guid>().Should().Be(tenant.Analyst.Id, "anyone reads their own record");
        await (await analyst.GetAsync($"/api/v1/users/{tenant.Admin.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [DbFact]
    public async Task Only_node_admins_create_organisations_or_grant_node_admin()
    {
        var tenant = await factory.CreateTenantAsync();
        var orgAdmin = factory.ClientWith(tenant.AdminSecret);

        await (await orgAdmin.PostAsJsonAsync("/api/v1/organisations", new { name = RibatFactory.Unique("Rogue"), country = "FR", kind = "cert" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await orgAdmin.PostAsJsonAsync("/api/v1/users", new { email = $"{Guid.NewGuid():N}@x.example", roles = new[] { "node-admin" } })).ShouldBeValidationProblemAsync("roles");
        await (await orgAdmin.PatchJsonAsync($"/api/v1/users/{tenant.Analyst.Id}", new { roles = new[] { "node-admin" } })).ShouldBeValidationProblemAsync("roles");
        await (await orgAdmin.PatchJsonAsync($"/api/v1/users/{tenant.Admin.Id}", new { roles = new[] { "org-admin", "node-admin" } })).ShouldBeValidationProblemAsync("roles");

        var nodeAdmin = await factory.NodeAdminClientAsync();
        var granted = await nodeAdmin.PatchJsonAsync($"/api/v1/users/{tenant.Analyst.Id}", new { roles = new[] { "node-admin" } });
        (await granted.ShouldBeAsync<JsonObject>(HttpStatusCode.OK))["roles"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Equal("node-admin");
        await (await orgAdmin.PatchJsonAsync($"/api/v1/users/{tenant.Analyst.Id}", new { displayName = "demoted?" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [DbFact]
    public async Task Five_wrong_passwords_lock_the_account_and_its_tokens()
    {
        var tenant = await factory.CreateTenantAsync();
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<RibatUser>>();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<RibatUser>>();
        var user = (await users.FindByIdAsync(tenant.Analyst.Id.ToString()))!;

        for (var i = 1; i <= 4; i++)
        {
            var failed = await signIn.CheckPasswordSignInAsync(user, "wrong password " + i, lockoutOnFailure: true);
            failed.Succeeded.Should().BeFalse();
            failed.IsLockedOut.Should().BeFalse($"attempt {i} of 5 does not lock yet");
        }

        (await signIn.CheckPasswordSignInAsync(user, "wrong password 5", lockoutOnFailure: true)).IsLockedOut.Should().BeTrue();
        var right = await signIn.CheckPasswordSignInAsync(user, RibatFactory.AdminPassword, lockoutOnFailure: true);
        right.Succeeded.Should().BeFalse("a locked account refuses even the right password");
        right.IsLockedOut.Should().BeTrue();
        (await users.GetLockoutEndDateAsync(user)).Should().BeCloseTo(DateTimeOffset.UtcNow.AddMinutes(15), TimeSpan.FromMinutes(1));

        await (await factory.ClientWith(tenant.AnalystSecret).GetAsync("/api/v1/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        var shown = await (await factory.ClientWith(tenant.AdminSecret).GetAsync($"/api/v1/users/{tenant.Analyst.Id}")).ReadJsonAsync();
        shown["lockedOutUntil"].Should().NotBeNull();

        (await factory.ClientWith(tenant.AdminSecret).PatchJsonAsync($"/api/v1/users/{tenant.Analyst.Id}", new { unlock = true })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await factory.ClientWith(tenant.AnalystSecret).GetAsync("/api/v1/me")).StatusCode.Should().Be(HttpStatusCode.OK, "unlocking restores access");
    }
}

public sealed class AccessTestsSqlite(SqliteFactory factory) : AccessTests<SqliteFactory>(factory);

public sealed class AccessTestsPostgres(PostgresFactory factory) : AccessTests<PostgresFactory>(factory);
