using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Ribat.Forensics.Evtx;

/// <summary>Template instances and definitions: compiled once per chunk offset, and kept across chunks in <see cref="TemplateStore"/>.</summary>
internal sealed partial class BinXmlReader
{
    private readonly TemplateStore _store = new();

    // While templates compile (innermost last): the names they read, where the body of the innermost starts, whether
    // it holds an instance of another template, and the deepest content level reached.
    private readonly List<NameUse> _nameUses = [];
    private int _compiling;
    private int _compiledStart;
    private bool _instanceSeen;
    private int _deepest;

    private InstanceNode ReadInstance(ref int pos, int end, int depth)
    {
        var (template, count) = ReadInstanceHead(ref pos, end, depth);
        var values = new ValueSlot[count];
        ReadValueSlots(ref pos, end, values, count);
        return new InstanceNode(template, values);
    }

    /// <summary>
    /// A template instance with its value places in <paramref name="reused"/>, grown when too short: valid until the
    /// array is reused for the next record or fragment at the same place.
    /// </summary>
    private (BinXmlNode[] Template, ValueSlot[] Values) ReadInstanceParts(ref int pos, int end, int depth, ref ValueSlot[]? reused)
    {
        var (template, count) = ReadInstanceHead(ref pos, end, depth);
        if (reused is null || reused.Length < count)
        {
            reused = new ValueSlot[Math.Max(count, 64)];
        }

        ReadValueSlots(ref pos, end, reused, count);
        return (template, reused);
    }

    /// <summary>A template instance up to its value places: its (cached) template and how many values follow.</summary>
    private (BinXmlNode[] Template, int Count) ReadInstanceHead(ref int pos, int end, int depth)
    {
        pos += 1 + 1 + 4;
        var definition = (int)U32(ref pos, end);
        if (definition == pos)
        {
            // Defined here, first use in this chunk: skip the definition to reach the values.
            pos += 4 + 16;
            var size = (int)U32(ref pos, end);
            if (size < 0 || size > end - pos)
            {
                BinXmlFormatException.Throw("template definition past its fragment");
            }

            pos += size;
        }

        var template = Template(definition, depth);
        _instanceSeen = true;
        var count = U32(ref pos, end);
        if (count > MaxValues || count * 4 > (uint)(end - pos))
        {
            BinXmlFormatException.Throw("too many template values");
        }

        return (template, (int)count);
    }

    /// <summary>Where each of the <paramref name="count"/> values lies; the rest of a longer array reads as empty.</summary>
    private void ReadValueSlots(ref int pos, int end, ValueSlot[] values, int count)
    {
        var at = pos + (count * 4);
        for (var i = 0; i < count; i++)
        {
            var size = BinaryPrimitives.ReadUInt16LittleEndian(_data.AsSpan(pos + (i * 4)));
            values[i] = new ValueSlot(at, size, _data[pos + (i * 4) + 2]);
            at += size;
        }

        values.AsSpan(count).Clear();
        if (at > end)
        {
            BinXmlFormatException.Throw("template values past their fragment");
        }

        pos = at;
    }

    private BinXmlNode[] Template(int offset, int depth)
    {
        if (_templates.TryGetValue(offset, out var cached))
        {
            return ReferenceEquals(cached, InProgress) ? BinXmlFormatException.Throw<BinXmlNode[]>("template uses itself") : cached;
        }

        if (offset < 0 || offset > _length - 24)
        {
            BinXmlFormatException.Throw("template definition outside the chunk");
        }

        var size = (int)BinaryPrimitives.ReadUInt32LittleEndian(_data.AsSpan(offset + 20));
        if (size < 0 || size > _length - offset - 24)
        {
            BinXmlFormatException.Throw("template definition past the chunk");
        }

        // Compiled in an earlier chunk from the same bytes and names: the same nodes, so take them.
        var id = new Guid(_data.AsSpan(offset + 4, 16));
        var start = offset + 24;
        if (_store.Find(id, _data.AsSpan(start, size), start, MaxDepth - (depth + 1), this) is { } known)
        {
            _templates[offset] = known.Nodes;
            return known.Nodes;
        }

        return Compile(offset, id, size, depth);
    }

    /// <summary>Compiles the definition at <paramref name="offset"/> and keeps it, unless it holds another template's instance.</summary>
    private BinXmlNode[] Compile(int offset, Guid id, int size, int depth)
    {
        var start = offset + 24;
        _templates[offset] = InProgress;
        TemplatesCompiled++;
        var (outerStart, outerInstance, outerDeepest, firstName) = (_compiledStart, _instanceSeen, _deepest, _nameUses.Count);
        (_compiledStart, _instanceSeen, _deepest) = (start, false, depth + 1);
        _compiling++;
        try
        {
            var nodes = ReadFragment(start, start + size, depth + 1);
            _templates[offset] = nodes;
            if (!_instanceSeen)
            {
                var names = _nameUses.GetRange(firstName, _nameUses.Count - firstName).ToArray();
                _store.Add(id, new CompiledTemplate(nodes, _data.AsSpan(start, size).ToArray(), names, _deepest - (depth + 1)));
            }

            return nodes;
        }
        catch
        {
            _templates.Remove(offset);
            throw;
        }
        finally
        {
            _compiling--;
            _nameUses.RemoveRange(firstName, _nameUses.Count - firstName);
            (_compiledStart, _instanceSeen, _deepest) = (outerStart, outerInstance, Math.Max(outerDeepest, _deepest));
        }
    }

    /// <summary>The name at a chunk offset as <see cref="ReadName"/> reads it, or null where it would fail.</summary>
    internal string? NameAt(int offset)
    {
        if (_names.TryGetValue(offset, out var name))
        {
            return name;
        }

        if (offset < 0 || offset > _length - 8)
        {
            return null;
        }

        var count = BinaryPrimitives.ReadUInt16LittleEndian(_data.AsSpan(offset + 6));
        if (count * 2 > _length - offset - 8)
        {
            return null;
        }

        name = _nameStrings.Get(MemoryMarshal.Cast<byte, char>(_data.AsSpan(offset + 8, count * 2)));
        _names[offset] = name;
        return name;
    }
}
