using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Ribat.Core.Cases;
using Ribat.Core.Evidence;
using Ribat.Core.Prosecution;
using Ribat.Core.Sharing;

namespace Ribat.Core.Tests.Prosecution;

/// <summary>
/// The offline verifier over packages built in memory: a whole package holds, and hostile archives (unsafe member
/// names, a zip bomb, truncated, random or non-zip bytes) are refused with a reason, never an exception.
/// </summary>
public sealed class PackageVerifierTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ribat-package-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_package_as_written_verifies_and_names_its_signing_key()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var path = await WriteAsync(key);
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));

        var report = PackageVerifier.Verify(path, new PackageTrust(Fingerprint: string.Join(':', fingerprint.Chunk(2).Select(c => new string(c)).ToArray()).ToUpperInvariant())).Value!;
        report.Problems.Should().BeEmpty();
        report.KeyPinned.Should().BeTrue();
        report.EvidenceFiles.Should().Be(1);
        report.CustodyEntries.Should().Be(2);
        report.Fingerprint.Should().Be(fingerprint);

        PackageVerifier.Verify(path, new PackageTrust(PublicKey: key.ExportSubjectPublicKeyInfo())).Value!.Intact.Should().BeTrue();
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        PackageVerifier.Verify(path, new PackageTrust(PublicKey: other.ExportSubjectPublicKeyInfo())).Value!.Problems.Should().ContainSingle(p => p.StartsWith("key does not match"));
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("evidence/../../x")]
    [InlineData("C:/windows/x")]
    [InlineData("evidence\\..\\x")]
    public async Task A_member_with_an_unsafe_name_is_refused_unread(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var path = await WriteAsync(key);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            using var writer = new StreamWriter(zip.CreateEntry(name).Open());
            writer.Write("owned");
        }

        var report = PackageVerifier.Verify(path, new PackageTrust()).Value!;
        report.Problems.Should().ContainSingle().Which.Should().Contain("unsafe name");
    }

    [Fact]
    public async Task A_zip_bomb_is_refused_before_it_is_inflated()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var path = await WriteAsync(key);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            using var bomb = zip.CreateEntry("evidence/bomb.bin", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 64; i++)
            {
                bomb.Write(zeros);
            }
        }

        var report = PackageVerifier.Verify(path, new PackageTrust()).Value!;
        report.Problems.Should().ContainSingle().Which.Should().Contain("zip bomb");
    }

    [Fact]
    public async Task Truncated_random_and_missing_archives_are_errors_not_exceptions()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var bytes = await File.ReadAllBytesAsync(await WriteAsync(key));
        var random = new Random(6);
        var cases = new List<byte[]> { Array.Empty<byte>(), "not a zip at all"u8.ToArray(), bytes[..(bytes.Length / 2)], bytes[..^10] };
        for (var i = 0; i < 40; i++)
        {
            var mutated = (byte[])bytes.Clone();
            for (var j = 0; j < 8; j++)
            {
                mutated[random.Next(mutated.Length)] ^= (byte)random.Next(1, 256);
            }

            cases.Add(mutated);
        }

        foreach (var (content, index) in cases.Select((c, i) => (c, i)))
        {
            var path = Path.Combine(_directory, $"damaged-{index}.zip");
            await File.WriteAllBytesAsync(path, content);
            var result = PackageVerifier.Verify(path, new PackageTrust());
            (result.Error is not null || !result.Value!.Intact).Should().BeTrue($"case {index} is damaged");
        }

        PackageVerifier.Verify(Path.Combine(_directory, "absent.zip"), new PackageTrust()).Error!.Message.Should().Contain("cannot read");
    }

    [Fact]
    public void Member_names_are_made_safe_for_any_unzip_tool()
    {
        PackageFormat.SafeName("../../etc/passwd").Should().Be("_.._etc_passwd");
        PackageFormat.SafeName("..").Should().Be("file");
        PackageFormat.SafeName("photo 1.jpg").Should().Be("photo_1.jpg");
        PackageVerifier.IsSafeName(PackageFormat.EvidencePath(Guid.NewGuid(), "../x")).Should().BeTrue();
    }

    /// <summary>A one-item package signed with <paramref name="key"/>, written as the export writes it.</summary>
    private async Task<string> WriteAsync(ECDsa key)
    {
        var content = Encoding.UTF8.GetBytes("exhibit A: chat log");
        var at = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
        var item = new EvidenceItem
        {
            Id = Guid.CreateVersion7(),
            CaseId = Guid.CreateVersion7(),
            OwnerOrganisationId = Guid.CreateVersion7(),
            FileName = "chat.txt",
            Size = content.Length,
            Md5 = Convert.ToHexStringLower(MD5.HashData(content)),
            Sha1 = Convert.ToHexStringLower(SHA1.HashData(content)),
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
            AcquiredByName = "Analyst",
            AcquiredAt = at,
            RecordedAt = at,
            SealNumber = "S-1",
        };
        var acquire = new CustodyEntry { EvidenceId = item.Id, Sequence = 1, Action = CustodyAction.Acquire, OccurredAt = at, ActorName = "Analyst", VerifiedSha256 = item.Sha256, AcquisitionDigest = CustodyChain.AcquisitionDigest(item) };
        CustodyChain.Link(acquire, CustodyChain.Genesis);
        var export = new CustodyEntry { EvidenceId = item.Id, Sequence = 2, Action = CustodyAction.Export, OccurredAt = at.AddHours(1), ActorName = "Analyst", VerifiedSha256 = item.Sha256 };
        CustodyChain.Link(export, acquire.Hash);
        var summary = new CaseDto(item.CaseId!.Value, "Test case", null, ["illegal-access"], [], "open", null, at, [], new CaseMemberDto(Guid.Empty, "Analyst"), [], [], item.OwnerOrganisationId,
            null, false, 1, null!, at, at);

        var path = Path.Combine(_directory, $"{Guid.NewGuid():N}.zip");
        await using var file = File.Create(path);
        using var writer = new PackageWriter(file);
        (await writer.AddFileAsync(PackageFormat.EvidencePath(item.Id, item.FileName), item.Id, new MemoryStream(content), CancellationToken.None)).Error.Should().BeNull();
        writer.AddJson(PackageFormat.AcquisitionPath(item.Id), PackageFormat.AcquisitionRole, item.Id, PackagedAcquisition.From(item));
        writer.AddJson(PackageFormat.CustodyPath(item.Id), PackageFormat.CustodyRole, item.Id, new PackagedCustody(item.Id, [PackagedCustodyEntry.From(acquire), PackagedCustodyEntry.From(export)]));
        writer.AddJson(PackageFormat.CasePath, PackageFormat.CaseRole, null, summary);
        writer.AddJson(PackageFormat.CaseUcoPath, PackageFormat.CaseUcoRole, null,
            CaseUcoDocument.Build(summary, [item], new[] { acquire, export }.ToLookup(e => e.EvidenceId), writer.Files));
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
        writer.Seal(new PackageManifest(PackageFormat.Version, Guid.CreateVersion7(), at, Guid.CreateVersion7(), fingerprint, item.CaseId!.Value, "Test case", "Analyst", writer.Files), key);
        return path;
    }
}
