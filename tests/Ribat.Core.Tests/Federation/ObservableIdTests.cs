using System.IO.Hashing;
using System.Text;
using Ribat.Core.Federation;
using Ribat.Core.Indicators;
using Ribat.Stix.Identifiers;

namespace Ribat.Core.Tests.Federation;

/// <summary>
/// An indicator's observable gets the id the general STIX derivation gives, by the short way, for every type; its value
/// is indexed by the first 64 bits of that id.
/// </summary>
public sealed class ObservableIdTests
{
    [Theory]
    [InlineData("ipv4", "198.51.100.3")]
    [InlineData("ipv6", "2001:db8::1")]
    [InlineData("cidr", "198.51.100.0/24")]
    [InlineData("cidr", "2001:db8::/32")]
    [InlineData("domain", "xn--bcher-kva.example")]
    [InlineData("hostname", "mail.example.org")]
    [InlineData("url", "https://login.example.org/reset?x='1'&y=\\2\"")]
    [InlineData("email", "someone@example.org")]
    [InlineData("asn", "AS64500")]
    [InlineData("asn", "AS4294967295")]
    [InlineData("file-name", "invoice «final» \"2\".exe")]
    [InlineData("user-account", "someone\\x")]
    [InlineData("md5", "d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709")]
    [InlineData("sha256", "aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f")]
    [InlineData("sha512", "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e")]
    [InlineData("ssdeep", "3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C")]
    public void The_observable_id_is_the_general_derivation(string type, string value)
    {
        var observable = StixObservableMap.Observable(type, value)!;
        observable.Id.Should().Be(StixIdentifier.Deterministic(observable));
        ObservableIds.Of(type, value).Should().Be(observable.Id);
        ObservableIds.TryKey(observable.Id, out var key).Should().BeTrue();
        CorrelationKeys.Key(type, value).Should().Be(key, "the value index finds the observable by its id");
        Convert.ToHexStringLower(BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(key)))
            .Should().Be(observable.Id[(observable.Id.IndexOf("--", StringComparison.Ordinal) + 2)..].Replace("-", string.Empty, StringComparison.Ordinal)[..16]);
    }

    [Fact]
    public void A_domain_and_a_host_name_of_one_name_are_one_observable_with_one_key()
    {
        CorrelationKeys.Key("domain", "mail.example.org").Should().Be(CorrelationKeys.Key("hostname", "mail.example.org"));
        CorrelationKeys.Key("ipv4", "198.51.100.0").Should().NotBe(CorrelationKeys.Key("cidr", "198.51.100.0/24"));
        CorrelationKeys.Key("md5", "d41d8cd98f00b204e9800998ecf8427e").Should().NotBe(CorrelationKeys.Key("ja3", "d41d8cd98f00b204e9800998ecf8427e"));
    }

    [Theory]
    [InlineData("ipv4-addr--not-a-uuid")]
    [InlineData("ipv4-addr")]
    [InlineData("")]
    [InlineData("ipv4-addr--28bb3599-77cd-5a82-a950")]
    public void A_malformed_id_has_no_key(string id) => ObservableIds.TryKey(id, out _).Should().BeFalse();

    [Fact]
    public void A_new_value_key_keeps_the_duplicate_key_s_scope()
    {
        var owner = Guid.NewGuid();
        var report = Guid.NewGuid();
        var old = unchecked((long)XxHash3.HashToUInt64(Encoding.UTF8.GetBytes("ipv4\n192.0.2.1")));
        var stored = CorrelationKeys.DuplicateKey(owner, report, "ipv4", old);
        var key = CorrelationKeys.Key("ipv4", "192.0.2.1");
        CorrelationKeys.WithValueKey(stored, "ipv4", key).Should().Be(CorrelationKeys.DuplicateKey(owner, report, "ipv4", key));
        CorrelationKeys.WithValueKey(stored, "ipv4", key).Should().NotBe(stored);
    }

    [Theory]
    [InlineData("btc-address", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT")]
    [InlineData("iban", "DE89370400440532013000")]
    [InlineData("ja3", "e7d705a3286e19ea42f587b344ee6865")]
    public void Types_without_a_stix_observable_have_none(string type, string value)
    {
        StixObservableMap.Observable(type, value).Should().BeNull();
        ObservableIds.Of(type, value).Should().BeNull();
        CorrelationKeys.Key(type, value).Should().Be(unchecked((long)XxHash3.HashToUInt64(Encoding.UTF8.GetBytes($"{type}\n{value}"))), "a value without an observable keeps the hash");
    }
}
