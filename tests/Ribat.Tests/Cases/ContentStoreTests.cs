using Microsoft.Extensions.Options;
using Ribat.Core.Common;
using Ribat.Core.Evidence;

namespace Ribat.Tests.Cases;

/// <summary>The content store on its own: digests in one pass, a full disk, and what an interrupted copy leaves.</summary>
public sealed class ContentStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ribat-store-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_full_disk_is_a_clear_error_not_an_exception()
    {
        // /dev/full answers every write with ENOSPC, as a full file system does.
        await using var full = new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        var result = await ContentStore.CopyHashingAsync(new MemoryStream(new byte[4096]), full, CancellationToken.None);
        result.Error.Should().NotBeNull();
        result.Error!.Kind.Should().Be(ErrorKind.InsufficientStorage);
        result.Error.Message.Should().Contain("evidence store is full").And.Contain("nothing was stored");
    }

    [Fact]
    public async Task A_source_that_fails_half_way_leaves_nothing_at_any_address()
    {
        var store = new ContentStore(Options.Create(new EvidenceStoreOptions { Directory = _root }));
        var failing = new ThrowingAfter(new MemoryStream(new byte[3 * 1024 * 1024]), 2 * 1024 * 1024);
        var ingest = async () => await store.IngestAsync(failing, CancellationToken.None);
        await ingest.Should().ThrowAsync<IOException>();
        Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories).Should().BeEmpty();

        var stored = await store.IngestAsync(new MemoryStream("abc"u8.ToArray()), CancellationToken.None);
        stored.Value!.Sha256.Should().Be("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        (await store.DigestAsync(stored.Value.Sha256, CancellationToken.None)).Should().Be(stored.Value);
        (await store.DigestAsync(new string('0', 64), CancellationToken.None)).Should().BeNull();
    }

    private sealed class ThrowingAfter(Stream inner, long limit) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) =>
            inner.Position >= limit ? throw new IOException("the client went away") : inner.Read(buffer, offset, (int)Math.Min(count, limit - inner.Position));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
