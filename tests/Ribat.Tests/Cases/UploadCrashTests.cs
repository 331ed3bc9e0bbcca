using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Evidence;
using Ribat.Core.Tenancy;
using Ribat.Tests.Federation;

namespace Ribat.Tests.Cases;

/// <summary>
/// A real node killed (SIGKILL, as <c>kill -9</c>) half-way through a large streamed upload: nothing that looks like
/// evidence survives, not a row and not a file, and the next start removes the partial file the crash left behind.
/// Runs on PostgreSQL when <c>RIBAT_TEST_POSTGRES</c> is set, else on SQLite.
/// </summary>
public sealed class UploadCrashTests : IAsyncLifetime
{
    private const long Total = 400L * 1024 * 1024;
    private const long KillAfter = 200L * 1024 * 1024;

    private FederationNode _node = null!;

    public async Task InitializeAsync() => _node = await FederationNode.CreateAsync("Crash");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task A_node_killed_during_a_large_upload_keeps_no_evidence_and_cleans_the_partial_file_when_it_starts_again()
    {
        var opened = await _node.SendAsync(HttpMethod.Post, "/api/v1/cases", new { title = "Seized NAS" }, HttpStatusCode.Created);
        var caseId = opened["id"]!.GetValue<Guid>();
        var incoming = Path.Combine(EvidenceStore.DirectoryIn(_node.DataDirectory), "incoming");
        var addresses = Path.Combine(EvidenceStore.DirectoryIn(_node.DataDirectory), "sha256");

        // Hundreds of megabytes made up as they are sent, never held: the body pauses half-way until the node is dead.
        var body = new GeneratedBody(Total, KillAfter);
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = _node.Http.DefaultRequestHeaders.Authorization;
        var content = new StreamContent(body, 1024 * 1024);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var upload = client.PostAsync($"{_node.Url}/api/v1/cases/{caseId}/evidence?fileName=nas.img&sealNumber=N-1", content);

        await body.Paused.WaitAsync(TimeSpan.FromMinutes(3));
        var part = await EventuallyAsync(() => Directory.Exists(incoming)
            ? Directory.EnumerateFiles(incoming, "*.part").Select(f => new FileInfo(f)).FirstOrDefault(f => f.Length > KillAfter / 2)
            : null, "the node writes the upload to a part file as it arrives");
        _node.Kill();
        body.Resume();
        var interrupted = async () => (await upload).EnsureSuccessStatusCode();
        await interrupted.Should().ThrowAsync<Exception>("the node died before it answered");

        // No row names anything, nothing sits at a content address, only the part file under incoming/ remains.
        await using (var db = _node.Database().Open(TenantScope.NodeWide("crash test")))
        {
            (await db.EvidenceItems.IgnoreQueryFilters().CountAsync()).Should().Be(0);
            (await db.CustodyEntries.IgnoreQueryFilters().CountAsync()).Should().Be(0);
            (await db.AuditEntries.CountAsync(e => e.Code == 510)).Should().Be(0);
        }

        (Directory.Exists(addresses) ? Directory.EnumerateFiles(addresses, "*", SearchOption.AllDirectories) : []).Should().BeEmpty("nothing that looks like evidence");
        File.Exists(part.FullName).Should().BeTrue("a killed process cannot clean up after itself");

        await _node.StartAsync();
        Directory.EnumerateFiles(incoming, "*.part").Should().BeEmpty("the next start removes what the crash left");

        // The node works on: the next upload is whole, and verification finds nothing wrong.
        using var small = new ByteArrayContent("after the crash"u8.ToArray());
        var again = await client.PostAsync($"{_node.Url}/api/v1/cases/{caseId}/evidence?fileName=note.txt", small);
        again.StatusCode.Should().Be(HttpStatusCode.Created, await again.Content.ReadAsStringAsync());
        var verification = await _node.GetAsync($"/api/v1/cases/{caseId}/verification");
        verification["items"]!.GetValue<int>().Should().Be(1);
        verification["problems"]!.AsArray().Should().BeEmpty();
    }

    private static async Task<T> EventuallyAsync<T>(Func<T?> probe, string because)
        where T : class
    {
        var until = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < until)
        {
            if (probe() is { } found)
            {
                return found;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException(because);
    }

    /// <summary>A request body of <c>total</c> pseudo-random bytes made as they are read; it pauses once after <c>pauseAfter</c>.</summary>
    private sealed class GeneratedBody(long total, long pauseAfter) : Stream
    {
        private readonly TaskCompletionSource _paused = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private ulong _state = 0x9E3779B97F4A7C15;
        private long _position;

        public Task Paused => _paused.Task;

        public void Resume() => _resumed.TrySetResult();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position >= pauseAfter && !_resumed.Task.IsCompleted)
            {
                _paused.TrySetResult();
                await _resumed.Task.WaitAsync(cancellationToken);
            }

            var count = (int)Math.Min(buffer.Length, total - _position);
            Fill(buffer.Span[..count]);
            _position += count;
            return count;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private void Fill(Span<byte> span)
        {
            for (var i = 0; i + 8 <= span.Length; i += 8)
            {
                _state ^= _state << 13;
                _state ^= _state >> 7;
                _state ^= _state << 17;
                BitConverter.TryWriteBytes(span[i..], _state);
            }

            span[(span.Length & ~7)..].Fill(0x5A);
        }
    }
}
