using System.Net;
using System.Net.Sockets;
using FluentAssertions;
using Ribat.Core.Notifications;
using Xunit;

namespace Ribat.Core.Tests.Notifications;

public sealed class WebhookAddressesTests
{
    [Theory]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("169.254.0.1", "link-local")]
    [InlineData("0.0.0.0", "this network")]
    [InlineData("100.64.0.1", "carrier-grade")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("255.255.255.255", "reserved")]
    [InlineData("::", "unspecified")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("::ffff:169.254.169.254", "link-local")]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("::1", "loopback")]
    public void Addresses_only_the_node_can_reach_are_refused_with_the_reason(string address, string reason) =>
        WebhookAddresses.Refusal(IPAddress.Parse(address), allowLoopback: false).Should().Contain(reason);

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("192.168.10.20")]
    [InlineData("172.16.0.5")]
    [InlineData("203.0.113.7")]
    [InlineData("2001:db8::7")]
    [InlineData("100.128.0.1")]
    public void Private_and_public_addresses_may_be_called(string address) =>
        WebhookAddresses.Refusal(IPAddress.Parse(address), allowLoopback: false).Should().BeNull();

    [Fact]
    public void Loopback_is_allowed_only_when_the_operator_says_so()
    {
        WebhookAddresses.Refusal(IPAddress.Loopback, allowLoopback: true).Should().BeNull();
        WebhookAddresses.Refusal(IPAddress.Parse("169.254.169.254"), allowLoopback: true).Should().NotBeNull("link-local is never called");
    }

    [Fact]
    public async Task A_name_that_resolves_only_to_a_refused_address_is_not_connected_to()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var refusing = new HttpClient(new SocketsHttpHandler { ConnectCallback = WebhookAddresses.Connect(allowLoopback: false) });

        var call = () => refusing.PostAsync($"http://localhost:{port}/hook", new StringContent("{}"));

        (await call.Should().ThrowAsync<HttpRequestException>()).Which.Message.Should().Contain("loopback");
        listener.Pending().Should().BeFalse("no connection was made");

        using var allowing = new HttpClient(new SocketsHttpHandler { ConnectCallback = WebhookAddresses.Connect(allowLoopback: true) }) { Timeout = TimeSpan.FromSeconds(5) };
        var accepted = listener.AcceptTcpClientAsync();
        _ = allowing.PostAsync($"http://localhost:{port}/hook", new StringContent("{}"));
        using var connection = await accepted.WaitAsync(TimeSpan.FromSeconds(10));
        connection.Connected.Should().BeTrue("an allowed address is connected to");
    }
}
