using System.Runtime.InteropServices;

namespace Ribat.Forensics.Pcap;

/// <summary>
/// Packets, bytes and sources of one vector. Sources are capped at <see cref="MaxSources"/> so a spoofed flood with
/// millions of addresses cannot grow memory without bound; past the cap new sources are only counted as missed.
/// </summary>
internal sealed class VectorCounter(string name, bool isReflection)
{
    public const int MaxSources = 50_000;

    /// <summary>Payload bytes kept from the first packet, for an evidence line a person can recognise.</summary>
    public const int SampleLength = 8;

    private readonly Dictionary<NetworkAddress, SourceCount> _sources = [];
    private readonly byte[] _sample = new byte[SampleLength];

    public string Name { get; } = name;

    public bool IsReflection { get; } = isReflection;

    public long Packets { get; private set; }

    public long Bytes { get; private set; }

    /// <summary>Packets whose payload passed the service's check (NTP mode 7, for instance).</summary>
    public long Confirmed { get; private set; }

    public byte MinTtl { get; private set; } = byte.MaxValue;

    public byte MaxTtl { get; private set; }

    /// <summary>Packets from sources seen after the cap was reached.</summary>
    public long UntrackedPackets { get; private set; }

    public int SampleCount { get; private set; }

    public ReadOnlySpan<byte> Sample => _sample.AsSpan(0, SampleCount);

    public IReadOnlyDictionary<NetworkAddress, SourceCount> Sources => _sources;

    public bool IsCapped => UntrackedPackets > 0;

    /// <summary>
    /// Adds the counts of <paramref name="later"/>, the same vector over captures that come after these. Sources are
    /// taken in the order the later counter first saw them until the cap, as reading those packets here would; only
    /// when the later counter was capped itself can a source tracked here miss some of its later packets.
    /// </summary>
    public void Merge(VectorCounter later)
    {
        if (Packets == 0)
        {
            SampleCount = later.SampleCount;
            later.Sample.CopyTo(_sample);
        }

        Packets += later.Packets;
        Bytes += later.Bytes;
        Confirmed += later.Confirmed;
        MinTtl = Math.Min(MinTtl, later.MinTtl);
        MaxTtl = Math.Max(MaxTtl, later.MaxTtl);
        UntrackedPackets += later.UntrackedPackets;
        foreach (var (address, count) in later._sources)
        {
            if (_sources.Count >= MaxSources && !_sources.ContainsKey(address))
            {
                UntrackedPackets += count.Packets;
                continue;
            }

            ref var held = ref CollectionsMarshal.GetValueRefOrAddDefault(_sources, address, out var existed);
            held = existed
                ? new SourceCount(held.Packets + count.Packets, held.Bytes + count.Bytes, Math.Min(held.MinTtl, count.MinTtl), Math.Max(held.MaxTtl, count.MaxTtl))
                : count;
        }
    }

    /// <summary>Adds packets of one source held back until now, as adding them one by one would (none confirmed).</summary>
    public void Add(in PendingDirection held)
    {
        if (Packets == 0)
        {
            SampleCount = held.Sample.Length;
            held.Sample.CopyTo(_sample, 0);
        }

        Packets += held.Packets;
        Bytes += held.Bytes;
        MinTtl = Math.Min(MinTtl, held.MinTtl);
        MaxTtl = Math.Max(MaxTtl, held.MaxTtl);
        if (_sources.Count >= MaxSources && !_sources.ContainsKey(held.Source))
        {
            UntrackedPackets += held.Packets;
            return;
        }

        ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(_sources, held.Source, out var existed);
        count = existed
            ? new SourceCount(count.Packets + held.Packets, count.Bytes + held.Bytes, Math.Min(count.MinTtl, held.MinTtl), Math.Max(count.MaxTtl, held.MaxTtl))
            : new SourceCount(held.Packets, held.Bytes, held.MinTtl, held.MaxTtl);
    }

    public void Add(in DecodedPacket decoded, ReadOnlySpan<byte> payload, long bytes, bool confirmed)
    {
        if (Packets == 0)
        {
            SampleCount = Math.Min(payload.Length, SampleLength);
            payload[..SampleCount].CopyTo(_sample);
        }

        Packets++;
        Bytes += bytes;
        Confirmed += confirmed ? 1 : 0;
        MinTtl = Math.Min(MinTtl, decoded.Ttl);
        MaxTtl = Math.Max(MaxTtl, decoded.Ttl);
        if (_sources.Count >= MaxSources && !_sources.ContainsKey(decoded.Source))
        {
            UntrackedPackets++;
            return;
        }

        ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(_sources, decoded.Source, out var existed);
        count = existed ? count.Add(bytes, decoded.Ttl) : new SourceCount(1, bytes, decoded.Ttl, decoded.Ttl);
    }
}

/// <summary>One source's packets within a vector, with the TTL range it arrived with.</summary>
internal readonly record struct SourceCount(long Packets, long Bytes, byte MinTtl, byte MaxTtl)
{
    public SourceCount Add(long bytes, byte ttl) =>
        new(Packets + 1, Bytes + bytes, Math.Min(MinTtl, ttl), Math.Max(MaxTtl, ttl));
}
