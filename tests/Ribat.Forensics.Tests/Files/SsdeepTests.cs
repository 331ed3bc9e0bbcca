using Ribat.Forensics.Files;

namespace Ribat.Forensics.Tests.Files;

public sealed class SsdeepTests
{
    // Expected digests printed by `ssdeep -s` 2.14.1 (Debian 2.14.1+git20180629.57fcfff-3) on the same bytes.
    public static TheoryData<string, string> Cases() => new()
    {
        { "empty", "3::" },
        { "abc", "3:uG:uG" },
        { "random-193", "3:RKvMTyfKmWo0mM8RVqj5qIcrg+qRL+NmCf5qAEJaa5t9jtyHUUWtn+g0N1J+Kqo:ovMrmMmz3W5qIgr0hUaJ5AeVGn/qo" },
        { "random-1000", "24:0oKaTOQT7GSid6A2xdqMALvf7X/BP/pES7rRM:PzTOM7mWqNLvTvBnuB" },
        { "random-65536", "768:ss3Bwtbr/VEUW/zXTlUPkNOyepiwJt/Ew00HmsxNxIeH9CR1DPxgPbIX40wO22eF:W/VEt7TlAyidJtME4T00FeV3+KPUsWPe" },
        { "random-1000003", "24576:devu5oICXKmq3Hg76xo1GSHhMJWssiNjPfbPSE/3l8:kvuKKmq3A7KoYSBlYhfrSE/2" },
        { "text-200000", "384:YDl+w9avb0tfpwl6ZpL9NAVADDfE4KoNR0mNEKxTOmLZbxXDelig9WTf7s/Zce18:RsESiNVHgBV" },
        { "text-3000000", "6144:nenozBLOkJnggxG9vN3J0PuefI7liRGCZI40/fncL9MK/292s4T27UNIGAHJpIxE:2" },
        { "zeros-50000", "3::" },
    };

    internal static byte[] Input(string name) => name switch
    {
        "empty" => [],
        "abc" => "abc"u8.ToArray(),
        "random-193" => TestBytes.Random(193, 6),
        "random-1000" => TestBytes.Random(1000, 1),
        "random-65536" => TestBytes.Random(65536, 2),
        "random-1000003" => TestBytes.Random(1000003, 3),
        "text-200000" => TestBytes.Text(200000, 4),
        "text-3000000" => TestBytes.Text(3000000, 5),
        "zeros-50000" => new byte[50000],
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Digest_equals_the_ssdeep_tool(string name, string expected)
    {
        SsdeepHasher.Hash(Input(name)).Should().Be(expected);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Digest_does_not_depend_on_how_the_input_is_cut(string name, string expected)
    {
        var bytes = Input(name);
        var hasher = new SsdeepHasher();
        var random = new Random(7);
        var offset = 0;
        while (offset < bytes.Length)
        {
            var piece = Math.Min(bytes.Length - offset, random.Next(1, 70_000));
            hasher.Append(bytes.AsSpan(offset, piece));
            offset += piece;
        }

        hasher.Digest().Should().Be(expected);
        hasher.Length.Should().Be((ulong)bytes.Length);
    }

    [Fact]
    public void One_changed_byte_changes_the_digest_but_keeps_its_block_size()
    {
        var bytes = Input("text-200000");
        bytes[100_000] ^= 0x20;

        var digest = SsdeepHasher.Hash(bytes);

        digest.Should().NotBe("384:YDl+w9avb0tfpwl6ZpL9NAVADDfE4KoNR0mNEKxTOmLZbxXDelig9WTf7s/Zce18:RsESiNVHgBV");
        digest.Should().StartWith("384:");
    }
}
