using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Ribat.Forensics.Hunting;

/// <summary>A pattern found in text: which one (its index in the list given) and where it ends (exclusive).</summary>
public readonly record struct PatternMatch(int Pattern, long End);

/// <summary>
/// Many literal patterns searched in one pass over UTF-8 bytes: an Aho-Corasick automaton compiled to a complete
/// DFA. Bytes are mapped to equivalence classes first (every byte that appears in no pattern is one class), so a
/// state's row is a few dozen entries instead of 256; states are numbered breadth first, so the shallow states that
/// ordinary text keeps returning to share cache lines; a row entry is the next state's row offset, negated when that
/// state ends a pattern, so the inner loop is two loads and a sign test per byte.
/// Case-insensitive search folds ASCII letters only. Immutable once built; any number of threads may scan.
/// </summary>
public sealed partial class PatternAutomaton
{
    /// <summary>More than this many states (about the sum of pattern lengths) is refused: the table would not fit.</summary>
    public const int MaxStates = 4_000_000;

    private readonly byte[] _classes;
    private readonly int[] _table;
    private readonly int _stride;

    /// <summary>Per state (in row-offset / stride units): the pattern ending there, or -1.</summary>
    private readonly int[] _output;

    /// <summary>Per state: the next state on its failure chain that ends a pattern, or -1.</summary>
    private readonly int[] _outputLink;

    public int PatternCount { get; }

    public int StateCount => _output.Length;

    public bool IgnoreCase { get; }

    /// <summary>Builds from text patterns, searched as their UTF-8 bytes.</summary>
    public static PatternAutomaton Build(IReadOnlyList<string> patterns, bool ignoreCase = false)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var bytes = new byte[patterns.Count][];
        for (var i = 0; i < patterns.Count; i++)
        {
            bytes[i] = Encoding.UTF8.GetBytes(patterns[i] ?? string.Empty);
        }

        return Build(bytes, ignoreCase);
    }

    /// <summary>Builds from byte patterns; an empty pattern, or more than <see cref="MaxStates"/> bytes in all, is an <see cref="ArgumentException"/>.</summary>
    public static PatternAutomaton Build(IReadOnlyList<byte[]> patterns, bool ignoreCase = false) =>
        TryBuild(patterns, ignoreCase, out var automaton, out var reason) ? automaton! : throw new ArgumentException(reason, nameof(patterns));

    /// <summary>True when some pattern occurs in <paramref name="text"/>.</summary>
    public bool IsMatch(ReadOnlySpan<byte> text) => IndexOfMatchEnd(text, 0, out _) >= 0;

    /// <summary>
    /// Every occurrence of every pattern in <paramref name="text"/>, overlapping ones included, in order of their
    /// end; positions are offset by <paramref name="baseOffset"/>. Returns how many were added.
    /// </summary>
    public int FindAll(ReadOnlySpan<byte> text, List<PatternMatch> matches, long baseOffset = 0)
    {
        ArgumentNullException.ThrowIfNull(matches);
        var before = matches.Count;
        var state = 0;
        var position = 0;
        while (position < text.Length)
        {
            var end = IndexOfMatchEnd(text[position..], state, out state);
            if (end < 0)
            {
                break;
            }

            position += end;
            for (var s = state / _stride; s >= 0; s = _outputLink[s])
            {
                if (_output[s] >= 0)
                {
                    matches.Add(new PatternMatch(_output[s], baseOffset + position));
                }
            }
        }

        return matches.Count - before;
    }

    /// <summary>
    /// Runs the DFA from row offset <paramref name="state"/> until a state that ends a pattern is entered. Returns the
    /// number of bytes consumed up to and including the one that completed the match, or -1 when the text ran out;
    /// <paramref name="after"/> is the row offset reached, to continue from.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal int IndexOfMatchEnd(ReadOnlySpan<byte> text, int state, out int after)
    {
        ref var classes = ref MemoryMarshal.GetArrayDataReference(_classes);
        ref var table = ref MemoryMarshal.GetArrayDataReference(_table);
        ref var start = ref MemoryMarshal.GetReference(text);
        var length = text.Length;
        var i = 0;
        for (; i + 4 <= length; i += 4)
        {
            var next = Unsafe.Add(ref table, state + Unsafe.Add(ref classes, Unsafe.Add(ref start, i)));
            if (next < 0)
            {
                after = ~next;
                return i + 1;
            }

            state = Unsafe.Add(ref table, next + Unsafe.Add(ref classes, Unsafe.Add(ref start, i + 1)));
            if (state < 0)
            {
                after = ~state;
                return i + 2;
            }

            next = Unsafe.Add(ref table, state + Unsafe.Add(ref classes, Unsafe.Add(ref start, i + 2)));
            if (next < 0)
            {
                after = ~next;
                return i + 3;
            }

            state = Unsafe.Add(ref table, next + Unsafe.Add(ref classes, Unsafe.Add(ref start, i + 3)));
            if (state < 0)
            {
                after = ~state;
                return i + 4;
            }
        }

        for (; i < length; i++)
        {
            state = Unsafe.Add(ref table, state + Unsafe.Add(ref classes, Unsafe.Add(ref start, i)));
            if (state < 0)
            {
                after = ~state;
                return i + 1;
            }
        }

        after = state;
        return -1;
    }
}
