using System.Net;
using FluentAssertions;
using Ribat.Core.Common;
using Xunit;

namespace Ribat.Core.Tests.Common;

public sealed class NetworkReachTests
{
    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.5")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.10.20")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("::ffff:192.168.1.1")]
    public void Private_networks_are_refused_unless_allowed(string address)
    {
        NetworkReach.Refusal(IPAddress.Parse(address), allowLoopback: false, allowPrivate: false).Should().Contain("private network");
        NetworkReach.Refusal(IPAddress.Parse(address), allowLoopback: false, allowPrivate: true).Should().BeNull();
    }

    [Theory]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("192.169.0.1")]
    [InlineData("11.0.0.1")]
    [InlineData("2001:db8::7")]
    public void Neighbours_of_the_private_ranges_are_public(string address) =>
        NetworkReach.Refusal(IPAddress.Parse(address), allowLoopback: false, allowPrivate: false).Should().BeNull();

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("fe80::1")]
    [InlineData("0.0.0.0")]
    [InlineData("240.0.0.1")]
    public void Link_local_and_reserved_addresses_are_never_reached(string address) =>
        NetworkReach.Refusal(IPAddress.Parse(address), allowLoopback: true, allowPrivate: true).Should().NotBeNull();

    [Fact]
    public async Task A_name_is_judged_by_the_addresses_it_resolves_to()
    {
        var (allowed, refusal) = await NetworkReach.ResolveAsync("localhost", allowLoopback: false, allowPrivate: true, CancellationToken.None);
        allowed.Should().BeEmpty();
        refusal.Should().Be("localhost is a loopback address (this node itself)");

        (allowed, refusal) = await NetworkReach.ResolveAsync("localhost", allowLoopback: true, allowPrivate: false, CancellationToken.None);
        allowed.Should().NotBeEmpty().And.OnlyContain(a => IPAddress.IsLoopback(a));
        refusal.Should().BeNull();

        (allowed, refusal) = await NetworkReach.ResolveAsync("no-such-host.invalid", allowLoopback: true, allowPrivate: true, CancellationToken.None);
        allowed.Should().BeEmpty();
        refusal.Should().Be("no-such-host.invalid does not resolve");
    }
}
