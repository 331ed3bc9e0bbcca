using Microsoft.EntityFrameworkCore;
using Ribat.Core.Access;
using Ribat.Core.Audit;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Tests;

/// <summary>The query filters on a real SQLite file: a context sees its own organisation's rows and nothing else.</summary>
public sealed class TenancyFilterTests : IAsyncLifetime
{
    private MigratedSqlite _sqlite = null!;
    private readonly Guid _orgA = Guid.CreateVersion7();
    private readonly Guid _orgB = Guid.CreateVersion7();
    private readonly Guid _userA = Guid.CreateVersion7();

    public async Task InitializeAsync()
    {
        _sqlite = await MigratedSqlite.CreateAsync("ribat-core-tests-");
        await using var db = Database.Open(TenantScope.NodeWide("test setup"));
        var now = DateTimeOffset.UtcNow;
        db.Organisations.Add(new Organisation { Id = _orgA, Name = "A", Country = "FR", Kind = OrganisationKind.Cert, CreatedAt = now });
        db.Organisations.Add(new Organisation { Id = _orgB, Name = "B", Country = "MA", Kind = OrganisationKind.Police, CreatedAt = now });
        db.Users.Add(new RibatUser { Id = _userA, OrganisationId = _orgA, DisplayName = "a", UserName = "a@a.example", NormalizedUserName = "A@A.EXAMPLE", Email = "a@a.example", NormalizedEmail = "A@A.EXAMPLE", CreatedAt = now });
        db.ApiTokens.Add(new ApiToken { Id = Guid.CreateVersion7(), UserId = _userA, OrganisationId = _orgA, Name = "t", Prefix = "rbt_abcdefgh", SecretHash = new string('a', 64), CreatedAt = now, ExpiresAt = now.AddDays(1) });
        db.AuditEntries.Add(new AuditEntry { Event = "test", ActorName = "test", OrganisationId = _orgA, OccurredAt = now });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _sqlite.DisposeAsync();

    private RibatDatabase Database => _sqlite.Database;

    private async Task<(int Orgs, int Users, int Tokens, int Audit)> CountAsync(TenantScope scope)
    {
        await using var db = Database.Open(scope);
        return (await db.Organisations.CountAsync(), await db.Users.CountAsync(), await db.ApiTokens.CountAsync(), await db.AuditEntries.CountAsync());
    }

    [Fact]
    public async Task Owning_organisation_sees_its_rows() =>
        (await CountAsync(TenantScope.Of(_orgA))).Should().Be((1, 1, 1, 1));

    [Fact]
    public async Task Another_organisation_sees_none_of_them() =>
        (await CountAsync(TenantScope.Of(_orgB))).Should().Be((1, 0, 0, 0));

    [Fact]
    public async Task No_scope_sees_nothing() =>
        (await CountAsync(TenantScope.None)).Should().Be((0, 0, 0, 0));

    [Fact]
    public async Task Node_wide_scope_sees_everything() =>
        (await CountAsync(TenantScope.NodeWide("test"))).Should().Be((2, 1, 1, 1));

    [Fact]
    public async Task Lookup_by_id_of_a_foreign_row_finds_nothing()
    {
        await using var db = Database.Open(TenantScope.Of(_orgB));

        (await db.Users.FirstOrDefaultAsync(u => u.Id == _userA)).Should().BeNull();
        (await db.Organisations.FirstOrDefaultAsync(o => o.Id == _orgA)).Should().BeNull();
    }

    [Fact]
    public async Task Audit_rows_are_chained_when_saved()
    {
        await using (var db = Database.Open(TenantScope.NodeWide("test")))
        {
            db.AuditEntries.Add(new AuditEntry { Event = "second", ActorName = "test", OccurredAt = DateTimeOffset.UtcNow.AddTicks(3) });
            await db.SaveChangesAsync();
        }

        var verification = await new VerifyAuditChain(Database).RunAsync();
        verification.Intact.Should().BeTrue(verification.Problem);
        verification.Rows.Should().Be(2);
    }
}
