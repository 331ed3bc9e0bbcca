using System.Buffers;

namespace Ribat.Forensics.Hunting;

public sealed partial class PatternAutomaton
{
    private const int ReadSize = 1 << 20;

    /// <summary>
    /// How many lines of <paramref name="utf8"/> hold at least one pattern (what <c>grep -c -F</c> prints). After
    /// the first match of a line the rest of it is skipped to the next '\n'. Patterns holding '\n' may match across
    /// lines. Memory stays at one pooled read buffer whatever the line lengths.
    /// </summary>
    public long CountMatchingLines(Stream utf8, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        var buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
        try
        {
            long count = 0;
            var state = 0;
            var skipping = false;
            int read;
            while ((read = utf8.Read(buffer, 0, ReadSize)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                count += CountChunk(buffer.AsSpan(0, read), ref state, ref skipping);
            }

            return count;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>One chunk of a stream; <paramref name="state"/> and <paramref name="skipping"/> carry over to the next.</summary>
    internal long CountChunk(ReadOnlySpan<byte> chunk, ref int state, ref bool skipping)
    {
        long count = 0;
        var position = 0;
        while (position < chunk.Length)
        {
            if (skipping)
            {
                var newline = chunk[position..].IndexOf((byte)'\n');
                if (newline < 0)
                {
                    return count;
                }

                position += newline + 1;
                skipping = false;
                state = 0;
                continue;
            }

            var end = IndexOfMatchEnd(chunk[position..], state, out state);
            if (end < 0)
            {
                return count;
            }

            count++;
            position += end;
            skipping = true;
        }

        return count;
    }
}
