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
    /// one by one: <paramref name="found"/>[i] says whether <paramref name="probes"/>[i] is held. The probes of a batch
    /// are hashed and their slots prefetched first, then compared, then verified, so the random memory reads of a
    /// batch overlap instead of following one another. Returns how many were found. Allocates nothing.
    /// </summary>
    public int Contains(ReadOnlySpan<IocProbe> probes, Span<bool> found)
    {
        if (found.Length < probes.Length)
        {
            throw new ArgumentException($"{nameof(found)} has room for {found.Length} answers, not the {probes.Length} probes.", nameof(found));
        }

        var total = 0;
        for (var start = 0; start < probes.Length; start += BatchSize)
        {
            var count = Math.Min(BatchSize, probes.Length - start);
            total += ContainsBatch(probes.Slice(start, count), found.Slice(start, count));
        }

        return total;
    }

    private int ContainsBatch(ReadOnlySpan<IocProbe> probes, Span<bool> found)
    {
        Span<ulong> keys = stackalloc ulong[BatchSize];
        Span<UInt128> addresses = stackalloc UInt128[BatchSize];
        Span<byte> families = stackalloc byte[BatchSize];
        Span<int> slots = stackalloc int[BatchSize];

        for (var i = 0; i < probes.Length; i++)
        {
            families[i] = Fingerprint(probes[i], out keys[i], out addresses[i], ref found[i]);
            if (families[i] != Settled)
            {
                _keys.Prefetch(keys[i]);
            }
        }

        for (var i = 0; i < probes.Length; i++)
        {
            slots[i] = families[i] == Settled ? -1 : _keys.Find(keys[i]);
            if (slots[i] >= 0 && _keys.At(slots[i]).TextStart is var start and not KeyTable.NoText)
            {
                PrefetchText(start);
            }
        }

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
