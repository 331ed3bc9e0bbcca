using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Evidence;
using Ribat.Core.Tenancy;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Cases;

/// <summary>
/// A node whose evidence store lies on a small file system of its own (a tmpfs) that runs out of space half-way
/// through an upload sent to the real HTTP endpoint: the uploader gets a 507 problem that says what happened, and
/// nothing is left of the attempt (no item, custody entry, audit row, stored or partial file). Once space is freed,
/// the same upload is acquired whole.
/// </summary>
public abstract class FullDiskUploadTests<TFactory> : IAsyncLifetime
    where TFactory : RibatFactory, new()
{
    private const long StoreSize = 4L * 1024 * 1024;
    private const int UploadSize = 2 * 1024 * 1024 + 4321;

    private readonly TFactory _factory = new();
    private SmallFileSystem? _store;

    private string StoreRoot => EvidenceStore.DirectoryIn(_factory.DataDirectory);

    public async Task InitializeAsync()
    {
        if (!_factory.Enabled || !(MountDbFactAttribute.Requested || (OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess)))
        {
            return;
        }

        // Mounted before the node starts, so the node's store is on it from its first write.
        _store = SmallFileSystem.Mount(StoreRoot, StoreSize);
        await ((IAsyncLifetime)_factory).InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        _store?.Dispose();
        await ((IAsyncLifetime)_factory).DisposeAsync();
    }

    [MountDbFact]
    public async Task An_upload_that_fills_the_store_answers_507_keeps_nothing_and_the_same_upload_works_once_space_is_freed()
    {
        var tenant = await _factory.CreateTenantAsync();
        var client = _factory.ClientWith(tenant.AnalystSecret);
        var caseId = (await CaseApiTests<TFactory>.OpenAsync(client, new { title = RibatFactory.Unique("Seized phone") }))["id"]!.GetValue<Guid>();

        // Ballast leaves less room than the upload needs, so the store fills in the middle of the copy.
        var ballast = Path.Combine(StoreRoot, "ballast");
        await File.WriteAllBytesAsync(ballast, new byte[StoreSize - (UploadSize / 2)]);
        _store!.Free.Should().BeLessThan(UploadSize, "the upload must not fit");
        var image = RandomNumberGenerator.GetBytes(UploadSize);

        var refused = await client.PostAsync($"/api/v1/cases/{caseId}/evidence?fileName=phone.img&sealNumber=P-7", new ByteArrayContent(image));
        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.InsufficientStorage);
        problem["code"]!.GetValue<string>().Should().Be("evidence-store-full");
        problem["type"]!.GetValue<string>().Should().Be("urn:ribat:problem:evidence-store-full");
        problem["detail"]!.GetValue<string>().Should().Contain("evidence store is full").And.Contain("nothing was stored");
        problem["traceId"]!.GetValue<string>().Should().NotBeNullOrEmpty();

        // The same through a multipart form, as the browser sends it.
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(image), "file", "phone.img" } })
        {
            var multipart = await client.PostAsync($"/api/v1/cases/{caseId}/evidence", form);
            (await multipart.ShouldBeProblemAsync(HttpStatusCode.InsufficientStorage))["code"]!.GetValue<string>().Should().Be("evidence-store-full");
        }

        await NothingKeptAsync(caseId, client);
        Directory.EnumerateFiles(StoreRoot, "*", SearchOption.AllDirectories).Should().Equal([ballast], "neither a stored nor a partial file is left");

        File.Delete(ballast);
        var acquired = await (await client.PostAsync($"/api/v1/cases/{caseId}/evidence?fileName=phone.img&sealNumber=P-7", new ByteArrayContent(image)))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        acquired["size"]!.GetValue<long>().Should().Be(UploadSize);
        acquired["sha256"]!.GetValue<string>().Should().Be(Convert.ToHexStringLower(SHA256.HashData(image)));
        File.Exists(Path.Combine(StoreRoot, "sha256", acquired["sha256"]!.GetValue<string>()[..2], acquired["sha256"]!.GetValue<string>()[2..4], acquired["sha256"]!.GetValue<string>()))
            .Should().BeTrue();
        Directory.EnumerateFiles(Path.Combine(StoreRoot, "incoming")).Should().BeEmpty();
        await using (var db = _factory.Database.Open(TenantScope.NodeWide("full disk test")))
        {
            (await db.EvidenceItems.IgnoreQueryFilters().CountAsync(e => e.CaseId == caseId)).Should().Be(1);
            (await db.CustodyEntries.IgnoreQueryFilters().CountAsync()).Should().Be(1);
            (await db.AuditEntries.CountAsync(e => e.Code == AuditEvents.EvidenceAcquired.Code)).Should().Be(1);
        }

        var verification = await client.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}/verification");
        verification!["items"]!.GetValue<int>().Should().Be(1);
        verification["problems"]!.AsArray().Should().BeEmpty();
    }

    private async Task NothingKeptAsync(Guid caseId, HttpClient client)
    {
        var listed = await client.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}/evidence");
        listed!["items"]!.AsArray().Should().BeEmpty();
        await using var db = _factory.Database.Open(TenantScope.NodeWide("full disk test"));
        (await db.EvidenceItems.IgnoreQueryFilters().CountAsync()).Should().Be(0);
        (await db.CustodyEntries.IgnoreQueryFilters().CountAsync()).Should().Be(0);
        (await db.AuditEntries.CountAsync(e => e.Code == AuditEvents.EvidenceAcquired.Code)).Should().Be(0);
    }
}

public sealed class FullDiskUploadTestsSqlite : FullDiskUploadTests<SqliteFactory>;

public sealed class FullDiskUploadTestsPostgres : FullDiskUploadTests<PostgresFactory>;
