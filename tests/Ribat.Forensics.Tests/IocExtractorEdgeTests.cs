using System.Diagnostics;
using System.Text;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Tests;

public class IocExtractorEdgeTests
{
    [Theory]
    [InlineData(ObservableType.IPv4, "192.0.2.44")]
    [InlineData(ObservableType.IPv6, "2001:db8::44")]
    [InlineData(ObservableType.Cidr, "2001:db8::/48")]
    [InlineData(ObservableType.Domain, "evil-corp.example")]
    [InlineData(ObservableType.Hostname, "c2.evil-corp.example")]
    [InlineData(ObservableType.Url, "http://c2.evil-corp.example:8080/gate.php?id=1")]
    [InlineData(ObservableType.Email, "ops@evil-corp.example")]
    [InlineData(ObservableType.Md5, "d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData(ObservableType.Sha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709")]
    [InlineData(ObservableType.Sha512, "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e")]
    [InlineData(ObservableType.Ssdeep, "3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C")]
    [InlineData(ObservableType.Asn, "AS4200000000")]
    [InlineData(ObservableType.FileName, "Payment_Details.pdf.lnk")]
    [InlineData(ObservableType.BitcoinAddress, "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0")]
    [InlineData(ObservableType.EthereumAddress, "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB")]
    [InlineData(ObservableType.TronAddress, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")]
    [InlineData(ObservableType.Iban, "FR14 2004 1010 0505 0001 3M02 606")]
    [InlineData(ObservableType.Phone, "+1 (202) 555-0143")]
    [InlineData(ObservableType.UserAccount, "@bulletproof_host")]
    [InlineData(ObservableType.Ja4, "q13d0312h3_55b375c5d22e_06cda9e17597")]
    public void Every_extractable_type_is_found_in_a_sentence_and_matches_its_canonical_form(ObservableType type, string written)
    {
        Observables.TryCanonicalise(type, written, out var expected, out var reason).Should().BeTrue(reason);
        foreach (var sentence in new[] { $"Seen: {written}.", $"({written}), then", $"\"{written}\"", written })
        {
            var found = IocExtractor.Extract(sentence).Observables;
            found.Should().Contain(o => o.Type == type && o.Canonical == expected.Value, sentence);
            found.Single(o => o.Type == type && o.Canonical == expected.Value).Original.Should().Be(written);
        }
    }

    [Fact]
    public void A_ja3_is_told_from_an_md5_by_its_label()
    {
        var found = IocExtractor.Extract("JA3: e7d705a3286e19ea42f587b344ee6865 and MD5: e7d705a3286e19ea42f587b344ee6866").Observables;
        found.Select(o => o.Type).Should().Equal(ObservableType.Ja3, ObservableType.Md5);
    }

    [Fact]
    public void Values_with_bad_checksums_are_not_extracted()
    {
        const string text = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb GB82WEST12345698765433 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD 010.1.1.1";
        IocExtractor.Extract(text).Observables.Should().BeEmpty();
    }

    [Theory]
    [InlineData("1.1.1.1.")]
    [InlineData("::")]
    [InlineData("[.]")]
    [InlineData("+1 ")]
    [InlineData("GB82 ")]
    [InlineData("hxxp[://]")]
    [InlineData("(((")]
    [InlineData("a.")]
    [InlineData("ü.")]
    public void A_megabyte_of_one_repeated_fragment_finishes_promptly(string fragment)
    {
        var text = new StringBuilder();
        while (text.Length < 1_000_000)
        {
            text.Append(fragment);
        }

        var watch = Stopwatch.StartNew();
        var result = IocExtractor.Extract(text.ToString());
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "the scanner must stay linear on hostile input");
        result.Lines.Should().Be(1);
    }

    [Fact]
    public void A_line_far_larger_than_the_limit_is_streamed_past_not_loaded()
    {
        // 64 M characters of one line, produced on demand: holding it would need 128 MB.
        var reader = new GeneratedReader(64L * 1024 * 1024, tail: "\nafter 192.0.2.9\n");
        var result = IocExtractor.Extract(reader, new IocExtractorOptions { MaxLineLength = 4096 });
        result.Skipped.Should().ContainSingle().Which.Length.Should().Be(64L * 1024 * 1024);
        result.Observables.Should().ContainSingle().Which.Should().Match<ExtractedObservable>(o => o.Canonical == "192.0.2.9" && o.Line == 2);
    }

    private sealed class GeneratedReader(long length, string tail) : TextReader
    {
        private long _produced;
        private int _tailPosition;

        public override int Read(char[] buffer, int index, int count)
        {
            if (_produced < length)
            {
                var n = (int)Math.Min(count, length - _produced);
                buffer.AsSpan(index, n).Fill('x');
                _produced += n;
                return n;
            }

            var rest = Math.Min(count, tail.Length - _tailPosition);
            tail.CopyTo(_tailPosition, buffer, index, rest);
            _tailPosition += rest;
            return rest;
        }
    }
}
