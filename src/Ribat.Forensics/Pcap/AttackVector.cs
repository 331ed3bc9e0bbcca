namespace Ribat.Forensics.Pcap;

/// <summary>
/// One kind of attack traffic found in a capture. <see cref="Share"/> is its part of all bytes (0..1);
/// <see cref="Evidence"/> says in plain words why the packets were put here, so a reader can disagree.
/// </summary>
public sealed record AttackVector(string Name, long Packets, long Bytes, double Share, IReadOnlyList<string> Evidence);

/// <summary>
/// An address that sent traffic matched to a reflection vector. A reflector answers from a fixed host, so a wide
/// TTL spread from one address hints that the "reflector" is itself spoofed.
/// </summary>
public sealed record Reflector(NetworkAddress Address, string Vector, long Packets, long Bytes, byte MinTtl, byte MaxTtl);
