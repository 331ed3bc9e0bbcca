using System.Net;
using System.Net.Sockets;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Email;

/// <summary>
/// The recipient's own infrastructure: domains (a host is internal when it is the domain or under it) and address
/// blocks. Private, loopback, link-local and shared (CGNAT) addresses are internal whatever the list says, since no
/// message can arrive from them over the Internet.
/// </summary>
public sealed class InternalNetworks
{
    private static readonly IPNetwork[] AlwaysInternal =
    [
        IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"),
    ];

    private readonly string[] _domains;
    private readonly IPNetwork[] _networks;

    private InternalNetworks(string[] domains, IPNetwork[] networks)
    {
        _domains = domains;
        _networks = networks;
    }

    public static InternalNetworks None { get; } = new([], []);

    public IReadOnlyList<string> Domains => _domains;

    public IReadOnlyList<IPNetwork> Networks => _networks;

    /// <summary>Parses <c>example.org, 192.0.2.0/24, 2001:db8::/32, 198.51.100.7</c>; false names the first bad entry.</summary>
    public static bool TryParse(IEnumerable<string> entries, out InternalNetworks networks, out string reason)
    {
        var domains = new List<string>();
        var blocks = new List<IPNetwork>();
        foreach (var raw in entries)
        {
            var entry = raw.Trim();
            if (entry.Length == 0)
            {
                continue;
            }

            if (IPNetwork.TryParse(entry, out var block))
            {
                blocks.Add(block);
            }
            else if (IPAddress.TryParse(entry, out var address) && entry.Contains(address.AddressFamily == AddressFamily.InterNetwork ? '.' : ':'))
            {
                blocks.Add(new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
            }
            else if (Observables.TryCanonicalise(ObservableType.Hostname, entry, out var host, out _))
            {
                domains.Add(host.Value);
            }
            else
            {
                networks = None;
                reason = $"'{entry}' is neither a domain, an IP address nor a CIDR block.";
                return false;
            }
        }

        networks = new InternalNetworks([.. domains], [.. blocks]);
        reason = string.Empty;
        return true;
    }

    /// <summary>True for a canonical address inside a listed block or a private, loopback or link-local range.</summary>
    public bool IsInternalAddress(string? ip)
    {
        if (ip is null || !IPAddress.TryParse(ip, out var address))
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var block in AlwaysInternal)
        {
            if (block.Contains(address))
            {
                return true;
            }
        }

        foreach (var block in _networks)
        {
            if (block.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="host"/> is a listed domain or lies under one (<c>mx1.example.org</c>).</summary>
    public bool IsInternalHost(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return false;
        }

        foreach (var domain in _domains)
        {
            if (host.Equals(domain, StringComparison.OrdinalIgnoreCase) ||
                (host.Length > domain.Length && host.EndsWith(domain, StringComparison.OrdinalIgnoreCase) && host[host.Length - domain.Length - 1] == '.'))
            {
                return true;
            }
        }

        return false;
    }
}
