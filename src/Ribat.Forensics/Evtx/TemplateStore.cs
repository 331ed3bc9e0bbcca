using System.Buffers.Binary;

namespace Ribat.Forensics.Evtx;

/// <summary>
/// Compiled templates kept across chunks and files, so a template that every chunk defines again is compiled once
/// per reader. A template is found by its GUID and size, and taken only when the chunk's definition has the same
/// bytes and its names resolve to the same text: a file that reuses a GUID with other bytes or names gets its own
/// compile, never another's.
/// </summary>
/// <remarks>
/// A definition's bytes hold chunk offsets in two places only: each name reference, and the next-name link of a
/// name written inline. Those fields are left out of the comparison; each name is instead read from the chunk and
/// compared as text, and whether it is inline (its offset pointing just past the field) must match too. Templates
/// holding an instance of another template are not kept (their values lie at chunk offsets). The store keeps at
/// most <see cref="MaxBytes"/> bytes of definitions and starts over when full.
/// </remarks>
internal sealed class TemplateStore
{
    public const int MaxBytes = 1024 * 1024;
    private const int MaxPerKey = 4;

    private readonly Dictionary<(Guid Id, int Size), List<CompiledTemplate>> _templates = [];
    private int _bytes;

    public int Count { get; private set; }

    /// <summary>The compiled template whose definition has these bytes and names, or null.</summary>
    /// <param name="body">The definition's body in its chunk (after the 24-byte header).</param>
    /// <param name="bodyOffset">Where <paramref name="body"/> starts in the chunk, to tell inline names.</param>
    /// <param name="height">How many content levels below the template it may nest without exceeding the limit.</param>
    /// <param name="chunk">The reader of the chunk, to read the names at their offsets.</param>
    public CompiledTemplate? Find(Guid id, ReadOnlySpan<byte> body, int bodyOffset, int height, BinXmlReader chunk)
    {
        if (!_templates.TryGetValue((id, body.Length), out var candidates))
        {
            return null;
        }

        foreach (var candidate in candidates)
        {
            if (candidate.Height <= height && candidate.Matches(body, bodyOffset, chunk))
            {
                return candidate;
            }
        }

        return null;
    }

    public void Add(Guid id, CompiledTemplate template)
    {
        if (_bytes + template.Body.Length > MaxBytes)
        {
            _templates.Clear();
            _bytes = 0;
            Count = 0;
        }

        if (!_templates.TryGetValue((id, template.Body.Length), out var candidates))
        {
            candidates = [];
            _templates[(id, template.Body.Length)] = candidates;
        }
        else if (candidates.Count == MaxPerKey)
        {
            _bytes -= candidates[0].Body.Length;
            candidates.RemoveAt(0);
            Count--;
        }

        candidates.Add(template);
        _bytes += template.Body.Length;
        Count++;
    }
}

/// <summary>A template's nodes with what they were compiled from: its body bytes and the names it read.</summary>
internal sealed class CompiledTemplate(BinXmlNode[] nodes, byte[] body, NameUse[] names, int height)
{
    public BinXmlNode[] Nodes { get; } = nodes;

    public byte[] Body { get; } = body;

    /// <summary>The names read, in the order of their fields in the body.</summary>
    public NameUse[] Names { get; } = names;

    /// <summary>The deepest content level reached below the template's own.</summary>
    public int Height { get; } = height;

    public bool Matches(ReadOnlySpan<byte> body, int bodyOffset, BinXmlReader chunk)
    {
        var from = 0;
        foreach (var use in Names)
        {
            // The field, and for an inline name the next-name link after it, hold chunk offsets: compare around them.
            var masked = use.Inline ? 8 : 4;
            if (use.Field < from || use.Field + 4 > body.Length || !body[from..use.Field].SequenceEqual(Body.AsSpan(from, use.Field - from)))
            {
                return false;
            }

            var offset = (int)BinaryPrimitives.ReadUInt32LittleEndian(body[use.Field..]);
            var inline = offset == bodyOffset + use.Field + 4;
            if (inline != use.Inline)
            {
                return false;
            }

            // An inline name lying wholly in the body is compared with the bytes around it; any other is read.
            var within = inline && use.Field + 4 + 8 + (use.Name.Length * 2) + 2 <= body.Length;
            if (!within && (chunk.NameAt(offset) is not { } name || !string.Equals(name, use.Name, StringComparison.Ordinal)))
            {
                return false;
            }

            from = Math.Min(use.Field + masked, body.Length);
        }

        return body[from..].SequenceEqual(Body.AsSpan(from));
    }
}

/// <summary>A name a template read: where its offset field lies in the body, whether it was inline, and its text.</summary>
internal readonly record struct NameUse(int Field, bool Inline, string Name);
