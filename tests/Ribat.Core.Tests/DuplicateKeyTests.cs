using Ribat.Core.Indicators;

namespace Ribat.Core.Tests;

public class DuplicateKeyTests
{
    [Fact]
    public void The_duplicate_key_keeps_a_scope_together_and_tells_values_apart()
    {
        var owner = Guid.NewGuid();
        var report = Guid.NewGuid();
        var a = CorrelationKeys.DuplicateKey(owner, report, "ipv4", CorrelationKeys.Key("ipv4", "192.0.2.1"));
        var b = CorrelationKeys.DuplicateKey(owner, report, "ipv4", CorrelationKeys.Key("ipv4", "192.0.2.2"));
        var standalone = CorrelationKeys.DuplicateKey(owner, null, "ipv4", CorrelationKeys.Key("ipv4", "192.0.2.1"));
        var asHost = CorrelationKeys.DuplicateKey(owner, report, "hostname", CorrelationKeys.Key("domain", "x.example"));
        var asDomain = CorrelationKeys.DuplicateKey(owner, report, "domain", CorrelationKeys.Key("domain", "x.example"));

        a.Should().Be(CorrelationKeys.DuplicateKey(owner, report, "ipv4", CorrelationKeys.Key("ipv4", "192.0.2.1")));
        b.Should().NotBe(a);
        (a >>> 44).Should().Be(b >>> 44, "rows of one report share the key's high bits");
        standalone.Should().NotBe(a);
        asHost.Should().NotBe(asDomain, "the type is part of what repeats");
    }
}
