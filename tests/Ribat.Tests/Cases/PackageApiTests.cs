using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Node;
using Ribat.Core.Tenancy;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Cases;

/// <summary>
/// The prosecution package through the API, then <c>ribat verify</c> as a subprocess: a whole package exits 0, each
/// kind of tampering exits 1 naming what changed, and an H1 item waits for the owner's court-use permission.
/// </summary>
public abstract class PackageApiTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    [DbFact]
    public async Task An_exported_package_verifies_offline_and_every_kind_of_tampering_is_named()
    {
        var tenant = await factory.CreateTenantAsync();
        var client = factory.ClientWith(tenant.AnalystSecret);
        var caseId = (await CaseApiTests<TFactory>.OpenAsync(client, new { title = RibatFactory.Unique("Botnet") }))["id"]!.GetValue<Guid>();
        var evidence = RandomNumberGenerator.GetBytes(3000);
        var first = (await EvidenceApiTests<TFactory>.UploadAsync(client, caseId, evidence, "fileName=memory.raw&sealNumber=S-9"))["id"]!.GetValue<Guid>();
        var second = (await EvidenceApiTests<TFactory>.UploadAsync(client, caseId, "chat log"u8.ToArray(), "fileName=chat.txt"))["id"]!.GetValue<Guid>();
        (await client.PostAsJsonAsync($"/api/v1/evidence/{second}/custody", new { action = "analyse", notes = "keywords" })).StatusCode.Should().Be(HttpStatusCode.Created);
        (await client.PostAsJsonAsync($"/api/v1/cases/{caseId}/timeline", new { text = "Suspect's laptop seized", source = "search report" })).StatusCode.Should().Be(HttpStatusCode.Created);

        var response = await client.PostAsJsonAsync($"/api/v1/cases/{caseId}/package", new { purpose = "for the prosecutor" });
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/zip");
        var package = Path.Combine(factory.DataDirectory, $"{Guid.NewGuid():N}.zip");
        await File.WriteAllBytesAsync(package, await response.Content.ReadAsByteArrayAsync());

        var custody = await client.GetFromJsonAsync<JsonObject>($"/api/v1/evidence/{second}/custody");
        custody!["items"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()).Should().Equal("acquire", "analyse", "export");
        await using (var db = factory.Database.Open(TenantScope.NodeWide("test")))
        {
            (await db.AuditEntries.CountAsync(e => e.Code == 504 && e.TargetId == caseId.ToString())).Should().Be(1);
        }

        // The case's timeline and findings travel in the package, signed with the rest.
        using (var zip = ZipFile.OpenRead(package))
        {
            var manifest = JsonNode.Parse(zip.GetEntry("manifest.json")!.Open())!;
            manifest["files"]!.AsArray().Select(f => f!["role"]!.GetValue<string>()).Should().Contain(["timeline", "findings"]);
            var timeline = JsonNode.Parse(zip.GetEntry("timeline.json")!.Open())!.AsArray();
            timeline.Select(t => t!["text"]?.GetValue<string>()).Should().Contain("Suspect's laptop seized", "the analyst's entry is in it");
            timeline.Count(t => t!["kind"]!.GetValue<string>() == "custody").Should().Be(5, "every custody step of both items, the exports included");
            JsonNode.Parse(zip.GetEntry("findings.json")!.Open())!.AsArray().Should().BeEmpty("nothing was analysed");
        }

        using var nodeKey = NodeKey.LoadOrCreate(factory.DataDirectory).Value!;
        var whole = await RibatProcess.RunAsync(["verify", package, "--fingerprint", nodeKey.Fingerprint]);
        whole.ExitCode.Should().Be(0, whole.ToString());
        whole.Stdout.Should().Contain("Package intact").And.Contain("2 evidence file(s), 5 custody entries").And.Contain("matches the key given");

        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await Broken(package, null, ["--fingerprint", Convert.ToHexStringLower(SHA256.HashData(other.ExportSubjectPublicKeyInfo()))], "key does not match the given fingerprint");
        await Broken(package, FlipEvidenceByte(evidence), [], $"file evidence/{first:D}/memory.raw changed");
        await Broken(package, zip => zip.GetEntry($"custody/{first:D}.json")!.Delete(), [], $"file custody/{first:D}.json was removed");
        await Broken(package, zip => Write(zip, "evidence/extra.txt", "planted"u8.ToArray()), [], "file evidence/extra.txt was added");
        await Broken(package, zip =>
        {
            zip.GetEntry("timeline.json")!.Delete();
            Write(zip, "timeline.json", "[]"u8.ToArray());
        }, [], "file timeline.json changed");
        await Broken(package, zip => Rewrite(zip, "manifest.json", json => json["caseTitle"] = "Another case"), [], "signature forged or manifest.json changed");
        await Broken(package, zip => Rewrite(zip, "signature.json", json =>
        {
            json["signature"] = Convert.ToBase64String(other.SignData("{}"u8.ToArray(), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        }), [], "signature forged or manifest.json changed");
        await Broken(package, zip => Rewrite(zip, $"custody/{second:D}.json", json => json["entries"]![1]!["notes"] = "nothing"), [],
            $"custody entry 2 of item {second} is broken: entry 2 was altered");

        var usage = await RibatProcess.RunAsync(["verify", Path.Combine(factory.DataDirectory, "absent.zip")]);
        usage.ExitCode.Should().Be(2, usage.ToString());
        await File.WriteAllTextAsync(package + ".txt", "not a zip");
        var notZip = await RibatProcess.RunAsync(["verify", package + ".txt"]);
        notZip.ExitCode.Should().Be(2, notZip.ToString());
        notZip.Stderr.Should().Contain("is not a zip archive").And.NotContain("   at ");
    }

    [DbFact]
    public async Task An_h1_item_goes_into_a_partners_package_only_once_the_owner_records_court_use()
    {
        var owner = await factory.CreateTenantAsync();
        var partner = await factory.CreateTenantAsync();
        var ownerClient = factory.ClientWith(owner.AnalystSecret);
        var partnerClient = factory.ClientWith(partner.AnalystSecret);
        var caseId = (await CaseApiTests<TFactory>.OpenAsync(ownerClient, new { title = RibatFactory.Unique("Joint"), partners = new[] { partner.Organisation.Id } }))["id"]!.GetValue<Guid>();
        var item = (await EvidenceApiTests<TFactory>.UploadAsync(ownerClient, caseId, "source report"u8.ToArray(), "fileName=source.txt&handling=H1"))["id"]!.GetValue<Guid>();

        var refused = await partnerClient.PostAsJsonAsync($"/api/v1/cases/{caseId}/package", new { });
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await refused.Content.ReadAsStringAsync()).Should().Contain($"source.txt ({item}").And.Contain("h1-court-use-needs-permission");
        (await ownerClient.GetFromJsonAsync<JsonObject>($"/api/v1/evidence/{item}/custody"))!["items"]!.AsArray().Should().ContainSingle("a refused export records nothing");

        (await ownerClient.PutAsJsonAsync($"/api/v1/cases/{caseId}", new { title = "Joint", sharing = new { courtUse = new[] { partner.Organisation.Id } } }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        var granted = await partnerClient.PostAsJsonAsync($"/api/v1/cases/{caseId}/package", new { });
        granted.StatusCode.Should().Be(HttpStatusCode.OK, await granted.Content.ReadAsStringAsync());
        (await ownerClient.GetFromJsonAsync<JsonObject>($"/api/v1/evidence/{item}/custody"))!["items"]!.AsArray().Last()!["action"]!.GetValue<string>().Should().Be("export");
    }

    private static async Task Broken(string package, Action<ZipArchive>? tamper, string[] args, string reason)
    {
        var copy = $"{package}.{Guid.NewGuid():N}.zip";
        File.Copy(package, copy);
        if (tamper is not null)
        {
            using var zip = ZipFile.Open(copy, ZipArchiveMode.Update);
            tamper(zip);
        }

        var run = await RibatProcess.RunAsync(["verify", copy, .. args]);
        run.ExitCode.Should().Be(1, run.ToString());
        run.Stdout.Should().Contain(reason, run.ToString());
    }

    /// <summary>Evidence is stored uncompressed, so one byte of it can be flipped in place, as a damaged copy would be.</summary>
    private static Action<ZipArchive> FlipEvidenceByte(byte[] evidence) => zip =>
    {
        var entry = zip.Entries.Single(e => e.FullName.EndsWith("memory.raw", StringComparison.Ordinal));
        var bytes = (byte[])evidence.Clone();
        bytes[1234] ^= 0x01;
        entry.Delete();
        Write(zip, entry.FullName, bytes);
    };

    private static void Write(ZipArchive zip, string name, byte[] bytes)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        stream.Write(bytes);
    }

    private static void Rewrite(ZipArchive zip, string name, Action<JsonObject> edit)
    {
        var entry = zip.GetEntry(name)!;
        JsonObject json;
        using (var reader = entry.Open())
        {
            json = JsonNode.Parse(reader)!.AsObject();
        }

        edit(json);
        entry.Delete();
        Write(zip, name, System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()));
    }
}

public sealed class PackageApiTestsSqlite(SqliteFactory factory) : PackageApiTests<SqliteFactory>(factory);

public sealed class PackageApiTestsPostgres(PostgresFactory factory) : PackageApiTests<PostgresFactory>(factory);
