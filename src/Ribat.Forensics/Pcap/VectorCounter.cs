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
