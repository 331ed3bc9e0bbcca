using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Hunting;

public sealed partial class IocSet
{
    /// <summary>
    /// Probes worked on together: enough for their memory reads to overlap, few enough that the slots loaded first
    /// are still in cache when they are compared.
    /// </summary>
    internal const int BatchSize = 16;

    /// <summary>Marks a probe answered (or refused) before the table is read.</summary>
    private const byte Settled = 0xFF;

    /// <summary>
    /// Looks up many values at once, with the same answers as <see cref="Contains(ObservableType, ReadOnlySpan{char})"/>
    /// one by one: <paramref name="found"/>[i] says whether <paramref name="probes"/>[i] is held. Returns how many were
    /// found. Allocates nothing.
    /// </summary>
    /// <remarks>
    /// The probes go through three steps a batch apart: batch <c>k</c> is hashed and its slots prefetched while batch
    /// <c>k-1</c> reads its slots and prefetches the stored values they point to, and batch <c>k-2</c> compares those
    /// values. Each memory read thus has a whole batch of other work to arrive in, where one batch worked through its
    /// three steps in a row waited for its first values.
    /// </remarks>
    public int Contains(ReadOnlySpan<IocProbe> probes, Span<bool> found)
    {
        if (found.Length < probes.Length)
        {
            throw new ArgumentException($"{nameof(found)} has room for {found.Length} answers, not the {probes.Length} probes.", nameof(found));
        }

        // Three batches in flight, each with its own third of these.
        Span<ulong> keys = stackalloc ulong[BatchSize * 3];
        Span<UInt128> addresses = stackalloc UInt128[BatchSize * 3];
        Span<byte> families = stackalloc byte[BatchSize * 3];
        Span<int> slots = stackalloc int[BatchSize * 3];

        var batches = (probes.Length + BatchSize - 1) / BatchSize;
        var total = 0;
        for (var k = 0; k < batches + 2; k++)
        {
            if (k < batches)
            {
                var (start, count, ring) = Batch(k, probes.Length);
                Hash(probes.Slice(start, count), found.Slice(start, count), keys.Slice(ring, count), addresses.Slice(ring, count), families.Slice(ring, count));
            }

            if (k >= 1 && k - 1 < batches)
            {
                var (_, count, ring) = Batch(k - 1, probes.Length);
                Locate(keys.Slice(ring, count), families.Slice(ring, count), slots.Slice(ring, count));
            }

            if (k >= 2)
            {
                var (start, count, ring) = Batch(k - 2, probes.Length);
                total += Compare(probes.Slice(start, count), found.Slice(start, count), keys.Slice(ring, count), addresses.Slice(ring, count),
                    families.Slice(ring, count), slots.Slice(ring, count));
            }
        }

        return total;
    }

    /// <summary>Where batch <paramref name="k"/> starts among the probes, how many it holds, and where its third of the work space starts.</summary>
    private static (int Start, int Count, int Ring) Batch(int k, int probes) =>
        (k * BatchSize, Math.Min(BatchSize, probes - (k * BatchSize)), k % 3 * BatchSize);

    /// <summary>Each probe's family and fingerprint, its slot prefetched; or its answer when the table need not be read.</summary>
    private void Hash(ReadOnlySpan<IocProbe> probes, Span<bool> found, Span<ulong> keys, Span<UInt128> addresses, Span<byte> families)
    {
        for (var i = 0; i < probes.Length; i++)
        {
            families[i] = Fingerprint(probes[i], out keys[i], out addresses[i], ref found[i]);
            if (families[i] != Settled)
            {
                _keys.Prefetch(keys[i]);
            }
        }
    }

    /// <summary>Each probe's first slot with its fingerprint, the stored value it points to prefetched.</summary>
    private void Locate(ReadOnlySpan<ulong> keys, ReadOnlySpan<byte> families, Span<int> slots)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            slots[i] = families[i] == Settled ? -1 : _keys.Find(keys[i]);
            if (slots[i] >= 0 && _keys.At(slots[i]).TextStart is var start and not KeyTable.NoText)
            {
                PrefetchText(start);
            }
        }
    }

    /// <summary>Each probe's answer from its slots and their stored values; how many were found.</summary>
    private int Compare(ReadOnlySpan<IocProbe> probes, Span<bool> found, ReadOnlySpan<ulong> keys, Span<UInt128> addresses,
        ReadOnlySpan<byte> families, ReadOnlySpan<int> slots)
    {
        var total = 0;
        for (var i = 0; i < probes.Length; i++)
        {
            if (families[i] != Settled)
            {
                var family = (KeyFamily)families[i];
                var value = probes[i].Value.Span;
                var entry = family switch
                {
                    KeyFamily.Address => VerifyIPv4(slots[i], keys[i]),
                    KeyFamily.Address6 => Verify(slots[i], family, keys[i], AddressText(ref addresses[i])),
                    _ => Verify(slots[i], family, keys[i], value),
                };
                found[i] = Holds(entry, probes[i].Type, value.Length);
            }

            total += found[i] ? 1 : 0;
        }

        return total;
    }

    /// <summary>
    /// The key family and fingerprint of one probe, or <see cref="Settled"/> with the answer in
    /// <paramref name="found"/> when the table need not be read (a CIDR block, a value that is not of its type).
    /// </summary>
    private byte Fingerprint(in IocProbe probe, out ulong key, out UInt128 address, ref bool found)
    {
        key = 0;
        address = 0;
        found = false;
        var value = probe.Value.Span;
        switch (probe.Type)
        {
            case ObservableType.IPv4:
                if (!IpText.TryParseIPv4(value, out var v4))
                {
                    return Settled;
                }

                key = KeyHash.OfIPv4(v4);
                return (byte)KeyFamily.Address;
            case ObservableType.IPv6:
                if (!IpText.TryParseIPv6(value, out address))
                {
                    return Settled;
                }

                key = KeyHash.Of(KeyFamily.Address6, address);
                return (byte)KeyFamily.Address6;
            case ObservableType.Cidr:
                found = Holds(FindBlock(value), ObservableType.Cidr, value.Length);
                return Settled;
        }

        if (FamilyOf(probe.Type) is not { } family)
        {
            return Settled;
        }

        key = TextKey(family, value);
        return (byte)family;
    }

    /// <remarks>
    /// The pointer is taken unpinned: should the collector move the arena in between, the hint loads a stale line and
    /// nothing else happens, since a prefetch never faults.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe void PrefetchText(int start)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref _text[start]));
        }
    }
}
