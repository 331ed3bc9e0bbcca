using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Evidence;
using Ribat.Core.Tenancy;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Cases;

/// <summary>
/// Evidence through the API: streamed acquisition with its three digests, download recorded as access, transfers
/// acknowledged by their receiver, and tampering with the store or the custody rows named by item and entry, in the
/// API and by <c>ribat evidence verify</c>.
/// </summary>
public abstract class EvidenceApiTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    private string StoreRoot => Path.Combine(factory.DataDirectory, EvidenceStore.FolderName);

    internal static async Task<JsonObject> UploadAsync(HttpClient client, Guid caseId, byte[] bytes, string query = "fileName=disk.img")
    {
        var response = await client.PostAsync($"/api/v1/cases/{caseId}/evidence?{query}", new ByteArrayContent(bytes));
        return await response.ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
    }

    private async Task<(Tenant Tenant, HttpClient Client, Guid CaseId)> CaseAsync()
    {
        var tenant = await factory.CreateTenantAsync();
        var client = factory.ClientWith(tenant.AnalystSecret);
        var opened = await CaseApiTests<TFactory>.OpenAsync(client, new { title = RibatFactory.Unique("Case") });
        return (tenant, client, opened["id"]!.GetValue<Guid>());
    }

    [DbFact]
    public async Task An_upload_is_stored_under_its_sha256_with_md5_sha1_and_sha256_and_its_acquisition_record()
    {
        var (_, client, caseId) = await CaseAsync();
        var abc = await UploadAsync(client, caseId, "abc"u8.ToArray(),
            "fileName=C:%5Ccases%5Cabc.txt&method=logical%20copy&tool=FTK%20Imager&toolVersion=4.7.1&sourceDevice=laptop%20SN%2042&sealNumber=S-001&acquiredWhere=Tunis&handling=H2&evaluation=B2");

        // RFC 1321, RFC 3174 and FIPS 180-2 test vectors for "abc".
        abc["md5"]!.GetValue<string>().Should().Be("900150983cd24fb0d6963f7d28e17f72");
        abc["sha1"]!.GetValue<string>().Should().Be("a9993e364706816aba3e25717850c26c9cd0d89d");
        abc["sha256"]!.GetValue<string>().Should().Be("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        abc["fileName"]!.GetValue<string>().Should().Be("abc.txt", "only the name is kept of a client path");
        abc["acquisition"]!["tool"]!.GetValue<string>().Should().Be("FTK Imager");
        abc["acquisition"]!["sealNumber"]!.GetValue<string>().Should().Be("S-001");
        abc["sharing"]!["handling"]!.GetValue<string>().Should().Be("H2");
        abc["sharing"]!["evaluation"]!.GetValue<string>().Should().Be("B2");
        abc["state"]!.GetValue<string>().Should().Be("held");
        File.Exists(Path.Combine(StoreRoot, "sha256", "ba", "78", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")).Should().BeTrue();

        // Several chunks, and a multipart form as browsers send it.
        var large = RandomNumberGenerator.GetBytes(5 * 1024 * 1024 + 17);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(large), "file", "image.dd" } };
        var multipart = await (await client.PostAsync($"/api/v1/cases/{caseId}/evidence?method=dd", form)).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        multipart["fileName"]!.GetValue<string>().Should().Be("image.dd");
        multipart["size"]!.GetValue<long>().Should().Be(large.Length);
        multipart["md5"]!.GetValue<string>().Should().Be(Convert.ToHexStringLower(MD5.HashData(large)));
        multipart["sha1"]!.GetValue<string>().Should().Be(Convert.ToHexStringLower(SHA1.HashData(large)));
        multipart["sha256"]!.GetValue<string>().Should().Be(Convert.ToHexStringLower(SHA256.HashData(large)));

        var list = await client.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}/evidence");
        list!["items"]!.AsArray().Select(i => i!["fileName"]!.GetValue<string>()).Should().Equal("abc.txt", "image.dd");
        (await client.PostAsync($"/api/v1/cases/{caseId}/evidence", new ByteArrayContent([1]))).StatusCode.Should().Be(HttpStatusCode.BadRequest, "the file is named");
        Directory.EnumerateFiles(Path.Combine(StoreRoot, "incoming")).Should().BeEmpty();
    }

    [DbFact]
    public async Task A_transfer_is_acknowledged_by_its_receiver_only_and_every_step_extends_the_chain()
    {
        var (tenant, client, caseId) = await CaseAsync();
        var receiver = await factory.CreateUserAsync(tenant.Organisation.Id, Roles.Investigator);
        var receiverClient = factory.ClientWith((await factory.CreateTokenAsync(receiver.Id)).Secret);
        var item = (await UploadAsync(client, caseId, "exhibit"u8.ToArray()))["id"]!.GetValue<Guid>();

        (await client.PostAsJsonAsync($"/api/v1/evidence/{item}/custody", new { action = "seal" })).StatusCode.Should().Be(HttpStatusCode.BadRequest, "a seal has a number");
        (await client.PostAsJsonAsync($"/api/v1/evidence/{item}/custody", new { action = "seal", sealNumber = "S-77" })).StatusCode.Should().Be(HttpStatusCode.Created);
        (await client.PostAsJsonAsync($"/api/v1/evidence/{item}/custody", new { action = "transfer", toUserId = tenant.Admin.Id })).StatusCode.Should().Be(HttpStatusCode.Created);
        var pending = await client.GetFromJsonAsync<JsonObject>($"/api/v1/evidence/{item}");
        pending!["state"]!.GetValue<string>().Should().Be("in-transfer");
        (await client.PostAsJsonAsync($"/api/v1/evidence/{item}/custody", new { action = "dispose", notes = "burnt" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await receiverClient.PostAsJsonAsync($"/api/v1/evidence/{item}/custody/acknowledge", new { })).StatusCode.Should().Be(HttpStatusCode.Forbidden, "not the named receiver");
        var received = await (await factory.ClientWith(tenant.AdminSecret).PostAsJsonAsync($"/api/v1/evidence/{item}/custody/acknowledge", new { notes = "bag intact" }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        received["holderId"]!.GetValue<Guid>().Should().Be(tenant.Admin.Id);
        (await client.PostAsJsonAsync($"/api/v1/evidence/{item}/custody", new { action = "transfer", toUserId = receiver.Id })).StatusCode.Should().Be(HttpStatusCode.Forbidden, "the analyst no longer holds it");

        var download = await client.GetAsync($"/api/v1/evidence/{item}/content?purpose=review");
        download.StatusCode.Should().Be(HttpStatusCode.OK);
        (await download.Content.ReadAsByteArrayAsync()).Should().Equal("exhibit"u8.ToArray());
        download.Headers.GetValues("Repr-Digest").Single().Should().StartWith("sha-256=:");

        var custody = await client.GetFromJsonAsync<JsonObject>($"/api/v1/evidence/{item}/custody");
        var entries = custody!["items"]!.AsArray();
        entries.Select(e => e!["action"]!.GetValue<string>()).Should().Equal("acquire", "seal", "transfer", "receive", "access");
        entries.Select(e => e!["sequence"]!.GetValue<int>()).Should().Equal(1, 2, 3, 4, 5);
        for (var i = 1; i < entries.Count; i++)
        {
            entries[i]!["previousHash"]!.GetValue<string>().Should().Be(entries[i - 1]!["hash"]!.GetValue<string>());
        }

        entries[3]!["fromUserId"]!.GetValue<Guid>().Should().Be(tenant.Analyst.Id);
        entries[3]!["toUserId"]!.GetValue<Guid>().Should().Be(tenant.Admin.Id);
        entries.Should().AllSatisfy(e => e!["verifiedSha256"]!.GetValue<string>().Should().HaveLength(64));
        var verified = await client.GetFromJsonAsync<JsonObject>($"/api/v1/evidence/{item}/verification");
        verified!["intact"]!.GetValue<bool>().Should().BeTrue();
        verified["entries"]!.GetValue<int>().Should().Be(5);
    }

    [DbFact]
    public async Task A_flipped_byte_in_the_store_and_an_edited_custody_row_are_named_by_item_and_entry()
    {
        var (_, client, caseId) = await CaseAsync();
        var bytes = RandomNumberGenerator.GetBytes(4096);
        var flipped = (await UploadAsync(client, caseId, bytes, "fileName=flipped.bin"))["id"]!.GetValue<Guid>();
        var edited = (await UploadAsync(client, caseId, RandomNumberGenerator.GetBytes(100), "fileName=edited.bin"))["id"]!.GetValue<Guid>();
        var whole = (await UploadAsync(client, caseId, RandomNumberGenerator.GetBytes(100), "fileName=whole.bin"))["id"]!.GetValue<Guid>();
        foreach (var id in new[] { edited, whole })
        {
            (await client.PostAsJsonAsync($"/api/v1/evidence/{id}/custody", new { action = "analyse", notes = "hashes checked" })).StatusCode.Should().Be(HttpStatusCode.Created);
            (await client.PostAsJsonAsync($"/api/v1/evidence/{id}/custody", new { action = "copy", notes = "working copy" })).StatusCode.Should().Be(HttpStatusCode.Created);
        }

        var cli = await RibatProcess.RunAsync(["evidence", "verify", "--case", caseId.ToString(), .. factory.StorageArgs]);
        cli.ExitCode.Should().Be(0, cli.ToString());
        cli.Stdout.Should().Contain("Evidence intact: 3 item(s), 7 custody entries");

        var path = Path.Combine(StoreRoot, "sha256", Convert.ToHexStringLower(SHA256.HashData(bytes))[..2], Convert.ToHexStringLower(SHA256.HashData(bytes))[2..4], Convert.ToHexStringLower(SHA256.HashData(bytes)));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        await using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = 2000;
            var b = file.ReadByte();
            file.Position = 2000;
            file.WriteByte((byte)(b ^ 0x01));
        }

        await using (var db = factory.Database.Open(TenantScope.NodeWide("test")))
        {
            (await db.CustodyEntries.Where(e => e.EvidenceId == edited && e.Sequence == 2).ExecuteUpdateAsync(s => s.SetProperty(e => e.Notes, "nothing to see"))).Should().Be(1);
        }

        var api = await client.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}/verification");
        api!["intact"]!.GetValue<bool>().Should().BeFalse();
        var problems = api["problems"]!.AsArray();
        problems.Should().HaveCount(2, problems.ToJsonString());
        problems.Should().ContainSingle(p => p!["itemId"]!.GetValue<Guid>() == flipped && p["entry"] == null && p["problem"]!.GetValue<string>().Contains("stored file was changed"));
        problems.Should().ContainSingle(p => p!["itemId"]!.GetValue<Guid>() == edited && p["entry"]!.GetValue<int>() == 2 && p["problem"]!.GetValue<string>().Contains("altered"));

        var broken = await RibatProcess.RunAsync(["evidence", "verify", .. factory.StorageArgs]);
        broken.ExitCode.Should().Be(1, broken.ToString());
        broken.Stdout.Should().Contain($"BROKEN item {flipped} (flipped.bin").And.Contain($"BROKEN item {edited} (edited.bin, case {caseId}), entry 2: entry 2 was altered")
            .And.NotContain($"BROKEN item {whole}");

        // A step over a changed file is refused, and the refusal is audited.
        (await client.GetAsync($"/api/v1/evidence/{flipped}/content")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await client.PostAsJsonAsync($"/api/v1/evidence/{flipped}/custody", new { action = "export", notes = "to court" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        await using (var db = factory.Database.Open(TenantScope.NodeWide("test")))
        {
            (await db.AuditEntries.CountAsync(e => e.Code == 514 && e.TargetId == flipped.ToString())).Should().Be(2);
        }

        var usage = await RibatProcess.RunAsync(["evidence", "verify", "--case", "not-a-guid", .. factory.StorageArgs]);
        usage.ExitCode.Should().Be(2, usage.ToString());
        usage.Stderr.Trim().Split('\n').Should().ContainSingle();
    }

    [DbFact]
    public async Task An_upload_aborted_half_way_leaves_no_row_and_no_file()
    {
        var (_, client, caseId) = await CaseAsync();
        string[] Stored() => Directory.Exists(Path.Combine(StoreRoot, "sha256"))
            ? Directory.EnumerateFiles(Path.Combine(StoreRoot, "sha256"), "*", SearchOption.AllDirectories).Order().ToArray()
            : [];
        var before = Stored();

        var content = new StreamContent(new FailingStream(3 * 1024 * 1024));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var send = async () => await client.PostAsync($"/api/v1/cases/{caseId}/evidence?fileName=half.img", content);
        await send.Should().ThrowAsync<Exception>();

        // The server notices the broken body on its own schedule; give it a moment to clean up.
        for (var i = 0; i < 50 && Directory.EnumerateFiles(Path.Combine(StoreRoot, "incoming")).Any(); i++)
        {
            await Task.Delay(100);
        }

        Directory.EnumerateFiles(Path.Combine(StoreRoot, "incoming")).Should().BeEmpty();
        Stored().Should().Equal(before);
        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        (await db.EvidenceItems.CountAsync(e => e.CaseId == caseId)).Should().Be(0);
        (await db.AuditEntries.CountAsync(e => e.Code == 510 && e.Details!.Contains(caseId.ToString()))).Should().Be(0);
    }

    [DbFact]
    public async Task Files_acquired_together_commit_together_or_leave_no_row_and_no_file()
    {
        // A web capture is three files that vouch for each other: one refused or broken file must take the others with it.
        var (tenant, _, caseId) = await CaseAsync();
        var analyst = new Actor(tenant.Analyst.Id, tenant.Analyst.Email, tenant.Organisation.Id, new HashSet<string> { Roles.Analyst });
        var acquire = factory.Get<AcquireEvidence>();
        string[] Stored() => Directory.Exists(Path.Combine(StoreRoot, "sha256"))
            ? Directory.EnumerateFiles(Path.Combine(StoreRoot, "sha256"), "*", SearchOption.AllDirectories).Order().ToArray()
            : [];
        var before = Stored();
        var first = RandomNumberGenerator.GetBytes(4096);

        var refused = await acquire.HandleManyAsync(analyst, caseId,
            [(new AcquisitionInput("one.bin"), new MemoryStream(first)), (new AcquisitionInput("  "), new MemoryStream([2]))]);
        refused.Error!.Fields!.Keys.Should().Contain(k => k.StartsWith("files[1].", StringComparison.Ordinal), "the refused file is named by its position");

        var broken = async () => await acquire.HandleManyAsync(analyst, caseId,
            [(new AcquisitionInput("one.bin"), new MemoryStream(first)), (new AcquisitionInput("two.bin"), new FailingStream(1024 * 1024))]);
        await broken.Should().ThrowAsync<IOException>();
        Stored().Should().Equal(before, "the first file, already stored, is removed again when the second breaks");

        var both = await acquire.HandleManyAsync(analyst, caseId,
            [(new AcquisitionInput("one.bin"), new MemoryStream(first)), (new AcquisitionInput("two.bin"), new MemoryStream([2]))]);
        both.Value!.Select(e => e.FileName).Should().Equal("one.bin", "two.bin");
        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        (await db.EvidenceItems.CountAsync(e => e.CaseId == caseId)).Should().Be(2);
        var ids = both.Value!.Select(e => e.Id).ToList();
        (await db.CustodyEntries.CountAsync(c => ids.Contains(c.EvidenceId) && c.Action == CustodyAction.Acquire)).Should().Be(2);
    }

    /// <summary>Yields random bytes, then fails as a dropped connection does.</summary>
    private sealed class FailingStream(long failAfter) : Stream
    {
        private long _sent;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _sent; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_sent >= failAfter)
            {
                throw new IOException("connection reset by the test");
            }

            var n = (int)Math.Min(count, failAfter - _sent);
            RandomNumberGenerator.Fill(buffer.AsSpan(offset, n));
            _sent += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

public sealed class EvidenceApiTestsSqlite(SqliteFactory factory) : EvidenceApiTests<SqliteFactory>(factory);

public sealed class EvidenceApiTestsPostgres(PostgresFactory factory) : EvidenceApiTests<PostgresFactory>(factory);
