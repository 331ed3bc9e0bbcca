using System.Runtime.InteropServices;

namespace Ribat.Forensics.Pcap;

/// <summary>
/// Packets and bytes per address, exact however many addresses there are. Keyed by <see cref="NetworkAddress"/> so a
/// packet costs a hash lookup, never a string; memory grows with distinct addresses (a spoofed flood can bring
/// millions), which <see cref="IsLarge"/> lets a report say.
/// </summary>
public sealed class AddressTally
{
    /// <summary>Past this many addresses the table holds tens of megabytes; worth telling the reader.</summary>
    public const int LargeCount = 1_000_000;

    private readonly Dictionary<NetworkAddress, TrafficCount> _counts = [];

    public int Count => _counts.Count;

    public bool IsLarge => _counts.Count > LargeCount;

    /// <summary>Every address counted; for the once-per-report carpet-bombing judgement.</summary>
    internal IReadOnlyDictionary<NetworkAddress, TrafficCount> Counts => _counts;

    public void Add(NetworkAddress address, long bytes)
    {
        ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(_counts, address, out _);
        count = count.Add(bytes);
    }

    /// <summary>Adds another tally's counts; addresses new here are added in the order the other first saw them.</summary>
    internal void Merge(AddressTally other)
    {
        foreach (var (address, count) in other._counts)
        {
            ref var held = ref CollectionsMarshal.GetValueRefOrAddDefault(_counts, address, out _);
            held = new TrafficCount(held.Packets + count.Packets, held.Bytes + count.Bytes);
        }
    }

    /// <summary>The <paramref name="limit"/> addresses with the most bytes; ties go to more packets, then the lower address.</summary>
    public IReadOnlyList<AddressTraffic> Top(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        // A bounded min-heap keeps this O(n log limit) with one small allocation, whatever the address count.
        var heap = new PriorityQueue<AddressTraffic, AddressTraffic>(limit + 1, Ranking.Instance);
        foreach (var (address, count) in _counts)
        {
            var entry = new AddressTraffic(address, count.Packets, count.Bytes);
            if (heap.Count < limit)
            {
                heap.Enqueue(entry, entry);
            }
            else if (limit > 0 && Ranking.Instance.Compare(entry, heap.Peek()) > 0)
            {
                heap.DequeueEnqueue(entry, entry);
            }
        }

        var top = new AddressTraffic[heap.Count];
        for (var i = top.Length - 1; i >= 0; i--)
        {
            top[i] = heap.Dequeue();
        }

        return top;
    }

    /// <summary>Orders from least to most traffic, so the heap's minimum is the first to give way.</summary>
    private sealed class Ranking : IComparer<AddressTraffic>
    {
        public static readonly Ranking Instance = new();

        public int Compare(AddressTraffic x, AddressTraffic y)
        {
            var order = x.Bytes.CompareTo(y.Bytes);
            if (order == 0)
            {
                order = x.Packets.CompareTo(y.Packets);
            }

            if (order == 0)
            {
                // Reversed: the lower address (IPv4 before IPv6) ranks higher, so equal talkers list in address order.
                order = x.Address.IsIPv4.CompareTo(y.Address.IsIPv4);
                order = order != 0 ? order : y.Address.Value.CompareTo(x.Address.Value);
            }

            return order;
        }
    }
}

/// <summary>Packets and their bytes (original lengths).</summary>
public readonly record struct TrafficCount(long Packets, long Bytes)
{
    public TrafficCount Add(long bytes) => new(Packets + 1, Bytes + bytes);
}

/// <summary>One address's share of the traffic.</summary>
public readonly record struct AddressTraffic(NetworkAddress Address, long Packets, long Bytes);
