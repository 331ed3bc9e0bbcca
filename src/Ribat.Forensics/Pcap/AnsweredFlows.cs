namespace Ribat.Forensics.Pcap;

/// <summary>
/// TCP directions that have carried an ACK-flagged segment, so an ACK from the other side can be told apart: in a
/// connection both sides acknowledge, while an ACK flood's packets go unanswered (the victim answers them with bare
/// RSTs, which carry no ACK flag). Directions are kept as 64-bit hashes in an open-addressing table (two probes
/// per TCP packet on the hot path, so no <see cref="HashSet{T}"/> overhead), up to <see cref="MaxFlows"/>; past
/// that, new directions are not remembered and their ACKs count as unanswered, which a note reports.
/// </summary>
internal sealed class AnsweredFlows
{
    /// <summary>32 MB of table at most (kept under half full), whatever the capture holds.</summary>
    public const int MaxFlows = 2_000_000;

    private const int InitialSlots = 1 << 12;

    // Zero marks an empty slot; keys have their low bit set so none is zero.
    private ulong[] _slots = new ulong[InitialSlots];
    private int _count;

    // A secret per run, so a capture crafted to collide directions cannot be written in advance; one for the whole
    // process, so tables of captures read apart hold the same key for the same direction and can be merged.
    private static readonly ulong Seed = (ulong)Random.Shared.NextInt64() | 1;

    public bool IsFull => _count >= MaxFlows;

    /// <summary>Records that this packet's direction carried an ACK.</summary>
    public void Remember(in DecodedPacket decoded) =>
        Insert(Key(decoded.Source, decoded.Destination, decoded.SourcePort, decoded.DestinationPort));

    /// <summary>Whether the reverse direction of this packet has carried an ACK.</summary>
    public bool IsAnswered(in DecodedPacket decoded) => Contains(ReverseKey(decoded));

    /// <summary>The key of this packet's reverse direction, the one <see cref="IsAnswered"/> looks for.</summary>
    public static ulong ReverseKey(in DecodedPacket decoded) =>
        Key(decoded.Destination, decoded.Source, decoded.DestinationPort, decoded.SourcePort);

    /// <summary>Adds the directions <paramref name="later"/> remembered, up to the same limit.</summary>
    public void Merge(AnsweredFlows later)
    {
        foreach (var key in later._slots)
        {
            if (key != 0)
            {
                Insert(key);
            }
        }
    }

    public bool Contains(ulong key)
    {
        var mask = _slots.Length - 1;
        for (var slot = (int)(key >> 32) & mask; ; slot = (slot + 1) & mask)
        {
            var held = _slots[slot];
            if (held == key)
            {
                return true;
            }

            if (held == 0)
            {
                return false;
            }
        }
    }

    private void Insert(ulong key)
    {
        var mask = _slots.Length - 1;
        for (var slot = (int)(key >> 32) & mask; ; slot = (slot + 1) & mask)
        {
            var held = _slots[slot];
            if (held == key)
            {
                return;
            }

            if (held == 0)
            {
                if (_count < MaxFlows)
                {
                    _slots[slot] = key;
                    _count++;
                    if (_count * 2 > _slots.Length)
                    {
                        Grow();
                    }
                }

                return;
            }
        }
    }

    private void Grow()
    {
        var old = _slots;
        _slots = new ulong[old.Length * 2];
        var mask = _slots.Length - 1;
        foreach (var key in old)
        {
            if (key == 0)
            {
                continue;
            }

            var slot = (int)(key >> 32) & mask;
            while (_slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            _slots[slot] = key;
        }
    }

    private static ulong Key(NetworkAddress from, NetworkAddress to, ushort fromPort, ushort toPort)
    {
        var hash = Seed;
        hash = Mix(hash, (ulong)from.Value);
        hash = Mix(hash, (ulong)(from.Value >> 64));
        hash = Mix(hash, (ulong)to.Value);
        hash = Mix(hash, (ulong)(to.Value >> 64));
        return Mix(hash, ((ulong)fromPort << 16) | toPort) | 1;
    }

    // splitmix64's finaliser over each word: cheap, and every input bit reaches every output bit.
    private static ulong Mix(ulong hash, ulong word)
    {
        hash = (hash ^ word) * 0xBF58476D1CE4E5B9UL;
        hash = (hash ^ (hash >> 27)) * 0x94D049BB133111EBUL;
        return hash ^ (hash >> 31);
    }
}
