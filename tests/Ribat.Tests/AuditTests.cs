using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using SqliteConnection = Microsoft.Data.Sqlite.SqliteConnection;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Ribat.Core.Access;
using Ribat.Core.Audit;
using Ribat.Core.Tenancy;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests;

/// <summary>Audit rows for changes and sensitive reads, and the hash chain against direct edits of the database.</summary>
public abstract class AuditTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    private async Task<List<AuditEntry>> RowsAsync()
    {
        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        return await db.AuditEntries.AsNoTracking().OrderBy(a => a.Sequence).ToListAsync();
    }

    /// <summary>Some real activity through the API, so the chain has rows from many writers.</summary>
    private async Task<Tenant> ActivityAsync()
    {
        var tenant = await factory.CreateTenantAsync();
        var admin = factory.ClientWith(tenant.AdminSecret);
        (await admin.PatchJsonAsync($"/api/v1/organisations/{tenant.Organisation.Id}", new { contactName = "Duty desk" })).EnsureSuccessStatusCode();
        (await admin.GetAsync($"/api/v1/users?organisation={tenant.Organisation.Id}")).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/users", new { email = $"{Guid.NewGuid():N}@x.example", roles = new[] { "viewer" } })).EnsureSuccessStatusCode();
        (await admin.GetAsync("/api/v1/audit")).EnsureSuccessStatusCode();
        return tenant;
    }

    private async Task<AuditVerification> VerifyAsync() => await factory.Get<VerifyAuditChain>().RunAsync();

    private async Task ExecuteAsync(string sql)
    {
        await using DbConnection connection = factory.IsPostgres ? new NpgsqlConnection(factory.ConnectionString) : new SqliteConnection($"Data Source={factory.SqlitePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static string Quote(string? text) => text is null ? "NULL" : "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    [DbFact]
    public async Task Chain_is_intact_after_api_activity()
    {
        await ActivityAsync();

        var result = await VerifyAsync();

        result.Intact.Should().BeTrue(result.Problem);
        var rows = await RowsAsync();
        result.Rows.Should().Be(rows.Count);
        result.HeadHash.Should().Be(rows[^1].Hash);
        rows.Select(r => r.Sequence).Should().Equal(Enumerable.Range(1, rows.Count).Select(i => (long)i), "sequence numbers have no gaps");
    }

    [DbFact]
    public async Task Look_ups_made_at_once_are_each_in_the_chain_when_their_call_returns()
    {
        var audit = factory.Get<AuditTrail>();
        var marker = Guid.NewGuid().ToString();
        var before = (await RowsAsync()).Count;

        // Many readers at once, with changes interleaved: each look-up's call returns only once its entry is stored.
        var lookups = Enumerable.Range(0, 200).Select(async i =>
        {
            await audit.WriteLookupAsync(Actor.System("reader"), AuditEvents.IntelligenceSearched, null, "value", marker, new { i });
            await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
            (await db.AuditEntries.AsNoTracking().CountAsync(a => a.TargetId == marker && a.Details!.Contains($"\"i\":{i}}}")))
                .Should().Be(1, "look-up {0} was audited before its call returned", i);
        });
        var changes = Enumerable.Range(0, 5).Select(_ => audit.WriteAsync(Actor.System("writer"), AuditEvents.IntelligenceSearched, null, "value", marker + "-change"));
        await Task.WhenAll(lookups.Concat(changes));

        var rows = await RowsAsync();
        rows.Count.Should().Be(before + 205);
        rows.Count(r => r.TargetId == marker).Should().Be(200);
        rows.Select(r => r.Sequence).Should().Equal(Enumerable.Range(1, rows.Count).Select(i => (long)i), "grouped commits leave no gaps");
        var result = await VerifyAsync();
        result.Intact.Should().BeTrue(result.Problem);
    }

    [DbFact]
    public async Task Changes_and_sensitive_reads_are_audited_with_the_actor()
    {
        var before = (await RowsAsync()).Count;
        var tenant = await ActivityAsync();

        var rows = (await RowsAsync()).Skip(before).ToList();
        var mine = rows.Where(r => r.ActorUserId == tenant.Admin.Id).ToList();
        mine.Select(r => r.Code).Should().Contain([
            AuditEvents.OrganisationUpdated.Code, AuditEvents.UsersListed.Code, AuditEvents.UserCreated.Code, AuditEvents.AuditLogRead.Code]);
        mine.Should().OnlyContain(r => r.ActorName == tenant.Admin.Email && r.OrganisationId == tenant.Organisation.Id);
        mine.Single(r => r.Code == AuditEvents.OrganisationUpdated.Code).Details.Should().Contain("contactName");
        rows.Where(r => r.Code == AuditEvents.ApiTokenCreated.Code).Should().HaveCount(2);
        rows.Should().OnlyContain(r => r.Event == AuditEvents.Find(r.Code)!.Name, "every row names its catalogued event");
        rows.Should().NotContain(r => (r.Details ?? string.Empty).Contains(RibatFactory.AdminPassword), "passwords never reach the audit log");
    }

    [DbFact]
    public async Task Audit_list_shows_the_organisations_rows_newest_first()
    {
        var tenant = await ActivityAsync();

        var page = await (await factory.ClientWith(tenant.AdminSecret).GetAsync($"/api/v1/audit?code={AuditEvents.UserCreated.Code}")).ReadJsonAsync();

        var items = page["items"]!.AsArray();
        items.Should().HaveCount(3, "two users at set-up and one through the API");
        items.Select(i => i!["organisationId"]!.GetValue<Guid>()).Should().AllBeEquivalentTo(tenant.Organisation.Id);
        items.Select(i => i!["sequence"]!.GetValue<long>()).Should().BeInDescendingOrder();
    }

    [DbFact]
    public async Task A_failed_change_leaves_no_audit_row()
    {
        var tenant = await factory.CreateTenantAsync();
        var actor = new Actor(tenant.Analyst.Id, tenant.Analyst.Email, tenant.Organisation.Id, new HashSet<string> { Roles.Analyst });
        var before = (await RowsAsync()).Count;

        var wrong = await factory.Get<ChangePassword>().HandleAsync(actor, "not the password", "a brand new long password");
        var weak = await factory.Get<ChangePassword>().HandleAsync(actor, RibatFactory.AdminPassword, "aaaaaaaaaaaaaaaa");

        wrong.Error!.Fields.Should().ContainKey("currentPassword");
        weak.Error.Should().NotBeNull();
        (await RowsAsync()).Should().HaveCount(before, "neither refused change may leave an audit row");

        (await factory.Get<ChangePassword>().HandleAsync(actor, RibatFactory.AdminPassword, "a brand new long password")).IsSuccess.Should().BeTrue();
        var rows = await RowsAsync();
        rows.Should().HaveCount(before + 1);
        rows[^1].Code.Should().Be(AuditEvents.PasswordChanged.Code);
    }

    [DbFact]
    public async Task Altered_details_break_the_chain_at_that_row()
    {
        await ActivityAsync();
        var target = (await RowsAsync()).Where(r => r.Details is not null).SkipLast(2).Last();
        try
        {
            await ExecuteAsync($"UPDATE audit_log SET \"Details\" = '{{\"count\":0}}' WHERE \"Sequence\" = {target.Sequence}");

            var result = await VerifyAsync();

            result.Intact.Should().BeFalse();
            result.BrokenAt.Should().Be(target.Sequence);
            result.Problem.Should().Be($"row {target.Sequence} was altered: its content no longer matches its hash");
            result.Rows.Should().Be(target.Sequence - 1);
        }
        finally
        {
            await ExecuteAsync($"UPDATE audit_log SET \"Details\" = {Quote(target.Details)} WHERE \"Sequence\" = {target.Sequence}");
        }

        (await VerifyAsync()).Intact.Should().BeTrue("restoring the original text restores the chain");
    }

    [DbFact]
    public async Task Altered_actor_breaks_the_chain_at_that_row()
    {
        await ActivityAsync();
        var target = (await RowsAsync())[^3];
        try
        {
            await ExecuteAsync($"UPDATE audit_log SET \"ActorName\" = 'someone else' WHERE \"Sequence\" = {target.Sequence}");

            var result = await VerifyAsync();

            result.Intact.Should().BeFalse();
            result.BrokenAt.Should().Be(target.Sequence);
            result.Problem.Should().Contain($"row {target.Sequence} was altered");
        }
        finally
        {
            await ExecuteAsync($"UPDATE audit_log SET \"ActorName\" = {Quote(target.ActorName)} WHERE \"Sequence\" = {target.Sequence}");
        }

        (await VerifyAsync()).Intact.Should().BeTrue();
    }

    [DbFact]
    public async Task Deleted_middle_row_is_named_as_missing()
    {
        await ActivityAsync();
        var rows = await RowsAsync();
        var target = rows[rows.Count / 2];
        try
        {
            await ExecuteAsync($"DELETE FROM audit_log WHERE \"Sequence\" = {target.Sequence}");

            var result = await VerifyAsync();

            result.Intact.Should().BeFalse();
            result.BrokenAt.Should().Be(target.Sequence);
            result.Problem.Should().Be($"row {target.Sequence} is missing (next row found is {target.Sequence + 1})");
        }
        finally
        {
            await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
            db.AuditEntries.Add(target); // keeps its sequence and hashes: it already has a hash
            await db.SaveChangesAsync();
        }

        (await VerifyAsync()).Intact.Should().BeTrue();
    }

    [DbFact]
    public async Task Cutting_off_the_newest_rows_is_caught_against_a_recorded_head()
    {
        await ActivityAsync();
        var recorded = await VerifyAsync();
        recorded.Intact.Should().BeTrue();
        AuditHead.TryParse(recorded.Head, out var head).Should().BeTrue();
        var rows = await RowsAsync();
        rows[^1].Sequence.Should().Be(head.Sequence);
        var cut = head.Sequence - 2;
        var removed = rows.Where(r => r.Sequence >= cut).ToList();
        try
        {
            await ExecuteAsync($"DELETE FROM audit_log WHERE \"Sequence\" >= {cut}");

            (await VerifyAsync()).Intact.Should().BeTrue("the chain alone cannot see that its newest rows are gone");
            var result = await factory.Get<VerifyAuditChain>().RunAsync(head);
            result.Intact.Should().BeFalse();
            result.BrokenAt.Should().Be(cut);
            result.Problem.Should().Be($"the log ends at row {cut - 1} but row {head.Sequence} was recorded: rows {cut} to {head.Sequence} were removed");
        }
        finally
        {
            await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
            db.AuditEntries.AddRange(removed); // they keep their sequence numbers and hashes
            await db.SaveChangesAsync();
        }

        (await factory.Get<VerifyAuditChain>().RunAsync(head)).Intact.Should().BeTrue();
        var forged = await factory.Get<VerifyAuditChain>().RunAsync(head with { Hash = new string('a', 64) });
        forged.Intact.Should().BeFalse();
        forged.BrokenAt.Should().Be(head.Sequence);
    }

    [DbFact]
    public async Task Swapped_sequence_numbers_break_the_chain()
    {
        await ActivityAsync();
        var rows = await RowsAsync();
        var first = rows[rows.Count / 2].Sequence;
        var second = first + 1;

        async Task SwapAsync()
        {
            await ExecuteAsync($"UPDATE audit_log SET \"Sequence\" = -1 WHERE \"Sequence\" = {first}");
            await ExecuteAsync($"UPDATE audit_log SET \"Sequence\" = {first} WHERE \"Sequence\" = {second}");
            await ExecuteAsync($"UPDATE audit_log SET \"Sequence\" = {second} WHERE \"Sequence\" = -1");
        }

        await SwapAsync();
        try
        {
            var result = await VerifyAsync();

            result.Intact.Should().BeFalse();
            result.BrokenAt.Should().Be(first);
            result.Problem.Should().StartWith($"row {first} ");
        }
        finally
        {
            await SwapAsync();
        }

        (await VerifyAsync()).Intact.Should().BeTrue();
    }

    [DbFact]
    public async Task Cli_verify_exits_0_when_intact_and_1_naming_the_row_when_tampered()
    {
        await ActivityAsync();
        var intact = await RibatProcess.RunAsync(["audit", "verify", .. factory.StorageArgs]);
        intact.ExitCode.Should().Be(0, intact.ToString());
        intact.Stdout.Should().StartWith("Audit log intact: ");
        var printedHead = intact.Stdout.Trim().Split("head ")[1];
        var againstHead = await RibatProcess.RunAsync(["audit", "verify", "--expect", printedHead, .. factory.StorageArgs]);
        againstHead.ExitCode.Should().Be(0, againstHead.ToString());
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync(["audit", "verify", "--expect", "12:not-a-hash", .. factory.StorageArgs]), 2, "--expect");

        var target = (await RowsAsync())[^2];
        try
        {
            await ExecuteAsync($"UPDATE audit_log SET \"TargetId\" = 'forged' WHERE \"Sequence\" = {target.Sequence}");

            var broken = await RibatProcess.RunAsync(["audit", "verify", .. factory.StorageArgs]);

            broken.ExitCode.Should().Be(1, broken.ToString());
            broken.Stdout.Should().Contain($"BROKEN at row {target.Sequence}").And.Contain($"row {target.Sequence} was altered");
            broken.Stderr.Should().NotContain("   at ");
        }
        finally
        {
            await ExecuteAsync($"UPDATE audit_log SET \"TargetId\" = {Quote(target.TargetId)} WHERE \"Sequence\" = {target.Sequence}");
        }
    }

    [DbFact]
    public async Task Export_streams_every_visible_row_oldest_first_as_json_lines()
    {
        var tenant = await ActivityAsync();

        var response = await factory.ClientWith(tenant.AdminSecret).GetAsync("/api/v1/audit/export");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/x-ndjson");
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var rows = lines.Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!).ToList();
        rows.Should().NotBeEmpty();
        rows.Select(r => r["sequence"]!.GetValue<long>()).Should().BeInAscendingOrder();
        rows.Should().OnlyContain(r => r["organisationId"]!.GetValue<Guid>() == tenant.Organisation.Id);
    }
}

public sealed class AuditTestsSqlite(SqliteFactory factory) : AuditTests<SqliteFactory>(factory);

public sealed class AuditTestsPostgres(PostgresFactory factory) : AuditTests<PostgresFactory>(factory);
