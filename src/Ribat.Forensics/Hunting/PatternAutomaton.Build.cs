namespace Ribat.Forensics.Hunting;

public sealed partial class PatternAutomaton
{
    private PatternAutomaton(byte[] classes, int stride, int[] table, int[] output, int[] outputLink, int patternCount, bool ignoreCase)
    {
        (_classes, _stride, _table, _output, _outputLink) = (classes, stride, table, output, outputLink);
        PatternCount = patternCount;
        IgnoreCase = ignoreCase;
    }

    /// <summary>Builds the automaton, or explains why not (an empty pattern, or patterns too long in all).</summary>
    public static bool TryBuild(IReadOnlyList<byte[]> patterns, bool ignoreCase, out PatternAutomaton? automaton, out string reason)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        automaton = Compile(patterns, ignoreCase, out reason);
        return automaton is not null;
    }

    private static PatternAutomaton? Compile(IReadOnlyList<byte[]> patterns, bool ignoreCase, out string reason)
    {
        long total = 1;
        for (var p = 0; p < patterns.Count; p++)
        {
            if (patterns[p] is not { Length: > 0 })
            {
                reason = $"pattern {p + 1} is empty.";
                return null;
            }

            total += patterns[p].Length;
        }

        if (total > MaxStates)
        {
            reason = $"the patterns hold {total - 1} bytes in all; at most {MaxStates - 1} are supported.";
            return null;
        }

        var (classes, stride) = ByteClasses(patterns, ignoreCase);
        var trie = new int[checked((int)total * stride)];
        var terminal = new int[total];
        Array.Fill(terminal, -1);
        var nodes = 1;
        for (var p = 0; p < patterns.Count; p++)
        {
            var node = 0;
            foreach (var b in patterns[p])
            {
                ref var child = ref trie[(node * stride) + classes[b]];
                if (child == 0)
                {
                    child = nodes++;
                }

                node = child;
            }

            if (terminal[node] < 0)
            {
                terminal[node] = p;
            }
        }

        var order = CompleteTransitions(trie, terminal, nodes, stride, out var outputLink);
        reason = string.Empty;
        return Renumber(classes, stride, trie, terminal, outputLink, order, patterns.Count, ignoreCase);
    }

    /// <summary>One class per byte used by some pattern (upper-case letters share their lower case's when folding); class 0 for the rest.</summary>
    private static (byte[] Classes, int Stride) ByteClasses(IReadOnlyList<byte[]> patterns, bool ignoreCase)
    {
        var used = new bool[256];
        foreach (var pattern in patterns)
        {
            foreach (var b in pattern)
            {
                used[ignoreCase ? Fold(b) : b] = true;
            }
        }

        var classes = new byte[256];
        var next = 1;
        for (var b = 0; b < 256; b++)
        {
            if (used[b] && !(ignoreCase && b is >= 'A' and <= 'Z'))
            {
                classes[b] = (byte)next++;
            }
        }

        if (ignoreCase)
        {
            for (var b = 'A'; b <= 'Z'; b++)
            {
                classes[b] = classes[b | 0x20];
            }
        }

        return (classes, next);
    }

    private static byte Fold(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;

    /// <summary>
    /// Breadth first: failure links, then every missing transition copied from the failure state's row (already
    /// complete, being shallower), which turns the trie into a DFA. Returns the states in breadth-first order.
    /// </summary>
    private static int[] CompleteTransitions(int[] trie, int[] terminal, int nodes, int stride, out int[] outputLink)
    {
        var fail = new int[nodes];
        outputLink = new int[nodes];
        outputLink[0] = -1;
        var order = new int[nodes];
        var head = 0;
        var tail = 1;
        while (head < tail)
        {
            var u = order[head++];
            var row = u * stride;
            var failRow = fail[u] * stride;
            for (var c = 0; c < stride; c++)
            {
                var v = trie[row + c];
                if (v == 0)
                {
                    trie[row + c] = u == 0 ? 0 : trie[failRow + c];
                    continue;
                }

                var f = u == 0 ? 0 : trie[failRow + c];
                fail[v] = f;
                outputLink[v] = terminal[f] >= 0 ? f : outputLink[f];
                order[tail++] = v;
            }
        }

        return order;
    }

    private static PatternAutomaton Renumber(byte[] classes, int stride, int[] trie, int[] terminal, int[] outputLink, int[] order,
        int patternCount, bool ignoreCase)
    {
        var states = order.Length;
        var newId = new int[states];
        for (var i = 0; i < states; i++)
        {
            newId[order[i]] = i;
        }

        var table = new int[states * stride];
        var output = new int[states];
        var link = new int[states];
        for (var i = 0; i < states; i++)
        {
            var old = order[i];
            output[i] = terminal[old];
            link[i] = outputLink[old] < 0 ? -1 : newId[outputLink[old]];
            for (var c = 0; c < stride; c++)
            {
                var target = trie[(old * stride) + c];
                var offset = newId[target] * stride;
                table[(i * stride) + c] = terminal[target] >= 0 || outputLink[target] >= 0 ? ~offset : offset;
            }
        }

        return new PatternAutomaton(classes, stride, table, output, link, patternCount, ignoreCase);
    }
}
