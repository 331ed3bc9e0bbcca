using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Tests;

public class ObservablesTests
{
    [Theory]
    [InlineData(ObservableType.IPv4, " 192.0.2.1 ", "192.0.2.1", "192.0.2.1")]
    [InlineData(ObservableType.IPv4, "0.0.0.0", "0.0.0.0", "0.0.0.0")]
    [InlineData(ObservableType.IPv6, "2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1", "2001:db8::1")]
    [InlineData(ObservableType.IPv6, "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1", "2001:db8::1:0:0:1")]
    [InlineData(ObservableType.IPv6, "::ffff:192.0.2.1", "::ffff:192.0.2.1", "::ffff:192.0.2.1")]
    [InlineData(ObservableType.Cidr, "10.1.2.3/8", "10.0.0.0/8", "10.0.0.0/8")]
    [InlineData(ObservableType.Cidr, "2001:DB8::1/32", "2001:db8::/32", "2001:db8::/32")]
    [InlineData(ObservableType.Cidr, "0.0.0.0/0", "0.0.0.0/0", "0.0.0.0/0")]
    [InlineData(ObservableType.Domain, "Evil.Example.COM.", "evil.example.com", "evil.example.com")]
    [InlineData(ObservableType.Domain, "bücher.example", "xn--bcher-kva.example", "bücher.example")]
    [InlineData(ObservableType.Hostname, "FileServer01", "fileserver01", "fileserver01")]
    [InlineData(ObservableType.Url, "HTTPS://Evil.Example.COM:443/Path?Q=A#F", "https://evil.example.com/Path?Q=A#F", "https://evil.example.com/Path?Q=A#F")]
    [InlineData(ObservableType.Url, "http://bücher.example:8080", "http://xn--bcher-kva.example:8080/", "http://bücher.example:8080/")]
    [InlineData(ObservableType.Url, "http://[2001:DB8::0001]:80/a", "http://[2001:db8::1]/a", "http://[2001:db8::1]/a")]
    [InlineData(ObservableType.Email, "John.Doe@Example.COM", "John.Doe@example.com", "John.Doe@example.com")]
    [InlineData(ObservableType.Md5, "D41D8CD98F00B204E9800998ECF8427E", "d41d8cd98f00b204e9800998ecf8427e", "d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData(ObservableType.Sha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709", "da39a3ee5e6b4b0d3255bfef95601890afd80709", "da39a3ee5e6b4b0d3255bfef95601890afd80709")]
    [InlineData(ObservableType.Sha256, "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData(ObservableType.Ssdeep, "96:s4Ud1Lj96tHHlZDrwciQmA+4uy1I0G4HYuL8N3TzS8QsO/wqWXLcMSx:sF1LjEtHHlZDrJzrhuyZvHYm8tKp/RWO", "96:s4Ud1Lj96tHHlZDrwciQmA+4uy1I0G4HYuL8N3TzS8QsO/wqWXLcMSx:sF1LjEtHHlZDrJzrhuyZvHYm8tKp/RWO", "96:s4Ud1Lj96tHHlZDrwciQmA+4uy1I0G4HYuL8N3TzS8QsO/wqWXLcMSx:sF1LjEtHHlZDrJzrhuyZvHYm8tKp/RWO")]
    [InlineData(ObservableType.Asn, "64500", "AS64500", "AS64500")]
    [InlineData(ObservableType.Asn, "as64500", "AS64500", "AS64500")]
    [InlineData(ObservableType.Asn, "ASN4294967295", "AS4294967295", "AS4294967295")]
    [InlineData(ObservableType.FileName, " invoice.pdf.exe ", "invoice.pdf.exe", "invoice.pdf.exe")]
    [InlineData(ObservableType.BitcoinAddress, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")]
    [InlineData(ObservableType.BitcoinAddress, "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy")]
    [InlineData(ObservableType.BitcoinAddress, "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")]
    [InlineData(ObservableType.BitcoinAddress, "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0")]
    [InlineData(ObservableType.EthereumAddress, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData(ObservableType.EthereumAddress, "0XFB6916095CA1DF60BB79CE92CE3EA74C37C5D359", "0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")]
    [InlineData(ObservableType.TronAddress, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")]
    [InlineData(ObservableType.Iban, "gb82 west 1234 5698 7654 32", "GB82WEST12345698765432", "GB82 WEST 1234 5698 7654 32")]
    [InlineData(ObservableType.Iban, "DE89370400440532013000", "DE89370400440532013000", "DE89 3704 0044 0532 0130 00")]
    [InlineData(ObservableType.Phone, "+44 (20) 7946-0958", "+442079460958", "+44 (20) 7946-0958")]
    [InlineData(ObservableType.UserAccount, " Telegram:@EvilSeller ", "telegram:EvilSeller", "telegram:EvilSeller")]
    [InlineData(ObservableType.UserAccount, "@darkvendor", "darkvendor", "darkvendor")]
    [InlineData(ObservableType.Ja3, "E7D705A3286E19EA42F587B344EE6865", "e7d705a3286e19ea42f587b344ee6865", "e7d705a3286e19ea42f587b344ee6865")]
    [InlineData(ObservableType.Ja4, "t13d1516h2_8daaf6152771_02713D6AF862", "t13d1516h2_8daaf6152771_02713d6af862", "t13d1516h2_8daaf6152771_02713d6af862")]
    public void Accepts_and_canonicalises(ObservableType type, string input, string canonical, string display)
    {
        Observables.TryCanonicalise(type, input, out var value, out var reason).Should().BeTrue(reason);
        value.Type.Should().Be(type);
        value.Value.Should().Be(canonical);
        value.Display.Should().Be(display);

        // Idempotence: the canonical form is a fixed point, and so is the display form where it is accepted input.
        Observables.TryCanonicalise(type, value.Value, out var again, out _).Should().BeTrue();
        again.Value.Should().Be(canonical);
        Observables.TryCanonicalise(type, value.Display, out var fromDisplay, out _).Should().BeTrue();
        fromDisplay.Value.Should().Be(canonical);
    }

    [Theory]
    [InlineData(ObservableType.IPv4, "010.1.1.1", "leading zero")]
    [InlineData(ObservableType.IPv4, "256.1.1.1", "greater than 255")]
    [InlineData(ObservableType.IPv4, "1.2.3", "four dot-separated parts")]
    [InlineData(ObservableType.IPv4, "1.2.3.4.5", "more than four parts")]
    [InlineData(ObservableType.IPv4, "1.2..4", "empty part")]
    [InlineData(ObservableType.IPv6, "2001::db8::1", "more than one '::'")]
    [InlineData(ObservableType.IPv6, "2001:db8:1:2:3:4:5", "7 groups where 8")]
    [InlineData(ObservableType.IPv6, "2001:db8::12345", "more than four hex digits")]
    [InlineData(ObservableType.IPv6, "fe80::1%eth0", "zone ids")]
    [InlineData(ObservableType.IPv6, "2001:db8::g", "unexpected character 'g'")]
    [InlineData(ObservableType.Cidr, "10.0.0.0", "missing '/prefix-length'")]
    [InlineData(ObservableType.Cidr, "10.0.0.0/33", "0 to 32")]
    [InlineData(ObservableType.Cidr, "2001:db8::/129", "0 to 128")]
    [InlineData(ObservableType.Domain, "localhost", "at least two labels")]
    [InlineData(ObservableType.Domain, "-evil.example.com", "starts or ends with '-'")]
    [InlineData(ObservableType.Domain, "evil..example", "empty label")]
    [InlineData(ObservableType.Domain, "example.123", "all digits")]
    [InlineData(ObservableType.Domain, "ev il.example", "unexpected character ' '")]
    [InlineData(ObservableType.Url, "evil.example/path", "missing 'scheme://'")]
    [InlineData(ObservableType.Url, "http://evil.example:99999/", "port must be")]
    [InlineData(ObservableType.Url, "http:///path", "empty host")]
    [InlineData(ObservableType.Email, "no-at-sign.example", "missing '@'")]
    [InlineData(ObservableType.Email, "a..b@example.com", "doubled '.'")]
    [InlineData(ObservableType.Md5, "d41d8cd98f00b204e9800998ecf8427", "31 characters where 32")]
    [InlineData(ObservableType.Sha256, "z3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "'z' is not a hex digit")]
    [InlineData(ObservableType.Ssdeep, "100:abc:def", "not 3 × a power of two")]
    [InlineData(ObservableType.Ssdeep, "96:abc", "blocksize:hash:hash")]
    [InlineData(ObservableType.Asn, "AS4294967296", "greater than 4294967295")]
    [InlineData(ObservableType.Asn, "ASX1", "unexpected character 'X'")]
    [InlineData(ObservableType.FileName, "C:\\Windows\\evil.exe", "path separator")]
    [InlineData(ObservableType.BitcoinAddress, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", "checksum does not match")]
    [InlineData(ObservableType.BitcoinAddress, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", "checksum does not match")]
    [InlineData(ObservableType.BitcoinAddress, "bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "mix upper and lower")]
    [InlineData(ObservableType.BitcoinAddress, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN0", "'0' is not a base58 character")]
    [InlineData(ObservableType.EthereumAddress, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", "EIP-55")]
    [InlineData(ObservableType.EthereumAddress, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA", "'0x' and 40 hex")]
    [InlineData(ObservableType.TronAddress, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u", "checksum does not match")]
    [InlineData(ObservableType.TronAddress, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "starting with 'T'")]
    [InlineData(ObservableType.Iban, "GB82WEST12345698765433", "check digits do not match")]
    [InlineData(ObservableType.Iban, "GB82WEST1234569876543", "GB IBANs have 22 characters")]
    [InlineData(ObservableType.Iban, "US12345678901234", "does not use IBANs")]
    [InlineData(ObservableType.Phone, "020 7946 0958", "start with '+'")]
    [InlineData(ObservableType.Phone, "+44 20", "4 digits where E.164 allows 8 to 15")]
    [InlineData(ObservableType.Phone, "+0123456789", "never starts with 0")]
    [InlineData(ObservableType.UserAccount, "telegram:@", "empty handle")]
    [InlineData(ObservableType.UserAccount, "evil seller", "white space")]
    [InlineData(ObservableType.Ja4, "x13d1516h2_8daaf6152771_02713d6af862", "protocol must be")]
    [InlineData(ObservableType.Ja4, "t14d1516h2_8daaf6152771_02713d6af862", "unknown TLS version '14'")]
    [InlineData(ObservableType.Ja4, "t13d1516h2_8daaf6152771", "10 characters")]
    [InlineData(ObservableType.Ja3, "", "is empty")]
    public void Refuses_with_a_precise_reason(ObservableType type, string input, string reasonPart)
    {
        Observables.TryCanonicalise(type, input, out _, out var reason).Should().BeFalse();
        reason.Should().Contain(reasonPart);
    }

    [Fact]
    public void Keccak256_matches_the_published_empty_input_digest()
    {
        Span<byte> digest = stackalloc byte[32];
        Keccak256.Hash([], digest);
        Convert.ToHexStringLower(digest).Should().Be("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    }

    [Theory]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")]
    [InlineData("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB")]
    [InlineData("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb")]
    public void Eip55_reproduces_the_specification_examples(string address) =>
        CryptoAddressCanonicaliser.ToEip55(address.ToLowerInvariant()).Should().Be(address);

    [Fact]
    public void Every_type_has_a_distinct_stable_name_that_parses_back()
    {
        var names = new HashSet<string>();
        foreach (var type in ObservableTypeNames.All)
        {
            var name = type.ToName();
            names.Add(name).Should().BeTrue(name);
            name.Should().Be(name.ToLowerInvariant());
            ObservableTypeNames.TryParse(name, out var back).Should().BeTrue();
            back.Should().Be(type);
        }

        ObservableType.BitcoinAddress.ToName().Should().Be("btc-address");
    }

    [Fact]
    public void Random_ipv4_and_ipv6_values_round_trip_through_their_canonical_form()
    {
        var random = new Random(1234);
        var bytes = new byte[16];
        for (var i = 0; i < 5000; i++)
        {
            random.NextBytes(bytes);
            var v4 = new System.Net.IPAddress(bytes.AsSpan(0, 4)).ToString();
            Observables.TryCanonicalise(ObservableType.IPv4, v4, out var c4, out var r4).Should().BeTrue(r4);
            c4.Value.Should().Be(v4);

            // Zero runs make the '::' compression interesting.
            if (i % 3 == 0) Array.Clear(bytes, 4, 6);
            var expanded = string.Join(':', Enumerable.Range(0, 8).Select(g => ((bytes[g * 2] << 8) | bytes[(g * 2) + 1]).ToString("X4")));
            Observables.TryCanonicalise(ObservableType.IPv6, expanded, out var c6, out var r6).Should().BeTrue(r6);
            Observables.TryCanonicalise(ObservableType.IPv6, c6.Value, out var again, out _).Should().BeTrue();
            again.Value.Should().Be(c6.Value);
            System.Net.IPAddress.Parse(c6.Value).GetAddressBytes().Should().Equal(bytes);
        }
    }

    [Fact]
    public void Random_strings_never_throw_for_any_type()
    {
        var random = new Random(99);
        const string alphabet = "0123456789abcdefABCDEF.:/@[]%-_ xX+TbcqAS\u00fc\u0000";
        var buffer = new char[40];
        for (var i = 0; i < 3000; i++)
        {
            var length = random.Next(0, buffer.Length);
            for (var j = 0; j < length; j++)
            {
                buffer[j] = alphabet[random.Next(alphabet.Length)];
            }

            var text = new string(buffer, 0, length);
            foreach (var type in ObservableTypeNames.All)
            {
                if (Observables.TryCanonicalise(type, text, out var value, out var reason))
                {
                    Observables.TryCanonicalise(type, value.Value, out var again, out _).Should().BeTrue();
                    again.Value.Should().Be(value.Value, $"{type} of '{text}' must be idempotent");
                }
                else
                {
                    reason.Should().NotBeNullOrWhiteSpace();
                }
            }
        }
    }
}
