using System.Text;
using Ribat.Forensics.Email;
using Ribat.Forensics.Files;
using Ribat.Forensics.Ioc;
using Ribat.Forensics.Tests.Email;

namespace Ribat.Forensics.Tests;

/// <summary>
/// Crypto-currency addresses and IBANs against published vectors: BIP-173/BIP-350 (segwit), EIP-55 (Ethereum),
/// and addresses published by their projects; every checksum is also shown to refuse a one-character change.
/// </summary>
public sealed class PaymentAddressTests
{
    private const string MoneroGeneralFund = "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";

    [Theory]
    // BIP-350 "valid segwit addresses" (mainnet ones; v0 bech32, v1+ bech32m).
    [InlineData("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")]
    [InlineData("bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y", "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y")]
    [InlineData("BC1SW50QGDZ25J", "bc1sw50qgdz25j")]
    [InlineData("bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs")]
    [InlineData("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0")]
    // Base58check P2PKH (the genesis block's) and P2SH.
    [InlineData("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")]
    [InlineData("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy")]
    public void Bitcoin_vectors_are_accepted(string input, string canonical)
    {
        Canonicalise(ObservableType.BitcoinAddress, input).Value.Should().Be(canonical);
    }

    [Theory]
    // BIP-350 "invalid segwit addresses", each with the reason the BIP gives.
    [InlineData("tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut", "not mainnet")]
    [InlineData("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd", "must use bech32m")]
    [InlineData("BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL", "must use bech32m")]
    [InlineData("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", "must use bech32")]
    [InlineData("bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4", "'o' is not a bech32 character")]
    [InlineData("BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R", "above 16")]
    [InlineData("bc1pw5dgrnzv", "cannot be 1 bytes")]
    [InlineData("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav", "cannot be 41 bytes")]
    [InlineData("BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", "cannot be 16 bytes")]
    [InlineData("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf", "invalid padding")]
    [InlineData("bc1gmk9yu", "data part is empty")]
    // Testnet is not mainnet; a one-character change breaks the checksum.
    [InlineData("tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", "not mainnet")]
    [InlineData("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", "checksum does not match")]
    [InlineData("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", "checksum does not match")]
    public void Bitcoin_vectors_that_must_fail_are_refused_with_the_reason(string input, string reason)
    {
        Refuse(ObservableType.BitcoinAddress, input).Should().Contain(reason);
    }

    [Theory]
    // EIP-55's own examples: all caps, all lower, and mixed-case checksummed addresses.
    [InlineData("0x52908400098527886E0F7030069857D2E4169EE7", "0x52908400098527886E0F7030069857D2E4169EE7")]
    [InlineData("0x8617E340B3D01FA5F11F306F4090FD50E238070D", "0x8617E340B3D01FA5F11F306F4090FD50E238070D")]
    [InlineData("0xde709f2102306220921060314715629080e2fb77", "0xde709f2102306220921060314715629080e2fb77")]
    [InlineData("0x27b1fdb04752bbc536007a920d24acb045561c26", "0x27b1fdb04752bbc536007a920d24acb045561c26")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")]
    [InlineData("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB")]
    [InlineData("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb")]
    public void Ethereum_eip55_vectors_are_accepted_and_displayed_checksummed(string input, string display)
    {
        var value = Canonicalise(ObservableType.EthereumAddress, input);
        value.Value.Should().Be(input.ToLowerInvariant());
        if (input.AsSpan(2).ContainsAnyInRange('a', 'f') && input.AsSpan(2).ContainsAnyInRange('A', 'F'))
        {
            value.Display.Should().Be(display);
        }
    }

    [Theory]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD")]
    [InlineData("0xfb6916095ca1df60bB79Ce92cE3Ea74c37c5d359")]
    [InlineData("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9ADb")]
    public void Ethereum_mixed_case_with_one_letter_flipped_fails_eip55(string input)
    {
        Refuse(ObservableType.EthereumAddress, input).Should().Contain("EIP-55");
    }

    [Theory]
    // BIP-173's witness program under Litecoin's prefix, and base58 P2PKH (L) and P2SH (M).
    [InlineData("ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9", "ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9")]
    [InlineData("LTC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KGMN4N9", "ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9")]
    [InlineData("LKKHMBjCU89fyFNgSRprDoD8Jb25N8uWvd", "LKKHMBjCU89fyFNgSRprDoD8Jb25N8uWvd")]
    [InlineData("M7zVKQKmtV5Rc7erVGVVC3khZbXxsS5HEX", "M7zVKQKmtV5Rc7erVGVVC3khZbXxsS5HEX")]
    public void Litecoin_addresses_are_accepted(string input, string canonical)
    {
        Canonicalise(ObservableType.LitecoinAddress, input).Value.Should().Be(canonical);
    }

    [Theory]
    [InlineData("ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n8", "checksum does not match")]
    [InlineData("ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "checksum does not match")]
    [InlineData("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "26 to 35 characters")]
    [InlineData("LKKHMBjCU89fyFNgSRprDoD8Jb25N8uWve", "checksum does not match")]
    [InlineData("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "version byte 0x00")]
    public void Litecoin_lookalikes_are_refused(string input, string reason)
    {
        Refuse(ObservableType.LitecoinAddress, input).Should().Contain(reason);
    }

    [Fact]
    public void A_monero_standard_address_is_accepted_as_written()
    {
        Canonicalise(ObservableType.MoneroAddress, MoneroGeneralFund).Value.Should().Be(MoneroGeneralFund);
    }

    [Fact]
    public void Monero_sub_and_integrated_addresses_are_accepted()
    {
        // The examples Monero's documentation gives for a sub-address and an integrated address.
        const string sub = "888tNkZrPN6JsEgekjMnABU4TBzc2Dt29EPAvkRxbANsAnjyPbb3iQ1YBRk1UXcdRsiKc9dhwMVgN5S9cQUiyoogDavup3H";
        const string integrated = "4LL9oSLmtpccfufTMvppY6JwXNouMBzSkbLYfpAV5Usx3skxNgYeYTRj5UzqtReoS44qo9mtmXCqY45DJ852K5Jv2bYXZKKQePHES9khPK";
        Canonicalise(ObservableType.MoneroAddress, sub).Value.Should().Be(sub);
        Canonicalise(ObservableType.MoneroAddress, integrated).Value.Should().Be(integrated);
    }

    [Fact]
    public void Every_one_character_change_to_a_monero_address_is_refused()
    {
        const string alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
        var random = new Random(95);
        for (var i = 0; i < MoneroGeneralFund.Length; i++)
        {
            var chars = MoneroGeneralFund.ToCharArray();
            do
            {
                chars[i] = alphabet[random.Next(alphabet.Length)];
            }
            while (chars[i] == MoneroGeneralFund[i]);

            Observables.TryCanonicalise(ObservableType.MoneroAddress, new string(chars), out _, out var reason)
                .Should().BeFalse($"position {i} was changed");
            reason.Should().StartWith("not a valid xmr-address");
        }
    }

    [Theory]
    [InlineData("44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3", "expected 95")]
    [InlineData("44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP30", "'0' is not a base58")]
    [InlineData("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", "more than")]
    public void Malformed_monero_text_is_refused_with_the_reason(string input, string reason)
    {
        Refuse(ObservableType.MoneroAddress, input).Should().Contain(reason);
    }

    [Theory]
    // The IBAN registry's example for each of a few countries, and the same with a check digit changed.
    [InlineData("DE89 3704 0044 0532 0130 00", "DE89370400440532013000")]
    [InlineData("GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432")]
    [InlineData("fr14 2004 1010 0505 0001 3m02 606", "FR1420041010050500013M02606")]
    [InlineData("SA03 8000 0000 6080 1016 7519", "SA0380000000608010167519")]
    public void Ibans_from_the_registry_are_accepted(string input, string canonical)
    {
        Canonicalise(ObservableType.Iban, input).Value.Should().Be(canonical);
    }

    [Theory]
    [InlineData("DE88370400440532013000", "mod 97")]
    [InlineData("SA0380000000608010167518", "mod 97")]
    [InlineData("DE8937040044053201300", "DE IBANs have 22 characters")]
    [InlineData("XX89370400440532013000", "does not use IBANs")]
    public void Broken_ibans_are_refused(string input, string reason)
    {
        Refuse(ObservableType.Iban, input).Should().Contain(reason);
    }

    [Fact]
    public void Every_kind_is_extracted_from_free_text_and_broken_ones_are_not()
    {
        var text = $"""
            Pay 0.5 BTC to bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4 or 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy.
            ETH: 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed; USDT (TRC-20) TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t
            LTC ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9 / LKKHMBjCU89fyFNgSRprDoD8Jb25N8uWvd
            XMR {MoneroGeneralFund}
            Wire to DE89 3704 0044 0532 0130 00 (bank) or GB82WEST12345698765432.
            Not these: bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5 LKKHMBjCU89fyFNgSRprDoD8Jb25N8uWve
            0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD DE88370400440532013000
            """;

        var found = IocExtractor.Extract(text).Observables.Select(o => $"{o.Type.ToName()}:{o.Canonical}").ToList();

        found.Should().BeEquivalentTo(
            "btc-address:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
            "btc-address:3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
            "eth-address:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
            "tron-address:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
            "ltc-address:ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9",
            "ltc-address:LKKHMBjCU89fyFNgSRprDoD8Jb25N8uWvd",
            "xmr-address:" + MoneroGeneralFund,
            "iban:DE89370400440532013000",
            "iban:GB82WEST12345698765432");
    }

    [Fact]
    public void An_extortion_email_reports_the_wallet_and_account_it_asks_to_be_paid_into()
    {
        var report = Mail.Analyse(Mail.Message("""
            From: a@sender.test
            Date: Mon, 1 Jun 2026 10:00:00 +0000
            Message-ID: <1@sender.test>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8
            """, $"Send 1000 USD in bitcoin to 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa or XMR to {MoneroGeneralFund}.\r\nOr wire: DE89 3704 0044 0532 0130 00\r\n"), Mail.Options());

        report.Indicators.Select(i => i.ToString()).Should().Contain(
        [
            "btc-address:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "xmr-address:" + MoneroGeneralFund, "iban:DE89370400440532013000",
        ]);
        report.Urls.Should().BeEmpty();
    }

    [Fact]
    public void Addresses_in_a_files_strings_are_reported_with_their_offsets()
    {
        var bytes = new byte[4096];
        var ransom = Encoding.ASCII.GetBytes("wallet=ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9\0");
        ransom.CopyTo(bytes, 0x200);
        var monero = Encoding.Unicode.GetBytes(MoneroGeneralFund + "\0");
        monero.CopyTo(bytes, 0x400);

        var analysis = FileAnalyzer.Analyze(new MemoryStream(bytes));

        analysis.Strings.Indicators.Should().Contain(new FileIndicator("ltc-address", "ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9", 0x200));
        analysis.Strings.Indicators.Should().Contain(new FileIndicator("xmr-address", MoneroGeneralFund, 0x400));
    }

    private static Canonical Canonicalise(ObservableType type, string input)
    {
        Observables.TryCanonicalise(type, input, out var value, out var reason).Should().BeTrue(reason);
        Observables.TryCanonicalise(type, value.Value, out var again, out _).Should().BeTrue();
        again.Should().Be(value, "canonicalisation is idempotent");
        return value;
    }

    private static string Refuse(ObservableType type, string input)
    {
        Observables.TryCanonicalise(type, input, out _, out var reason).Should().BeFalse();
        return reason;
    }
}
