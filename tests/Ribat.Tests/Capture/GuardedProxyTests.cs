using System.Net;
using System.Net.Sockets;
using System.Text;
using Ribat.Capture;
using Ribat.Core.Capture;

namespace Ribat.Tests.Capture;

/// <summary>
/// The capture browser's only way out: what it lets through, what it refuses and says why, and what it does with a
/// request head that is not one.
/// </summary>
public sealed class GuardedProxyTests : LoopbackSiteTests
{
    private static HttpClient Through(GuardedProxy proxy) =>
        new(new HttpClientHandler { Proxy = new WebProxy(proxy.Address) { BypassProxyOnLocal = false }, UseProxy = true, AllowAutoRedirect = false })
        {
            Timeout = TimeSpan.FromSeconds(20),
        };

    [Fact]
    public async Task A_page_on_loopback_passes_when_loopback_is_allowed()
    {
        await using var proxy = GuardedProxy.Start(new CaptureOptions { AllowLoopback = true });
        using var client = Through(proxy);

        using var response = await client.GetAsync(Site.Url("/profile/7"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("X-Served-By").Should().Equal("loopback-site");
        (await response.Content.ReadAsStringAsync()).Should().Contain(LoopbackSite.Threat);
        proxy.Blocked.Should().BeEmpty();
    }

    [Fact]
    public async Task A_page_on_loopback_is_refused_by_default_and_recorded_with_the_reason()
    {
        await using var proxy = GuardedProxy.Start(new CaptureOptions());
        using var client = Through(proxy);

        using var response = await client.GetAsync(Site.Url("/profile/7"));

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        response.Headers.GetValues(GuardedProxy.RefusedHeader).Single().Should().Contain("loopback");
        (await response.Content.ReadAsStringAsync()).Should().NotContain(LoopbackSite.Threat);
        proxy.Blocked.Should().ContainSingle().Which.Target.Should().Be(Site.Url("/profile/7").AbsoluteUri);
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused_as_its_address_is()
    {
        await using var proxy = GuardedProxy.Start(new CaptureOptions { AllowPrivateNetworks = true });
        using var client = Through(proxy);

        using var response = await client.GetAsync(new Uri($"http://localhost:{Site.Address.Port}/profile/7"));

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        proxy.Blocked.Single().Reason.Should().Contain("loopback");
    }

    [Fact]
    public async Task A_tunnel_to_the_cloud_metadata_address_is_refused_even_when_everything_internal_is_allowed()
    {
        await using var proxy = GuardedProxy.Start(new CaptureOptions { AllowLoopback = true, AllowPrivateNetworks = true });
        using var client = Through(proxy);

        var call = () => client.GetAsync(new Uri("https://169.254.169.254/latest/meta-data/"));

        await call.Should().ThrowAsync<HttpRequestException>();
        var blocked = proxy.Blocked.Should().ContainSingle().Subject;
        blocked.Target.Should().Be("169.254.169.254:443");
        blocked.Reason.Should().Contain("link-local");
    }

    [Fact]
    public async Task A_host_that_does_not_resolve_is_answered_unreachable_and_not_recorded_as_refused()
    {
        await using var proxy = GuardedProxy.Start(new CaptureOptions());
        using var client = Through(proxy);

        using var response = await client.GetAsync(new Uri("http://no-such-host.invalid/page"));

        response.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        response.Headers.GetValues(GuardedProxy.UnreachableHeader).Single().Should().Contain("does not resolve");
        proxy.Blocked.Should().BeEmpty();
    }

    [Theory]
    [InlineData("GET /relative HTTP/1.1\r\nHost: x\r\n\r\n", "400")]
    [InlineData("nonsense\r\n\r\n", "400")]
    [InlineData("CONNECT example.org HTTP/1.1\r\n\r\n", "400")]
    [InlineData("CONNECT example.org:99999 HTTP/1.1\r\n\r\n", "400")]
    [InlineData("GET ftp://example.org/ HTTP/1.1\r\n\r\n", "400")]
    public async Task A_head_that_is_not_a_proxy_request_gets_400(string head, string status)
    {
        await using var proxy = GuardedProxy.Start(new CaptureOptions());

        (await RawAsync(proxy, Encoding.Latin1.GetBytes(head))).Should().StartWith($"HTTP/1.1 {status} ");
    }

    [Fact]
    public async Task A_head_larger_than_64_KiB_gets_431_and_a_truncated_one_is_dropped()
    {
        await using var proxy = GuardedProxy.Start(new CaptureOptions());

        var huge = Encoding.Latin1.GetBytes("GET http://example.org/ HTTP/1.1\r\nX-Filler: " + new string('a', 70_000) + "\r\n\r\n");
        (await RawAsync(proxy, huge)).Should().StartWith("HTTP/1.1 431 ");
        (await RawAsync(proxy, Encoding.Latin1.GetBytes("GET http://example.org/ HTTP/1.1\r\nHost: exa"))).Should().BeEmpty();
        proxy.Blocked.Should().BeEmpty();
    }

    /// <summary>Sends <paramref name="bytes"/>, ends the sending side, and reads the answer until the proxy closes.</summary>
    private static async Task<string> RawAsync(GuardedProxy proxy, byte[] bytes)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, proxy.Address.Port);
        var stream = tcp.GetStream();
        try
        {
            await stream.WriteAsync(bytes);
        }
        catch (IOException)
        {
            // The proxy may answer and close before it has read all of an oversized head.
        }

        tcp.Client.Shutdown(SocketShutdown.Send);
        using var answer = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await stream.CopyToAsync(answer, timeout.Token);
        }
        catch (IOException)
        {
            // A reset after the answer.
        }

        return Encoding.Latin1.GetString(answer.ToArray());
    }
}
