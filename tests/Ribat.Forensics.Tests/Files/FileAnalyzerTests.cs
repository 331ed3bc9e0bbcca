using System.Security.Cryptography;
using System.Text;
using Ribat.Forensics.Files;

namespace Ribat.Forensics.Tests.Files;

public sealed class FileAnalyzerTests
{
    private static List<FoundString> Strings(byte[] bytes, int minimum, int piece)
    {
        var found = new List<FoundString>();
        var scanner = new StringScanner(minimum, found.Add);
        for (var at = 0; at < bytes.Length; at += piece)
        {
            scanner.Append(bytes.AsSpan(at, Math.Min(piece, bytes.Length - at)));
        }

        scanner.Finish();
        return found;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4096)]
    public void Ascii_and_utf16_strings_are_found_at_their_offsets_however_the_input_is_cut(int piece)
    {
        var bytes = new List<byte>();
        bytes.AddRange([0x00, 0x01]);
        bytes.AddRange("hello world"u8.ToArray());
        bytes.AddRange([0xFF, 0x00, 0x7F]);
        bytes.AddRange(Encoding.Unicode.GetBytes("C:\\Windows\\evil.exe"));
        bytes.AddRange([0x00, 0x00, 0x90, 0x41]);
        bytes.AddRange(Encoding.Unicode.GetBytes("odd!"));
        bytes.AddRange("abc"u8.ToArray());

        var found = Strings([.. bytes], 4, piece);

        found.Should().Equal(
            new FoundString(2, "ascii", "hello world"),
            new FoundString(16, "utf-16le", "C:\\Windows\\evil.exe"),
            new FoundString(58, "utf-16le", "odd!"));
    }

    [Fact]
    public void A_long_run_is_cut_into_pieces_of_the_maximum_length()
    {
        var found = Strings(Encoding.ASCII.GetBytes(new string('a', 10_000)), 4, 777);

        found.Select(f => f.Value.Length).Should().Equal(4096, 4096, 1808);
        found.Select(f => f.Offset).Should().Equal(0, 4096, 8192);
    }

    [Fact]
    public void A_pe_is_hashed_typed_parsed_and_its_strings_give_indicators_in_one_read()
    {
        var bytes = PeBuilder.Build();
        var url = Encoding.ASCII.GetBytes("http://bad.example.com/gate.php\0");
        url.CopyTo(bytes, 0x300);

        var analysis = FileAnalyzer.Analyze(new MemoryStream(bytes), new FileAnalysisOptions { ListStrings = true });

        analysis.Size.Should().Be(bytes.Length);
        analysis.Hashes.Sha256.Should().Be(Convert.ToHexStringLower(SHA256.HashData(bytes)));
        analysis.Hashes.Ssdeep.Should().Be(SsdeepHasher.Hash(bytes));
        analysis.Type.Type.Should().Be("pe");
        analysis.Type.Description.Should().Be("Windows PE32+ DLL (AMD64)");
        analysis.Pe!.Imphash.Should().Be("e85f1c2a53b8cb5b475050b88c9d7442");
        analysis.Entropy.Should().BeApproximately(ByteHistogram.Of(bytes), 1e-12);
        analysis.Strings.Listed.Should().Contain(s => s.Value == "GetProcAddress" && s.Encoding == "ascii");
        analysis.Strings.Listed.Should().Contain(s => s.Value == "CONFIG" && s.Encoding == "utf-16le");
        analysis.Strings.Count.Should().Be(analysis.Strings.Listed!.Count);
        analysis.Strings.Indicators.Should().Contain(new FileIndicator("url", "http://bad.example.com/gate.php", 0x300));
        analysis.Strings.Indicators.Should().Contain(i => i.Type == "file-name" && i.Value == "sample.dll");
    }

    [Fact]
    public void An_empty_stream_is_an_empty_file_with_the_empty_digests()
    {
        var analysis = FileAnalyzer.Analyze(new MemoryStream());

        analysis.Size.Should().Be(0);
        analysis.Type.Should().Be(FileTypes.Empty);
        analysis.Hashes.Md5.Should().Be("d41d8cd98f00b204e9800998ecf8427e");
        analysis.Hashes.Ssdeep.Should().Be("3::");
        analysis.Entropy.Should().Be(0);
        analysis.Pe.Should().BeNull();
        analysis.Strings.Count.Should().Be(0);
    }

    [Fact]
    public void A_large_random_stream_read_in_short_pieces_is_data_of_near_eight_bits_entropy()
    {
        var bytes = TestBytes.Random(5_000_000, 9);

        var analysis = FileAnalyzer.Analyze(new TrickleStream(bytes), new FileAnalysisOptions { FindIndicators = false });

        analysis.Type.Should().Be(FileTypes.Data);
        analysis.Entropy.Should().BeGreaterThan(7.99);
        analysis.Hashes.Md5.Should().Be(Convert.ToHexStringLower(MD5.HashData(bytes)));
        analysis.Strings.Listed.Should().BeNull();
    }

    [Fact]
    public void A_dos_program_keeps_the_mz_type_and_says_why_it_is_not_a_pe()
    {
        var bytes = PeBuilder.Build();
        bytes[PeBuilder.PeOffset] = (byte)'N';

        var analysis = FileAnalyzer.Analyze(new MemoryStream(bytes));

        analysis.Type.Type.Should().Be("mz");
        analysis.Pe.Should().BeNull();
        analysis.PeProblem.Should().Contain("no PE signature");
    }

    [Fact]
    public void A_pe_longer_than_the_kept_prefix_is_still_parsed_from_its_prefix()
    {
        var bytes = PeBuilder.Build();

        var analysis = FileAnalyzer.Analyze(new TrickleStream(bytes), new FileAnalysisOptions { MaxPeBytes = 0x700 });

        analysis.Pe!.Imports.Should().HaveCount(2);
        analysis.Pe.Anomalies.Should().Contain(a => a.Contains("not parsed"));
        analysis.Hashes.Sha1.Should().Be(Convert.ToHexStringLower(SHA1.HashData(bytes)));
    }

    /// <summary>A non-seekable stream that hands out at most 1000 bytes per read.</summary>
    private sealed class TrickleStream(byte[] bytes) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, 1000), bytes.Length - _position);
            bytes.AsSpan(_position, n).CopyTo(buffer.AsSpan(offset));
            _position += n;
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
