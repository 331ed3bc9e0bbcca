namespace Ribat.Forensics.Hunting;

/// <summary>
/// Indicated CIDR blocks of one address family as sorted intervals. Unlike <c>Ioc.IpRangeSet</c>, which merges
/// blocks and so forgets which one matched, this keeps every block: CIDR blocks are either nested or disjoint, so
/// sorted by start (widest first) each block has one smallest enclosing block, its parent. A look-up binary-searches
/// the last block starting at or before the address and climbs parents to the innermost block that holds it;
/// every block holding the address is that one or one of its ancestors (at most 33 or 129 of them).
/// Blocks of IPv4 addresses are also indexed by the top 16 bits of their start, so the search covers only the blocks
/// starting in the address's own /16: one or two reads instead of a search through the whole array, whose last steps
/// each miss the cache once there are tens of thousands of blocks.
/// </summary>
internal sealed class CidrIntervals
{
    private readonly UInt128[] _firsts;
    private readonly UInt128[] _lasts;
    private readonly int[] _parents;
    private readonly int[] _entries;

    /// <summary>
    /// When every block starts below 2^32 (IPv4): <c>_slices[s]</c> is the first block starting at or after
    /// <c>s &lt;&lt; 16</c>, for s from 0 to 65,536. Null otherwise.
    /// </summary>
    private readonly int[]? _slices;

    /// <param name="blocks">Distinct blocks; <c>Entry</c> is what a hit on the block reports.</param>
    public CidrIntervals(List<(UInt128 First, UInt128 Last, int Entry)> blocks)
    {
        blocks.Sort(static (a, b) => a.First != b.First ? a.First.CompareTo(b.First) : b.Last.CompareTo(a.Last));
        _firsts = new UInt128[blocks.Count];
        _lasts = new UInt128[blocks.Count];
        _parents = new int[blocks.Count];
        _entries = new int[blocks.Count];
        var open = new Stack<int>();
        for (var i = 0; i < blocks.Count; i++)
        {
            var (first, last, entry) = blocks[i];
            while (open.Count > 0 && _lasts[open.Peek()] < first)
            {
                open.Pop();
            }

            _firsts[i] = first;
            _lasts[i] = last;
            _entries[i] = entry;
            _parents[i] = open.Count > 0 ? open.Peek() : -1;
            open.Push(i);
        }

        if (blocks.Count > 0 && _firsts[^1] <= uint.MaxValue)
        {
            _slices = new int[SliceCount + 1];
            var at = 0;
            for (var slice = 0; slice <= SliceCount; slice++)
            {
                var start = (UInt128)((ulong)slice << 16);
                while (at < _firsts.Length && _firsts[at] < start)
                {
                    at++;
                }

                _slices[slice] = at;
            }
        }
    }

    private const int SliceCount = 1 << 16;

    public int Count => _firsts.Length;

    /// <summary>The innermost block holding <paramref name="address"/>, or -1; climb with <see cref="Parent"/>.</summary>
    public int Innermost(UInt128 address)
    {
        var firsts = _firsts;
        int low = 0, high = firsts.Length - 1, at = -1;
        if (_slices is { } slices && address <= uint.MaxValue)
        {
            // Every block before the slice starts below the address; the search is for the last one within it.
            var slice = (int)((uint)address >> 16);
            low = slices[slice];
            high = slices[slice + 1] - 1;
            at = low - 1;
        }

        while (low <= high)
        {
            var middle = (int)((uint)(low + high) >> 1);
            if (firsts[middle] <= address)
            {
                at = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        while (at >= 0 && _lasts[at] < address)
        {
            at = _parents[at];
        }

        return at;
    }

    public int Parent(int block) => _parents[block];

    public int EntryOf(int block) => _entries[block];

    public UInt128 LastOf(int block) => _lasts[block];
}
