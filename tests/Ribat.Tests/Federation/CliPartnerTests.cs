using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Federation;

/// <summary><c>ribat admin partner add | list | disable</c> as a subprocess on a fresh data directory.</summary>
public sealed class CliPartnerTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("ribat-cli-partner-").FullName;

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

    private string Write(string name, string text)
    {
        var path = Path.Combine(_data, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string[] AddArgs(string name, Guid node, string keyFile, string credentialFile, string apiRoot = "https://taxii.cert.example/api1") =>
        ["admin", "partner", "add", "--name", name, "--node-id", node.ToString(), "--api-root", apiRoot, "--public-key", keyFile,
            "--user", "ribat-fr", "--credential-file", credentialFile, "--tlp-ceiling", "amber"];

    [Fact]
    public async Task A_partner_is_added_listed_and_disabled_and_its_credential_never_appears()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keyFile = Write("partner.pem", key.ExportSubjectPublicKeyInfoPem());
        var credential = $"cred-{Guid.NewGuid():N}";
        var credentialFile = Write("credential.txt", credential + "\n");
        var node = Guid.CreateVersion7();

        var added = await RunAsync(AddArgs("CERT-EE", node, keyFile, credentialFile));
        added.ExitCode.Should().Be(0, added.ToString());
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
        added.Stdout.Should().Contain("Recorded partner 'CERT-EE'").And.Contain("https://taxii.cert.example/api1/").And.Contain(fingerprint);
        added.Stdout.Should().MatchRegex("Inbound secret: rbp_[A-Za-z0-9_-]{43} ");
        (added.Stdout + added.Stderr).Should().NotContain(credential);

        var listed = await RunAsync("admin", "partner", "list", "--format", "json");
        listed.ExitCode.Should().Be(0, listed.ToString());
        var partner = JsonNode.Parse(listed.Stdout)!.AsArray().Single()!;
        partner["nodeId"]!.GetValue<Guid>().Should().Be(node);
        partner["authentication"]!.GetValue<string>().Should().Be("basic");
        partner["tlpCeiling"]!.GetValue<string>().Should().Be("TLP:AMBER");
        partner["enabled"]!.GetValue<bool>().Should().BeTrue();
        listed.Stdout.Should().NotContain(credential);
        (await RunAsync("admin", "partner", "list")).Stdout.Should().Contain("CERT-EE").And.Contain(fingerprint);

        foreach (var file in Directory.GetFiles(_data, "ribat.db*"))
        {
            File.ReadAllText(file).Should().NotContain(credential, $"{Path.GetFileName(file)} holds the credential encrypted only");
        }

        var disabled = await RunAsync("admin", "partner", "disable", "CERT-EE", "--reason", "exercise over");
        disabled.ExitCode.Should().Be(0, disabled.ToString());
        disabled.Stdout.Should().Contain("Disabled partner 'CERT-EE'");
        (await RunAsync("admin", "partner", "disable", partner["id"]!.GetValue<string>())).Stdout.Should().Contain("already disabled");
        var after = JsonNode.Parse((await RunAsync("admin", "partner", "list", "--format", "json")).Stdout)!.AsArray().Single()!;
        after["enabled"]!.GetValue<bool>().Should().BeFalse();

        var audit = await RunAsync("audit", "export");
        audit.ExitCode.Should().Be(0, audit.ToString());
        audit.Stdout.Should().Contain("federation.partner-added").And.Contain("federation.partner-disabled").And.NotContain(credential);
    }

    [Fact]
    public async Task Bad_input_is_one_line_and_exit_2_and_a_duplicate_is_refused_with_1()
    {
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var good = Write("good.pem", p256.ExportSubjectPublicKeyInfoPem());
        var credential = Write("cred.txt", "secret");

        CliAdminTests.ShouldFailWithOneLine(await RunAsync(AddArgs("X", Guid.CreateVersion7(), good, credential, "not a url")), 2, "apiRoot", "not an absolute");
        CliAdminTests.ShouldFailWithOneLine(await RunAsync(AddArgs("X", Guid.CreateVersion7(), Write("garbage.pem", "hello"), credential)), 2, "publicKey", "not PEM");
        CliAdminTests.ShouldFailWithOneLine(await RunAsync(AddArgs("X", Guid.CreateVersion7(), Write("p384.pem", p384.ExportSubjectPublicKeyInfoPem()), credential)), 2, "P-256");
        CliAdminTests.ShouldFailWithOneLine(await RunAsync(AddArgs("X", Guid.CreateVersion7(), Path.Combine(_data, "missing.pem"), credential)), 2, "public key file");
        CliAdminTests.ShouldFailWithOneLine(await RunAsync(AddArgs("X", Guid.CreateVersion7(), good, Path.Combine(_data, "missing.txt"))), 2, "credential file");
        CliAdminTests.ShouldFailWithOneLine(await RunAsync(AddArgs("X", Guid.CreateVersion7(), good, Write("empty.txt", "\n"))), 2, "credential");
        CliAdminTests.ShouldFailWithOneLine(await RunAsync(["admin", "partner", "add", "--name", "X", "--node-id", "not-a-guid", "--api-root", "https://a.example/", "--public-key", good, "--credential-file", credential]), 2);
        CliAdminTests.ShouldFailWithOneLine(await RunAsync("admin", "partner", "disable", "nobody"), 2, "no partner");

        var node = Guid.CreateVersion7();
        (await RunAsync(AddArgs("CERT-LT", node, good, credential))).ExitCode.Should().Be(0);
        CliAdminTests.ShouldFailWithOneLine(await RunAsync(AddArgs("CERT-LV", node, good, credential)), 1, "already recorded");
        JsonNode.Parse((await RunAsync("admin", "partner", "list", "--format", "json")).Stdout)!.AsArray().Should().ContainSingle("nothing of the refused attempts was stored");
    }
}
