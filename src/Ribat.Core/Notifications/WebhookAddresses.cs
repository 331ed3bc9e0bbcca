using System.Net;
using System.Net.Sockets;
using Ribat.Core.Common;

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
    /// <summary>Why <paramref name="address"/> may not be called; null when it may. Private networks are allowed.</summary>
    public static string? Refusal(IPAddress address, bool allowLoopback) => NetworkReach.Refusal(address, allowLoopback, allowPrivate: true);

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
