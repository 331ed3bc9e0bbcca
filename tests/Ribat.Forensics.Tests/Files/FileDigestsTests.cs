using System.Security.Cryptography;
using Ribat.Forensics.Files;

namespace Ribat.Forensics.Tests.Files;

public sealed class FileDigestsTests
{
    [Fact]
    public void One_pass_in_uneven_pieces_gives_the_same_digests_as_hashing_the_whole_buffer()
    {
        var bytes = TestBytes.Random(3_000_001, 11);
        using var digests = new FileDigests();
        var seen = 0L;
        var offset = 0;
        var sizes = new[] { 1, 100, 65_536, 1 << 20, 3 };
        for (var i = 0; offset < bytes.Length; i++)
        {
            var piece = Math.Min(bytes.Length - offset, sizes[i % sizes.Length]);
            var chunk = bytes.AsSpan(offset, piece).ToArray();
            digests.Append(chunk, piece, (b, n) => seen += n);
            offset += piece;
        }

        var hashes = digests.Finish();

        hashes.Md5.Should().Be(Convert.ToHexStringLower(MD5.HashData(bytes)));
        hashes.Sha1.Should().Be(Convert.ToHexStringLower(SHA1.HashData(bytes)));
        hashes.Sha256.Should().Be(Convert.ToHexStringLower(SHA256.HashData(bytes)));
        hashes.Sha512.Should().Be(Convert.ToHexStringLower(SHA512.HashData(bytes)));
        hashes.Ssdeep.Should().Be(SsdeepHasher.Hash(bytes));
        seen.Should().Be(bytes.Length, "the side work sees every byte once");
        digests.Length.Should().Be(bytes.Length);
    }

    [Fact]
    public void The_empty_input_has_the_well_known_digests_and_kinds_not_asked_for_are_null()
    {
        using var digests = new FileDigests(DigestKinds.Md5 | DigestKinds.Sha256);

        var hashes = digests.Finish();

        hashes.Md5.Should().Be("d41d8cd98f00b204e9800998ecf8427e");
        hashes.Sha256.Should().Be("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        hashes.Sha1.Should().BeNull();
        hashes.Sha512.Should().BeNull();
        hashes.Ssdeep.Should().BeNull();
    }

    [Fact]
    public void Entropy_is_zero_for_one_value_eight_for_all_values_and_one_for_two_halves()
    {
        ByteHistogram.Of(new byte[1000]).Should().Be(0);
        ByteHistogram.Of([]).Should().Be(0);
        var all = new byte[256 * 10];
        for (var i = 0; i < all.Length; i++)
        {
            all[i] = (byte)i;
        }

        ByteHistogram.Of(all).Should().BeApproximately(8, 1e-12);
        var histogram = new ByteHistogram();
        histogram.Add(new byte[500]);
        histogram.Add(Enumerable.Repeat((byte)0xFF, 500).ToArray());
        histogram.Entropy().Should().BeApproximately(1, 1e-12);
        histogram.Total.Should().Be(1000);
    }
}
