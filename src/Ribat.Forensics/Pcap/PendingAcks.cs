using System.Runtime.InteropServices;

namespace Ribat.Forensics.Pcap;

/// <summary>
/// ACK-only packets of a capture read apart from the ones before it (<see cref="CaptureSet"/>) whose reverse direction
/// has not acknowledged yet in this capture. Read in turn, they would also count as answered if an earlier capture
/// saw that direction acknowledge; that is known only when the parts are merged, so they wait here, grouped by the
/// reverse direction's key in the order their direction first appeared, until <see cref="VectorClassifier.Merge"/>
/// settles them. At most <see cref="MaxDirections"/> directions wait; past that, packets of further directions are
/// judged on this capture alone.
/// </summary>
internal sealed class PendingAcks
{
    /// <summary>About 8 MB of waiting directions per capture at most.</summary>
    public const int MaxDirections = 100_000;

    private readonly Dictionary<ulong, PendingDirection> _directions = [];

    /// <summary>Directions waiting, in the order their first packet arrived.</summary>
    public IEnumerable<KeyValuePair<ulong, PendingDirection>> Directions => _directions;

    /// <summary>Holds the packet back under its reverse direction's key; false when the table is full.</summary>
    public bool TryAdd(ulong reverseKey, in DecodedPacket decoded, ReadOnlySpan<byte> payload, long bytes)
    {
        if (_directions.Count >= MaxDirections && !_directions.ContainsKey(reverseKey))
        {
            return false;
        }

        ref var direction = ref CollectionsMarshal.GetValueRefOrAddDefault(_directions, reverseKey, out var existed);
        if (!existed)
        {
            direction = new PendingDirection(decoded.Source, payload[..Math.Min(payload.Length, VectorCounter.SampleLength)].ToArray(), decoded.Ttl);
        }

        direction.Packets++;
        direction.Bytes += bytes;
        direction.MinTtl = Math.Min(direction.MinTtl, decoded.Ttl);
        direction.MaxTtl = Math.Max(direction.MaxTtl, decoded.Ttl);
        return true;
    }
}

/// <summary>The waiting packets of one TCP direction: one source, its first payload bytes, counts and TTL range.</summary>
internal struct PendingDirection(NetworkAddress source, byte[] sample, byte ttl)
{
    public readonly NetworkAddress Source = source;
    public readonly byte[] Sample = sample;
    public long Packets;
    public long Bytes;
    public byte MinTtl = ttl;
    public byte MaxTtl = ttl;
}
