using Ribat.Tests.Infrastructure;

namespace Ribat.Tests;

/// <summary>
/// <c>ribat intel import | export</c> as a subprocess. The MISP event is real: PyMISP's test suite
/// (MISP/PyMISP @ 99a1c797, BSD-2), read from ../shared/corpus/misp/events/.
/// </summary>
public sealed class CliIntelTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("ribat-cli-intel-").FullName;

    public async Task InitializeAsync()
    {
        (await RunAsync("admin", "migrate")).ExitCode.Should().Be(0);
        (await RunAsync("admin", "org", "add", "--name", "CERT Intel", "--country", "FR", "--kind", "cert")).ExitCode.Should().Be(0);
        (await RunAsync("admin", "org", "add", "--name", "Police Intel", "--country", "MA", "--kind", "police")).ExitCode.Should().Be(0);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_data, recursive: true);
        return Task.CompletedTask;
    }

    private Task<CliResult> RunAsync(params string[] args) => RibatProcess.RunAsync([.. args, "--data", _data]);

    private static string CorpusEvent(string file) =>
        SharedCorpus.Path("misp", "events", file);

    [Fact]
    public async Task A_misp_event_imports_and_a_block_list_exports_for_its_owner_only()
    {
        var imported = await RunAsync("intel", "import", CorpusEvent("existing_event.json"), "--org", "CERT Intel", "--format", "misp", "--tlp", "amber");
        imported.ExitCode.Should().Be(0, imported.ToString());
        imported.Stdout.Should().Contain("Imported 82 indicator(s)");

        var own = await RunAsync("intel", "export", "--org", "CERT Intel", "--format", "hosts");
        own.ExitCode.Should().Be(0, own.ToString());
        own.Stdout.Should().Contain("0.0.0.0 movieultimate.com");

        var other = await RunAsync("intel", "export", "--org", "Police Intel", "--format", "hosts");
        other.ExitCode.Should().Be(0, other.ToString());
        other.Stdout.Should().NotContain("movieultimate.com", "the event was imported for its owner only");
    }

    [Fact]
    public async Task Bad_rows_are_listed_by_line_and_exit_1_while_bad_files_are_one_line_and_exit_2()
    {
        var csv = Path.Combine(_data, "list.csv");
        await File.WriteAllTextAsync(csv, "value,type\n45.137.21.10,ipv4\n2001:db8::zz,ipv6\n");
        var partly = await RunAsync("intel", "import", csv, "--org", "CERT Intel", "--format", "csv");
        partly.ExitCode.Should().Be(1, partly.ToString());
        partly.Stderr.Should().Contain("line 3").And.Contain("IPv6").And.NotContain("   at ");
        partly.Stdout.Should().Contain("Imported 1 indicator(s)");

        var garbage = Path.Combine(_data, "garbage.json");
        await File.WriteAllBytesAsync(garbage, [0x82, 0x00, 0xff, 0x13]);
        CliAdminTests.ShouldFailWithOneLine(await RunAsync("intel", "import", garbage, "--org", "CERT Intel", "--format", "misp"), 2, "MISP JSON");
        CliAdminTests.ShouldFailWithOneLine(await RunAsync("intel", "import", Path.Combine(_data, "missing.json"), "--org", "CERT Intel", "--format", "misp"), 2, "does not exist");
        CliAdminTests.ShouldFailWithOneLine(await RunAsync("intel", "export", "--org", "Nobody", "--format", "csv"), 2, "Nobody");
        CliAdminTests.ShouldFailWithOneLine(await RunAsync("intel", "export", "--org", "CERT Intel", "--format", "yaml"), 2, "not an export format");
    }

    [Fact]
    public async Task A_stix_bundle_imports_whole_and_exports_again_for_its_owner_only()
    {
        var bundle = SharedCorpus.Path("stix", "poisonivy.json");
        var imported = await RunAsync("intel", "import", bundle, "--org", "CERT Intel", "--format", "stix", "--tlp", "green");
        imported.ExitCode.Should().Be(0, imported.ToString());
        imported.Stdout.Should().Contain("Imported 155 STIX object(s) from poisonivy.json: 155 added").And.Contain("0 reference(s) unresolved");

        var file = Path.Combine(_data, "out.json");
        var own = await RunAsync("intel", "export", "--org", "CERT Intel", "--format", "stix", "--type", "malware", "--output", file);
        own.ExitCode.Should().Be(0, own.ToString());
        using (var exported = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(file)))
        {
            var objects = exported.RootElement.GetProperty("objects").EnumerateArray().ToList();
            objects.Should().HaveCount(25).And.OnlyContain(o => o.GetProperty("type").GetString() == "malware");
            objects.Select(o => o.GetProperty("name").GetString()).Should().Contain("Poison Ivy");
        }

        var other = await RunAsync("intel", "export", "--org", "Police Intel", "--format", "stix");
        other.ExitCode.Should().Be(0, other.ToString());
        other.Stdout.Should().NotContain("Poison Ivy", "the bundle was imported for its owner only");

        var broken = Path.Combine(_data, "broken.json");
        await File.WriteAllTextAsync(broken, """{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}]}""");
        CliAdminTests.ShouldFailWithOneLine(await RunAsync("intel", "import", broken, "--org", "CERT Intel", "--format", "stix"), 2, "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f");
    }
}
