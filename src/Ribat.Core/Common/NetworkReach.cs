using System.Net;
using System.Net.Sockets;

namespace Ribat.Core.Common;

/// <summary>
/// Which addresses the node may connect to on a user's behalf (a webhook, a captured web page and what it loads). A
/// user-supplied address must not make the node call what only it can reach: link-local addresses (where cloud
/// metadata services answer), the unspecified, multicast and reserved ranges are never reached; loopback (the node
/// itself) and private networks only when the caller allows them.
/// </summary>
public static class NetworkReach
{
    /// <summary>Why <paramref name="address"/> may not be reached; null when it may.</summary>
    public static string? Refusal(IPAddress address, bool allowLoopback, bool allowPrivate)
    {
        ArgumentNullException.ThrowIfNull(address);
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
                : address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal ? (allowPrivate ? null : "a private network address (fc00::/7)")
                : null;
        }

        var b = address.GetAddressBytes();
        return b[0] == 0 ? "an address of 'this network' (0.0.0.0/8)"
            : b[0] == 169 && b[1] == 254 ? "a link-local address (169.254.0.0/16, where cloud metadata services answer)"
            : b[0] == 100 && b[1] >= 64 && b[1] < 128 ? "a carrier-grade NAT address (100.64.0.0/10)"
            : b[0] >= 224 ? "a multicast or reserved address (224.0.0.0/3)"
            : !allowPrivate && (b[0] == 10 || (b[0] == 172 && b[1] >= 16 && b[1] < 32) || (b[0] == 192 && b[1] == 168))
                ? "a private network address (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)"
            : null;
    }

    /// <summary>
    /// The addresses <paramref name="host"/> (a name or an address literal) resolves to that may be reached, or why
    /// none may.
    /// </summary>
    public static async Task<(IPAddress[] Allowed, string? Refusal)> ResolveAsync(string host, bool allowLoopback, bool allowPrivate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
            }
            catch (SocketException)
            {
                return ([], $"{host} does not resolve");
            }
        }

        var allowed = addresses.Where(a => Refusal(a, allowLoopback, allowPrivate) is null).ToArray();
        return allowed.Length > 0 ? (allowed, null)
            : addresses.Length == 0 ? ([], $"{host} resolves to no address")
            : ([], $"{host} is {Refusal(addresses[0], allowLoopback, allowPrivate)}");
    }
}
