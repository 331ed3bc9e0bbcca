namespace Ribat.Forensics.Hunting;

/// <summary>
/// Indicated CIDR blocks of one address family as sorted intervals. Unlike <c>Ioc.IpRangeSet</c>, which merges
/// blocks and so forgets which one matched, this keeps every block: CIDR blocks are either nested or disjoint, so
/// sorted by start (widest first) each block has one smallest enclosing block, its parent. A look-up binary-searches
/// the last block starting at or before the address and climbs parents to the innermost block that holds it;
/// every block holding the address is that one or one of its ancestors (at most 33 or 129 of them).
/// </summary>
internal sealed class CidrIntervals
{
    private readonly UInt128[] _firsts;
    private readonly UInt128[] _lasts;
    private readonly int[] _parents;
    private readonly int[] _entries;

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
    }

    public int Count => _firsts.Length;

    /// <summary>The innermost block holding <paramref name="address"/>, or -1; climb with <see cref="Parent"/>.</summary>
    public int Innermost(UInt128 address)
    {
        var firsts = _firsts;
        int low = 0, high = firsts.Length - 1, at = -1;
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
