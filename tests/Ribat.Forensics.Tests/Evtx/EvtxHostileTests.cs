using System.Diagnostics;
using Ribat.Forensics.Evtx;

namespace Ribat.Forensics.Tests.Evtx;

/// <summary>Truncated, mutated, random and oversized input: counted damage or a precise error, never a throw or a hang.</summary>
public sealed class EvtxHostileTests
{
    private static readonly byte[] Security = File.ReadAllBytes(SharedCorpus.Path("evtx", "security.evtx"));

    [Theory]
    [InlineData(0, "empty file")]
    [InlineData(5, "not an EVTX file: no ElfFile signature")]
    [InlineData(100, "file header cut short: no chunk follows")]
    public void A_file_too_short_for_its_header_is_refused_with_a_reason(int length, string error)
    {
        var reader = new EvtxReader(new MemoryStream(Security[..length]));

        reader.ReadRecords().Should().BeEmpty();
        reader.Report.Error.Should().Be(error);
    }

    [Fact]
    public void A_file_of_another_kind_is_refused_with_a_reason()
    {
        var reader = new EvtxReader(new MemoryStream("MZ this is a program, not a log"u8.ToArray()));

        reader.ReadRecords().Should().BeEmpty();
        reader.Report.Error.Should().Be("not an EVTX file: no ElfFile signature");
    }

    [Fact]
    public void A_truncated_file_is_read_up_to_the_damage()
    {
        // security.evtx: chunk 0 holds records 1–91, chunk 1 starts at 4096 + 65536; cut 20,000 bytes into chunk 1.
        var cut = Security[..(4096 + 65536 + 20_000)];

        var reader = new EvtxReader(new MemoryStream(cut));
        var records = reader.ReadRecords().ToList();

        var whole = EvtxReader.ReadFile(SharedCorpus.Path("evtx", "security.evtx")).Records;
        records.Should().HaveCountGreaterThan(91);
        records.Select(r => r.RecordId).Should().Equal(whole.Take(records.Count).Select(r => r.RecordId));
        reader.Report.DamagedChunks.Should().Be(1);
        reader.Report.Reasons.Keys.Should().BeEquivalentTo("chunk cut short by the end of the file", "record cut short by the end of the file");
    }

    [Fact]
    public void Truncation_at_any_point_never_throws()
    {
        var whole = EvtxReader.ReadFile(SharedCorpus.Path("evtx", "security.evtx")).Records.Count;
        for (var length = 0; length < 4096 + (2 * 65536); length += 997)
        {
            var reader = new EvtxReader(new MemoryStream(Security[..length]), new EvtxReadOptions { VerifyChecksums = false });
            var records = reader.ReadRecords().Count();

            records.Should().BeLessThanOrEqualTo(whole);
            reader.Report.RecordsRead.Should().Be(records);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Mutated_chunks_never_throw_or_hang(bool verifyChecksums)
    {
        var random = new Random(20_261_122);
        var clock = Stopwatch.StartNew();
        var sample = Security[..(4096 + (2 * 65536))];
        for (var round = 0; round < 150; round++)
        {
            var mutated = (byte[])sample.Clone();
            var flips = random.Next(1, 40);
            for (var i = 0; i < flips; i++)
            {
                // Aim at the binary XML of the first records most of the time: that is where parsing is deepest.
                var at = random.Next(3) == 0 ? random.Next(8, mutated.Length) : 4096 + 512 + random.Next(8192);
                mutated[at] = random.Next(4) == 0 ? (byte)random.Next(256) : (byte)(mutated[at] ^ (1 << random.Next(8)));
            }

            var reader = new EvtxReader(new MemoryStream(mutated), new EvtxReadOptions { VerifyChecksums = verifyChecksums });
            foreach (var record in reader.ReadRecords())
            {
                EvtxJson.Render(record);
                EvtxEvents.ToLogEvent(record, "mutated.evtx");
            }

            reader.Report.Error.Should().BeNull();
            reader.Report.Chunks.Should().BeGreaterThan(0);
        }

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20), "hostile input must not make reading slow");
    }

    [Fact]
    public void Random_bytes_behind_valid_headers_never_throw()
    {
        var random = new Random(7);
        var builder = new EvtxBuilder();
        builder.AddRecord((0x01, new byte[8]));
        var template = builder.Build();
        for (var round = 0; round < 200; round++)
        {
            var file = (byte[])template.Clone();

            // Keep the chunk magic, replace everything after the chunk header with noise that starts like a record.
            random.NextBytes(file.AsSpan(4096 + 512));
            file[4096 + 512] = 0x2a;
            file[4096 + 513] = 0x2a;
            file[4096 + 514] = 0;
            file[4096 + 515] = 0;
            var reader = new EvtxReader(new MemoryStream(file), new EvtxReadOptions { VerifyChecksums = false });

            reader.ReadRecords().Count().Should().BeLessThanOrEqualTo(1);
            reader.Report.Chunks.Should().Be(1);
        }
    }

    [Fact]
    public void A_template_that_uses_itself_is_a_skipped_record_not_a_stack_overflow()
    {
        var builder = new EvtxBuilder();
        builder.AddRecord((0x21, [0x0f, 0x01, 0x01, 0x00, 0x0c, 0x01, 0, 0, 0, 0, 0x00, 0x02, 0, 0, 0, 0, 0, 0]));
        var file = builder.Build();

        var reader = new EvtxReader(new MemoryStream(file), new EvtxReadOptions { VerifyChecksums = false });
        var records = reader.ReadRecords().ToList();

        (records.Count + reader.Report.RecordsSkipped).Should().Be(1);
    }

    [Fact]
    public void An_oversized_file_of_zeroed_chunks_reads_as_empty_without_holding_it()
    {
        // 64 MiB of unused chunk slots after a header that declares none: nothing to read, nothing damaged.
        var header = Security[..4096].ToArray();
        header[42] = 0;
        header[43] = 0;
        var stream = new ZeroTailStream(header, 64L << 20);

        var reader = new EvtxReader(stream);

        reader.ReadRecords().Should().BeEmpty();
        reader.Report.Chunks.Should().Be(0);
        reader.Report.DamagedChunks.Should().Be(0);
        stream.Position.Should().Be(stream.Length);
    }

    /// <summary>A header followed by a long run of zeros, produced on the fly.</summary>
    private sealed class ZeroTailStream(byte[] head, long tail) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => head.Length + tail;

        public override long Position { get; set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, Length - Position);
            for (var i = 0; i < n; i++)
            {
                var at = Position + i;
                buffer[offset + i] = at < head.Length ? head[at] : (byte)0;
            }

            Position += n;
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
