using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Exchange;

/// <summary>One value to block, with an optional message (a reason, a report reference) carried into the rule or zone.</summary>
public sealed record BlocklistEntry(ObservableType Type, string Value, string? Message = null);

public enum BlocklistFormat
{
    /// <summary>One canonical value per line, every type.</summary>
    Plain,

    /// <summary><c>0.0.0.0 domain</c> lines for a hosts file or a DNS sinkhole; domains and host names only.</summary>
    Hosts,

    /// <summary>Suricata rules: IP rules for addresses and networks, <c>dns.query</c> rules for names.</summary>
    Suricata,

    /// <summary>Snort rules: IP rules for addresses and networks, DNS wire-format content rules for names.</summary>
    Snort,

    /// <summary>A DNS Response Policy Zone: QNAME triggers for names, <c>rpz-ip</c> triggers for addresses and networks.</summary>
    Rpz,
}

public enum RuleAction
{
    /// <summary>Log a match; safe on a sensor that only watches.</summary>
    Alert,

    /// <summary>Block a match; needs an inline (IPS) deployment.</summary>
    Drop,
}

public sealed record BlocklistOptions
{
    public static BlocklistOptions Default { get; } = new();

    public RuleAction Action { get; init; } = RuleAction.Alert;

    /// <summary>The first rule's sid; each rule written takes the next. 1,000,000 and up is the range for local rules.</summary>
    public long FirstSid { get; init; } = 1_000_000;

    /// <summary>Starts every rule message, so analysts see where an alert came from.</summary>
    public string MessagePrefix { get; init; } = "Ribat";

    /// <summary>Written as <c>$ORIGIN</c> when set; without it the zone takes the name it is loaded as.</summary>
    public string? RpzOrigin { get; init; }

    /// <summary>The zone's SOA serial: it must grow with every new version of the zone for secondaries to fetch it.</summary>
    public long RpzSerial { get; init; } = 1;

    public int RpzTtl { get; init; } = 300;

    public string RpzPrimary { get; init; } = "localhost.";

    public string RpzHostmaster { get; init; } = "hostmaster.localhost.";
}

/// <summary>What a block list holds and what it left out, so a user can see nothing was dropped silently.</summary>
public sealed record BlocklistResult(int Written, int Duplicates, int Invalid, IReadOnlyDictionary<ObservableType, int> Unsupported)
{
    /// <summary>Entries not written because the format cannot express their type, or their value is not valid.</summary>
    public int Skipped => Invalid + Unsupported.Values.Sum();
}
