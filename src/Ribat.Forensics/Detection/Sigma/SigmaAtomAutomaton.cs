using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Ribat.Forensics.Detection;

/// <summary>
/// Aho–Corasick over the atoms of one field (case-folded text a rule needs, see <see cref="Fold"/>): one pass over a value reports every atom
/// it holds, whatever their number. Edges are kept sorted in flat arrays (binary search per step) with a direct table
/// for ASCII at the root, where most steps land. An automaton small enough (see <see cref="MaxDenseEntries"/>) also gets
/// the whole transition function for ASCII as a table over character classes (the characters its atoms use, folded,
/// and one class for all others), so an ASCII character costs one look-up instead of searches along failure links.
/// The table holds each target premultiplied by the number of classes, complemented when the target reports atoms, so
/// a step is one load and one sign test. A scan starts at the first character that can begin an atom (a vectorised
/// search), so a value of digits and punctuation no atom starts with costs no step.
/// </summary>
internal sealed class SigmaAtomAutomaton
{
    /// <summary>The most entries (states × classes) a dense table may have: 512 KB, so a rule set's many automata stay small.</summary>
    private const int MaxDenseEntries = 1 << 17;

    private readonly byte[]? _classOf;
    private readonly int[]? _dense;
    private readonly int _classes;
    private readonly int[] _firstOutput;
    private readonly int[] _rootAscii = new int[128];
    private readonly SearchValues<char> _idleAscii;
    private readonly int[] _edgeStart;
    private readonly int[] _edgeCount;
    private readonly char[] _edgeChars;
    private readonly int[] _edgeTargets;
    private readonly int[] _fail;
    private readonly int[] _outputLink;
    private readonly int[] _outputs;
    private readonly int[] _outputStart;

    public SigmaAtomAutomaton(IReadOnlyList<string> atoms)
    {
        var children = new List<SortedList<char, int>> { new() };
        var ends = new List<List<int>?> { null };
        for (var id = 0; id < atoms.Count; id++)
        {
            var node = 0;
            foreach (var c in atoms[id])
            {
                if (!children[node].TryGetValue(c, out var next))
                {
                    next = children.Count;
                    children[node].Add(c, next);
                    children.Add(new SortedList<char, int>());
                    ends.Add(null);
                }

                node = next;
            }

            (ends[node] ??= []).Add(id);
        }

        var count = children.Count;
        _edgeStart = new int[count];
        _edgeCount = new int[count];
        _fail = new int[count];
        _outputLink = new int[count];
        _outputStart = new int[count + 1];
        var edges = 0;
        for (var n = 0; n < count; n++)
        {
            _edgeStart[n] = edges;
            _edgeCount[n] = children[n].Count;
            edges += children[n].Count;
        }

        _edgeChars = new char[edges];
        _edgeTargets = new int[edges];
        var outputs = new List<int>();
        for (var n = 0; n < count; n++)
        {
            var at = _edgeStart[n];
            foreach (var (c, target) in children[n])
            {
                _edgeChars[at] = c;
                _edgeTargets[at++] = target;
            }

            _outputStart[n] = outputs.Count;
            outputs.AddRange(ends[n] ?? []);
        }

        _outputStart[count] = outputs.Count;
        _outputs = [.. outputs];
        foreach (var (c, target) in children[0])
        {
            if (c < 128)
            {
                _rootAscii[c] = target;
            }
        }

        var idle = new List<char>();
        for (var c = '\0'; c < 128; c++)
        {
            if (_rootAscii[Fold(c)] == 0)
            {
                idle.Add(c);
            }
        }

        _idleAscii = SearchValues.Create([.. idle]);
        LinkFailures(children);
        _firstOutput = new int[count];
        for (var n = 0; n < count; n++)
        {
            _firstOutput[n] = HasOutput(n) ? n : _outputLink[n];
        }

        (_classOf, _dense, _classes) = BuildDense(count);
    }

    /// <summary>Whether ASCII text steps through the dense table.</summary>
    public bool IsDense => _dense is not null;

    /// <summary>Classes of ASCII characters (0: used by no atom), and the table of every state's step on each class.</summary>
    private (byte[]? ClassOf, int[]? Dense, int Classes) BuildDense(int states)
    {
        var classOf = new byte[128];
        var representative = new List<char> { '\0' };
        foreach (var c in _edgeChars)
        {
            if (c < 128 && classOf[c] == 0 && c != '\0')
            {
                classOf[c] = (byte)representative.Count;
                representative.Add(c);
            }
        }

        var classes = representative.Count;
        if ((long)states * classes > MaxDenseEntries || Array.IndexOf(_edgeChars, '\0') >= 0)
        {
            return (null, null, 0);
        }

        for (var c = 'A'; c <= 'Z'; c++)
        {
            classOf[c] = classOf[c | 0x20];
        }

        var dense = new int[states * classes];
        for (var state = 0; state < states; state++)
        {
            for (var k = 1; k < classes; k++)
            {
                var target = Step(state, representative[k]);
                dense[(state * classes) + k] = _firstOutput[target] != 0 ? ~(target * classes) : target * classes;
            }
        }

        return (classOf, dense, classes);
    }

    /// <summary>Breadth-first, so each node's failure target (the longest proper suffix in the trie) is ready before its children need it.</summary>
    private void LinkFailures(List<SortedList<char, int>> children)
    {
        var queue = new Queue<int>();
        foreach (var (_, child) in children[0])
        {
            queue.Enqueue(child);
        }

        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            var fail = _fail[node];
            _outputLink[node] = HasOutput(fail) ? fail : _outputLink[fail];
            foreach (var (c, child) in children[node])
            {
                _fail[child] = node == 0 ? 0 : Step(fail, c);
                if (_fail[child] == child)
                {
                    _fail[child] = 0;
                }

                queue.Enqueue(child);
            }
        }
    }

    private bool HasOutput(int node) => node != 0 && _outputStart[node + 1] > _outputStart[node];

    private int Step(int state, char c)
    {
        while (true)
        {
            if (state == 0)
            {
                return c < 128 ? _rootAscii[c] : Find(0, c);
            }

            var next = Find(state, c);
            if (next > 0)
            {
                return next;
            }

            state = _fail[state];
        }
    }

    private int Find(int node, char c)
    {
        var low = _edgeStart[node];
        var high = low + _edgeCount[node] - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var edge = _edgeChars[middle];
            if (edge == c)
            {
                return _edgeTargets[middle];
            }

            if (edge < c)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return 0;
    }

    /// <summary>The case folding atoms are written in and text is scanned with: ASCII in one step, the rest invariant.</summary>
    public static char Fold(char c) => c < 128 ? (char)(c is >= 'A' and <= 'Z' ? c | 0x20 : c) : char.ToLowerInvariant(c);

    /// <summary>Calls <paramref name="found"/>.Found(atom id) for every atom occurrence in <paramref name="text"/>,
    /// folding case as it goes.</summary>
    public void Scan<TSink>(ReadOnlySpan<char> text, ref TSink found)
        where TSink : struct, IAtomSink
    {
        // Up to the first character that leaves the root, the root is where the automaton stays, and it reports nothing.
        var start = text.IndexOfAnyExcept(_idleAscii);
        if (start < 0)
        {
            return;
        }

        text = text[start..];
        if (_dense is { } dense)
        {
            ScanDense(text, ref found, dense, _classOf!);
            return;
        }

        var state = 0;
        foreach (var raw in text)
        {
            state = Step(state, Fold(raw));
            if (_firstOutput[state] != 0)
            {
                Report(state, ref found);
            }
        }
    }

    private void ScanDense<TSink>(ReadOnlySpan<char> text, ref TSink found, int[] dense, byte[] classOf)
        where TSink : struct, IAtomSink
    {
        var classes = _classes;
        var at = 0;
        var i = 0;
        while ((i = DenseRun(text, i, dense, classOf, ref at)) < text.Length)
        {
            // The run stopped on a character that reports atoms or that is not ASCII.
            if (at < 0)
            {
                at = ~at;
                Report(at / classes, ref found);
            }
            else
            {
                var state = Step(at / classes, Fold(text[i]));
                at = state * classes;
                if (_firstOutput[state] != 0)
                {
                    Report(state, ref found);
                }
            }

            i++;
        }
    }

    /// <summary>
    /// Steps ASCII characters from <paramref name="from"/> through the dense table until one reaches a position that
    /// reports atoms (left complemented in <paramref name="at"/>) or is not ASCII (not stepped); returns its index, or the
    /// length. It calls nothing: with a call in the loop the JIT kept the position and the pointers on the stack and
    /// reloaded them at every character, through memory, which cost more than the step itself.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static int DenseRun(ReadOnlySpan<char> text, int from, int[] dense, byte[] classOf, ref int at)
    {
        ref var table = ref MemoryMarshal.GetArrayDataReference(dense);
        ref var classOfAscii = ref MemoryMarshal.GetArrayDataReference(classOf);
        ref var chars = ref MemoryMarshal.GetReference(text);
        // A native-sized position: the load widens it, so no sign extension sits between one step and the next.
        nint position = at;
        var i = from;
        for (; i < text.Length; i++)
        {
            var raw = Unsafe.Add(ref chars, i);
            if (raw >= 128)
            {
                break;
            }

            position = Unsafe.Add(ref table, position + Unsafe.Add(ref classOfAscii, raw));
            if (position < 0)
            {
                break;
            }
        }

        at = (int)position;
        return i;
    }

    private void Report<TSink>(int state, ref TSink found)
        where TSink : struct, IAtomSink
    {
        for (var node = _firstOutput[state]; node != 0; node = _outputLink[node])
        {
            for (var i = _outputStart[node]; i < _outputStart[node + 1]; i++)
            {
                found.Found(_outputs[i]);
            }
        }
    }
}

internal interface IAtomSink
{
    void Found(int atom);
}
