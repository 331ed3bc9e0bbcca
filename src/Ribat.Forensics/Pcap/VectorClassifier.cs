namespace Ribat.Forensics.Pcap;

/// <summary>
/// Puts each decoded packet into at most one attack vector: a reflection service by UDP source port, a TCP flood by
/// its flags, ICMP, or non-first fragments. Per packet it costs an array read and one hash lookup, no allocation;
/// the judgement of what is worth reporting is made once, in <see cref="ToVectors"/>.
/// </summary>
public sealed class VectorClassifier
{
    /// <summary>A vector below this part of the packets and of the bytes is noise next to the attack.</summary>
    public const double MinShare = 0.01;

    /// <summary>A handful of packets is not a flood, whatever share it has of a tiny capture.</summary>
    public const long MinPackets = 10;

    private const ushort Fin = 0x01;
    private const ushort Syn = 0x02;
    private const ushort Rst = 0x04;
    private const ushort Ack = 0x10;

    private readonly VectorCounter[] _counters;
    private readonly AnsweredFlows _answered = new();

    // Set for a capture read apart from earlier ones: its unanswered ACKs wait for what those saw (see Merge).
    private PendingAcks? _pending;
    private readonly int _synFlood;
    private readonly int _synAckReflection;
    private readonly int _ackFlood;
    private readonly int _rstFlood;
    private readonly int _udpFlood;
    private readonly int _icmpFlood;
    private readonly int _fragmentFlood;

    public VectorClassifier()
    {
        var counters = new List<VectorCounter>();
        foreach (var service in ReflectionServices.All)
        {
            counters.Add(new VectorCounter(service.Vector, isReflection: true));
        }

        _synFlood = Append(counters, "tcp-syn-flood", false);
        _synAckReflection = Append(counters, "tcp-synack-reflection", true);
        _ackFlood = Append(counters, "tcp-ack-flood", false);
        _rstFlood = Append(counters, "tcp-rst-flood", false);
        _udpFlood = Append(counters, "udp-flood", false);
        _icmpFlood = Append(counters, "icmp-flood", false);
        _fragmentFlood = Append(counters, "ip-fragment-flood", false);
        _counters = [.. counters];
    }

    /// <summary>ACK-only packets left out of <c>tcp-ack-flood</c> because the other side of their connection acknowledges too.</summary>
    public long EstablishedAckPackets { get; private set; }

    /// <summary>
    /// Holds back ACK-only packets that nothing in this capture has answered yet, for a classifier that will be merged
    /// after the ones of earlier captures (<see cref="Merge"/>): read in turn, an earlier capture could answer them.
    /// </summary>
    internal void AwaitEarlierCaptures() => _pending = new PendingAcks();

    /// <summary>
    /// Adds the counts of <paramref name="later"/>, a classifier of captures that come after these. ACK-only packets it
    /// held back count as answered when a direction remembered here acknowledged them, otherwise as the ACK flood.
    /// </summary>
    public void Merge(VectorClassifier later)
    {
        ArgumentNullException.ThrowIfNull(later);
        if (later._pending is { } pending)
        {
            foreach (var (reverseKey, held) in pending.Directions)
            {
                if (_answered.Contains(reverseKey))
                {
                    EstablishedAckPackets += held.Packets;
                }
                else
                {
                    _counters[_ackFlood].Add(held);
                }
            }
        }

        for (var i = 0; i < _counters.Length; i++)
        {
            _counters[i].Merge(later._counters[i]);
        }

        EstablishedAckPackets += later.EstablishedAckPackets;
        _answered.Merge(later._answered);
    }

    /// <summary>Adds one packet; <paramref name="data"/> is its captured bytes (empty skips payload checks).</summary>
    public void Add(in DecodedPacket decoded, ReadOnlySpan<byte> data, long originalLength)
    {
        if (decoded.Network is not (NetworkProtocol.IPv4 or NetworkProtocol.IPv6))
        {
            return;
        }

        var payload = PayloadOf(decoded, data);
        var confirmed = false;
        var index = -1;
        if (decoded.Has(PacketFlags.NonFirstFragment))
        {
            index = _fragmentFlood;
        }
        else if (decoded.Transport == TransportProtocol.Udp)
        {
            index = ReflectionIndex(decoded, payload, out confirmed);
        }
        else if (decoded.Transport == TransportProtocol.Tcp)
        {
            index = TcpIndex(decoded, out confirmed);
            if ((decoded.TcpFlags & Ack) != 0)
            {
                _answered.Remember(decoded);
            }

            if (index == _ackFlood && _answered.IsAnswered(decoded))
            {
                EstablishedAckPackets++;
                index = -1;
            }
            else if (index == _ackFlood && _pending is { } pending && pending.TryAdd(AnsweredFlows.ReverseKey(decoded), decoded, payload, originalLength))
            {
                index = -1;
            }
        }
        else if (decoded.Transport is TransportProtocol.Icmp or TransportProtocol.Icmpv6)
        {
            index = _icmpFlood;
        }

        if (index >= 0)
        {
            _counters[index].Add(decoded, payload, originalLength, confirmed);
        }
    }

    /// <summary>Vectors past the thresholds, most bytes first.</summary>
    public IReadOnlyList<AttackVector> ToVectors(long totalPackets, long totalBytes)
    {
        var vectors = new List<AttackVector>();
        foreach (var counter in _counters)
        {
            var packetShare = totalPackets > 0 ? (double)counter.Packets / totalPackets : 0;
            var byteShare = totalBytes > 0 ? (double)counter.Bytes / totalBytes : 0;
            if (counter.Packets >= MinPackets && (packetShare >= MinShare || byteShare >= MinShare))
            {
                vectors.Add(new AttackVector(counter.Name, counter.Packets, counter.Bytes, byteShare, VectorEvidence.For(counter, ServiceOf(counter), EstablishedAckPackets)));
            }
        }

        vectors.Sort((x, y) => y.Bytes != x.Bytes ? y.Bytes.CompareTo(x.Bytes) : y.Packets.CompareTo(x.Packets));
        return vectors;
    }

    /// <summary>The <paramref name="limit"/> sources sending the most bytes in reported reflection vectors.</summary>
    public IReadOnlyList<Reflector> ToReflectors(IReadOnlyList<AttackVector> reported, int limit)
    {
        var reflectors = new List<Reflector>();
        foreach (var counter in _counters)
        {
            if (!counter.IsReflection || !IsReported(reported, counter.Name))
            {
                continue;
            }

            foreach (var (address, count) in counter.Sources)
            {
                reflectors.Add(new Reflector(address, counter.Name, count.Packets, count.Bytes, count.MinTtl, count.MaxTtl));
            }
        }

        reflectors.Sort((x, y) => y.Bytes != x.Bytes ? y.Bytes.CompareTo(x.Bytes) : y.Packets.CompareTo(x.Packets));
        return reflectors.Count > limit ? reflectors.GetRange(0, limit) : reflectors;
    }

    /// <summary>Tracked sources of the vectors that are not reflection, merged by address.</summary>
    internal Dictionary<NetworkAddress, SourceCount> DirectFloodSources()
    {
        var merged = new Dictionary<NetworkAddress, SourceCount>();
        foreach (var counter in _counters)
        {
            if (counter.IsReflection)
            {
                continue;
            }

            foreach (var (address, count) in counter.Sources)
            {
                merged[address] = merged.TryGetValue(address, out var seen)
                    ? new SourceCount(seen.Packets + count.Packets, seen.Bytes + count.Bytes, Math.Min(seen.MinTtl, count.MinTtl), Math.Max(seen.MaxTtl, count.MaxTtl))
                    : count;
            }
        }

        return merged;
    }

    /// <summary>One line per vector whose source table was capped, so its source counts read as lower bounds.</summary>
    public IReadOnlyList<string> Notes()
    {
        var notes = new List<string>();
        if (_answered.IsFull)
        {
            notes.Add(FormattableString.Invariant($"tcp-ack-flood: TCP directions were remembered up to {AnsweredFlows.MaxFlows:N0}; ACKs of later connections count as unanswered"));
        }

        foreach (var counter in _counters)
        {
            if (counter.IsCapped)
            {
                notes.Add(FormattableString.Invariant($"{counter.Name}: sources were tracked up to {VectorCounter.MaxSources:N0}; {counter.UntrackedPackets:N0} packets from further sources are counted in the vector but not per source"));
            }
        }

        return notes;
    }

    private static int Append(List<VectorCounter> counters, string name, bool isReflection)
    {
        counters.Add(new VectorCounter(name, isReflection));
        return counters.Count - 1;
    }

    private static bool IsReported(IReadOnlyList<AttackVector> reported, string name)
    {
        foreach (var vector in reported)
        {
            if (vector.Name == name)
            {
                return true;
            }
        }

        return false;
    }

    private ReflectionService? ServiceOf(VectorCounter counter)
    {
        var index = Array.IndexOf(_counters, counter);
        return index < ReflectionServices.All.Count ? ReflectionServices.All[index] : null;
    }

    private int ReflectionIndex(in DecodedPacket decoded, ReadOnlySpan<byte> payload, out bool confirmed)
    {
        confirmed = false;
        var service = ReflectionServices.Find(decoded.SourcePort);
        if (service >= 0 && ReflectionServices.Accepts(ReflectionServices.All[service], payload, decoded.PayloadLength))
        {
            confirmed = ReflectionServices.All[service].Check != ReflectionPayloadCheck.None;
            return service;
        }

        return _udpFlood;
    }

    /// <summary>
    /// SYN+ACK arriving unasked is reflection off servers that answered spoofed SYNs, but a server answers to the
    /// client's ephemeral port: SYN+ACK with equal ports is crafted by a flooding tool and counts as SYN flood
    /// (<paramref name="crafted"/>). ACK-only packets include ordinary established traffic, which is why the
    /// evidence states what was counted.
    /// </summary>
    private int TcpIndex(in DecodedPacket decoded, out bool crafted)
    {
        var flags = decoded.TcpFlags;
        crafted = false;
        if ((flags & Rst) != 0)
        {
            return _rstFlood;
        }

        if ((flags & (Syn | Ack)) == (Syn | Ack))
        {
            crafted = decoded.SourcePort == decoded.DestinationPort;
            return crafted ? _synFlood : _synAckReflection;
        }

        if ((flags & Syn) != 0)
        {
            return _synFlood;
        }

        return (flags & (Ack | Fin)) == Ack ? _ackFlood : -1;
    }

    private static ReadOnlySpan<byte> PayloadOf(in DecodedPacket decoded, ReadOnlySpan<byte> data)
    {
        if (decoded.PayloadLength <= 0 || decoded.PayloadOffset <= 0 || decoded.PayloadOffset >= data.Length)
        {
            return [];
        }

        return data.Slice(decoded.PayloadOffset, Math.Min(decoded.PayloadLength, data.Length - decoded.PayloadOffset));
    }
}
