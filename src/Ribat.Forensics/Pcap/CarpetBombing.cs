namespace Ribat.Forensics.Pcap;

/// <summary>
/// Attack traffic spread over many addresses of one prefix, none of them hit hard: the form that slips under
/// per-address thresholds of a mitigation. <see cref="Share"/> is the prefix's part of all bytes;
/// <see cref="TopDestinationShare"/> is the busiest address's part of the prefix's bytes.
/// </summary>
public sealed record CarpetBombing(string Prefix, int Destinations, long Packets, long Bytes, double Share, double TopDestinationShare);

/// <summary>
/// What the sources of direct floods say about random spoofing. Each sign is measured whatever the verdict, so a
/// reader can weigh them; <see cref="Likely"/> is set when at least two signs hold on enough sources to mean
/// something. <see cref="FloodSources"/> counts the sources tracked by the flood vectors (each capped, see
/// <see cref="VectorClassifier"/>), so on huge floods the signs are read from a large sample.
/// </summary>
public sealed record SpoofingSigns(
    bool Likely,
    int FloodSources,
    double FewPacketSourceShare,
    int Ipv4Slash8Count,
    int BogonSources,
    long BogonPackets,
    int TtlSpreadSources,
    IReadOnlyList<string> Reasons);
