using System.Text.Json.Nodes;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests;

/// <summary><c>ribat admin …</c> and <c>ribat audit …</c> as a subprocess on a fresh data directory.</summary>
public sealed class CliAdminTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("ribat-cli-").FullName;

    public async Task InitializeAsync()
    {
        var migrated = await RunAsync("admin", "migrate");
        migrated.ExitCode.Should().Be(0, migrated.ToString());
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_data, recursive: true);
        return Task.CompletedTask;
    }

    private Task<CliResult> RunAsync(params string[] args) => RibatProcess.RunAsync([.. args, "--data", _data]);

    /// <summary>Exit code 2 or 1 with exactly one line on stderr, no stack trace, mentioning <paramref name="words"/>.</summary>
    internal static void ShouldFailWithOneLine(CliResult result, int exitCode, params string[] words)
    {
        result.ExitCode.Should().Be(exitCode, result.ToString());
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Should().ContainSingle(result.ToString());
        lines[0].Should().StartWith("ribat: ");
        (result.Stdout + result.Stderr).Should().NotContain("   at ", "no stack trace");
        foreach (var word in words)
        {
            lines[0].Should().ContainEquivalentOf(word);
        }
    }

    [Fact]
    public async Task Migrate_is_idempotent()
    {
        var again = await RunAsync("admin", "migrate");

        again.ExitCode.Should().Be(0, again.ToString());
        again.Stdout.Should().Contain("is up to date");
        File.Exists(Path.Combine(_data, "ribat.db")).Should().BeTrue();
    }

    [Fact]
    public async Task Commands_on_an_unmigrated_directory_say_so()
    {
        var empty = Directory.CreateTempSubdirectory("ribat-cli-empty-").FullName;
        try
        {
            ShouldFailWithOneLine(await RibatProcess.RunAsync("admin", "list", "orgs", "--data", empty), 2, "not migrated");
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public async Task Org_add_succeeds_refuses_duplicates_and_explains_bad_input()
    {
        var ok = await RunAsync("admin", "org", "add", "--name", "DGSN Cyber", "--country", "ma", "--kind", "Police");
        ok.ExitCode.Should().Be(0, ok.ToString());
        ok.Stdout.Should().Contain("Created organisation 'DGSN Cyber' (MA, police)");

        ShouldFailWithOneLine(await RunAsync("admin", "org", "add", "--name", "DGSN Cyber", "--country", "FR", "--kind", "cert"), 1, "already exists");
        ShouldFailWithOneLine(await RunAsync("admin", "org", "add", "--name", "X1", "--country", "XX", "--kind", "cert"), 2, "country", "XX");
        ShouldFailWithOneLine(await RunAsync("admin", "org", "add", "--name", "X2", "--country", "FR", "--kind", "1"), 2, "kind");
        ShouldFailWithOneLine(await RunAsync("admin", "org", "add", "--name", "X3", "--country", "FR", "--kind", "police,prosecutor"), 2, "kind");
        ShouldFailWithOneLine(await RunAsync("admin", "org", "add", "--country", "FR", "--kind", "cert"), 2, "--name");
    }

    [Fact]
    public async Task User_add_takes_several_roles_and_prints_a_one_time_password_only_when_generated()
    {
        (await RunAsync("admin", "org", "add", "--name", "Users Org", "--country", "JO", "--kind", "cert")).ExitCode.Should().Be(0);

        var generated = await RunAsync("admin", "user", "add", "--org", "Users Org", "--email", "lina@cert.example", "--role", "analyst", "--role", "investigator");
        generated.ExitCode.Should().Be(0, generated.ToString());
        generated.Stdout.Should().Contain("Created user lina@cert.example (analyst, investigator)");
        generated.Stdout.Should().MatchRegex(@"One-time password: [A-Za-z0-9]{20}\s");

        var chosen = await RunAsync("admin", "user", "add", "--org", "Users Org", "--email", "omar@cert.example", "--role", "viewer", "--password", "a long enough password");
        chosen.ExitCode.Should().Be(0, chosen.ToString());
        chosen.Stdout.Should().NotContain("One-time password");

        ShouldFailWithOneLine(await RunAsync("admin", "user", "add", "--org", "No Such Org", "--email", "x@x.example", "--role", "viewer"), 2, "No Such Org");
        ShouldFailWithOneLine(await RunAsync("admin", "user", "add", "--org", "Users Org", "--email", "lina@cert.example", "--role", "viewer"), 1, "already exists");
        ShouldFailWithOneLine(await RunAsync("admin", "user", "add", "--org", "Users Org", "--email", "bad", "--role", "wizard"), 2, "e-mail");
    }

    [Fact]
    public async Task Token_add_prints_only_the_token()
    {
        (await RunAsync("admin", "org", "add", "--name", "Token Org", "--country", "TN", "--kind", "cert")).ExitCode.Should().Be(0);
        (await RunAsync("admin", "user", "add", "--org", "Token Org", "--email", "sami@cert.example", "--role", "analyst")).ExitCode.Should().Be(0);

        var token = await RunAsync("admin", "token", "add", "--user", "sami@cert.example", "--scope", "write", "--days", "7");

        token.ExitCode.Should().Be(0, token.ToString());
        token.Stdout.Should().MatchRegex(@"^rbt_[A-Za-z0-9_-]{40,}\r?\n$", "scripts capture the token with $(ribat admin token add …)");
        token.Stderr.Should().BeEmpty();
        ShouldFailWithOneLine(await RunAsync("admin", "token", "add", "--user", "nobody@x.example"), 2, "nobody@x.example");
        ShouldFailWithOneLine(await RunAsync("admin", "token", "add", "--user", "sami@cert.example", "--scope", "root"), 2, "root");
        ShouldFailWithOneLine(await RunAsync("admin", "token", "add", "--user", "sami@cert.example", "--days", "9999"), 2, "days");
    }

    [Fact]
    public async Task List_prints_table_json_and_csv()
    {
        (await RunAsync("admin", "org", "add", "--name", "Police, \"Cyber\" Unit", "--country", "DZ", "--kind", "police")).ExitCode.Should().Be(0);
        (await RunAsync("admin", "org", "add", "--name", "=HYPERLINK(\"x\")", "--country", "DZ", "--kind", "cert")).ExitCode.Should().Be(0);
        (await RunAsync("admin", "user", "add", "--org", "Police, \"Cyber\" Unit", "--email", "nadia@police.example", "--role", "org-admin", "--role", "liaison")).ExitCode.Should().Be(0);

        var table = await RunAsync("admin", "list", "orgs");
        table.ExitCode.Should().Be(0, table.ToString());
        table.Stdout.Split('\n')[0].Should().MatchRegex(@"^NAME\s+COUNTRY\s+KIND\s+2FA\s+ID");
        table.Stdout.Should().Contain("Police, \"Cyber\" Unit");

        var json = await RunAsync("admin", "list", "orgs", "--format", "json");
        json.ExitCode.Should().Be(0, json.ToString());
        var orgs = JsonNode.Parse(json.Stdout)!.AsArray();
        orgs.Select(o => o!["name"]!.GetValue<string>()).Should().Contain(["Police, \"Cyber\" Unit", "=HYPERLINK(\"x\")"]);

        var csv = await RunAsync("admin", "list", "orgs", "--format", "csv");
        csv.ExitCode.Should().Be(0, csv.ToString());
        var rows = ParseCsv(csv.Stdout);
        rows[0].Should().Equal("NAME", "COUNTRY", "KIND", "2FA", "ID");
        rows.Skip(1).Should().OnlyContain(r => r.Count == 5, "quoted commas stay inside their cell");
        rows.Should().Contain(r => r[0] == "Police, \"Cyber\" Unit" && r[1] == "DZ" && r[2] == "police");
        rows.Should().Contain(r => r[0] == "'=HYPERLINK(\"x\")", "formula-like cells are defused for spreadsheets");

        var users = await RunAsync("admin", "list", "users", "--format", "json");
        users.ExitCode.Should().Be(0, users.ToString());
        var nadia = JsonNode.Parse(users.Stdout)!.AsArray().Single(u => u!["email"]!.GetValue<string>() == "nadia@police.example")!;
        nadia["roles"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Equal("liaison", "org-admin");
        var userCsv = ParseCsv((await RunAsync("admin", "list", "users", "--format", "csv")).Stdout);
        userCsv[0].Should().Equal("EMAIL", "NAME", "ROLES", "2FA", "DISABLED", "ORGANISATION", "ID");
        userCsv.Should().Contain(r => r[0] == "nadia@police.example" && r[2] == "liaison org-admin");

        ShouldFailWithOneLine(await RunAsync("admin", "list", "things"), 2, "things");
        ShouldFailWithOneLine(await RunAsync("admin", "list", "orgs", "--format", "xml"), 2, "xml");
    }

    [Fact]
    public async Task Unknown_command_is_one_line_and_exit_2()
    {
        ShouldFailWithOneLine(await RibatProcess.RunAsync("frobnicate"), 2, "frobnicate");
        ShouldFailWithOneLine(await RibatProcess.RunAsync("admin", "frobnicate", "--data", _data), 2, "frobnicate");
    }

    [Fact]
    public async Task Audit_export_writes_json_lines_and_verify_passes()
    {
        (await RunAsync("admin", "org", "add", "--name", "Audit Org", "--country", "FR", "--kind", "cert")).ExitCode.Should().Be(0);
        var file = Path.Combine(_data, "export.jsonl");

        var export = await RunAsync("audit", "export", "--output", file);
        var verify = await RunAsync("audit", "verify");

        export.ExitCode.Should().Be(0, export.ToString());
        var lines = await File.ReadAllLinesAsync(file);
        lines.Select(l => JsonNode.Parse(l)!["event"]!.GetValue<string>()).Should().Contain(["node.database-migrated", "tenancy.organisation-created"]);
        verify.ExitCode.Should().Be(0, verify.ToString());
        verify.Stdout.Should().Contain("Audit log intact");
    }

    /// <summary>RFC 4180: quoted cells may hold commas and doubled quotes.</summary>
    internal static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var cells = new List<string>();
            var cell = new System.Text.StringBuilder();
            var quoted = false;
            for (var i = 0; i < line.TrimEnd('\r').Length; i++)
            {
                var c = line[i];
                if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = !quoted;
                }
                else if (c == ',' && !quoted)
                {
                    cells.Add(cell.ToString());
                    cell.Clear();
                }
                else
                {
                    cell.Append(c);
                }
            }

            cells.Add(cell.ToString());
            rows.Add(cells);
        }

        return rows;
    }
}
