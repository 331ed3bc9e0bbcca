using System.Net;
using System.Net.Sockets;

namespace Ribat.Core.Notifications;

/// <summary>
/// Where a webhook may connect. Organisation administrators enter webhook addresses, and the node calls them, so a
/// webhook must not become a way to make the node call what only it can reach: the cloud metadata service and other
/// link-local addresses, the unspecified, multicast and reserved ranges, and — unless the operator allows it —
/// the node itself (loopback). Private networks stay allowed: a CERT's ticketing system usually lives on one. The
/// check runs on every connection, after name resolution and after any redirect, so a name that resolves to a
/// forbidden address (or changes to one later) is caught too.
/// </summary>
internal static class WebhookAddresses
{
    /// <summary>Why <paramref name="address"/> may not be called; null when it may.</summary>
    public static string? Refusal(IPAddress address, bool allowLoopback)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return allowLoopback ? null : "a loopback address (this node itself)";
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.Equals(IPAddress.IPv6Any) ? "the unspecified address"
                : address.IsIPv6LinkLocal ? "a link-local address"
                : address.IsIPv6Multicast ? "a multicast address"
                : null;
        }

        var b = address.GetAddressBytes();
        return b[0] == 0 ? "an address of 'this network' (0.0.0.0/8)"
            : b[0] == 169 && b[1] == 254 ? "a link-local address (169.254.0.0/16, where cloud metadata services answer)"
            : b[0] == 100 && b[1] >= 64 && b[1] < 128 ? "a carrier-grade NAT address (100.64.0.0/10)"
            : b[0] >= 224 ? "a multicast or reserved address (224.0.0.0/3)"
            : null;
    }

    /// <summary>The refusal for a URL whose host is an address literal; null for a name (checked when connecting).</summary>
    public static string? RefusalOfLiteral(Uri url, bool allowLoopback) =>
        IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var literal) && Refusal(literal, allowLoopback) is { } why
            ? $"{url.Host} is {why}; webhooks may not call it"
            : null;

    /// <summary>Connects to the first allowed address the host resolves to, refusing when none is allowed.</summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Connect(bool allowLoopback) => async (context, cancellationToken) =>
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = addresses.Where(a => Refusal(a, allowLoopback) is null).ToArray();
        if (allowed.Length == 0)
        {
            var why = addresses.Length == 0 ? "no address" : Refusal(addresses[0], allowLoopback);
            throw new HttpRequestException($"{host} resolves to {why}; webhooks may not call it");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    };
}
