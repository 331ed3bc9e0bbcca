using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Ribat.Forensics.Evtx;

/// <summary>
/// Reads the binary XML of one chunk (token layout from libyal's "Windows XML Event Log (EVTX)" documentation).
/// Offsets of names and template definitions are relative to the chunk, so it works on the whole chunk; both are
/// cached by offset until <see cref="Reset"/> moves it to the next chunk. Any inconsistency throws
/// <see cref="BinXmlFormatException"/>, which the caller turns into one skipped record.
/// </summary>
internal sealed partial class BinXmlReader
{
    // Windows nests a few levels; the limits only stop hostile input from exhausting the stack or memory.
    private const int MaxDepth = 48;
    private const int MaxValues = 4096;

    private static readonly BinXmlNode[] InProgress = [];

    private readonly Dictionary<int, string> _names = [];
    private readonly Dictionary<int, BinXmlNode[]> _templates = [];
    private readonly List<BinXmlNode> _scratch = [];
    private readonly List<BinXmlNode> _stack = [];
    private readonly List<AttributeNode> _attributeScratch = [];
    private SubstitutionNode?[] _substitutions = new SubstitutionNode?[128];
    private readonly StringTable _strings = new();
    private readonly StringTable _nameStrings = new();
    private ValueSlot[]? _slotArray;
    private byte[] _data = [];
    private int _length;

    /// <summary>How many template definitions this reader has compiled rather than found already compiled.</summary>
    public int TemplatesCompiled { get; private set; }

    /// <summary>Points the reader at a new chunk of <paramref name="length"/> valid bytes and forgets the old one's caches.</summary>
    public void Reset(byte[] chunk, int length)
    {
        _data = chunk;
        _length = length;
        _names.Clear();
        _templates.Clear();
    }

    /// <summary>Reads the fragment in [start, end): a record's event or a nested binary XML value.</summary>
    public BinXmlNode[] ReadFragment(int start, int end, int depth)
    {
        var pos = start;
        return ReadContent(ref pos, Math.Min(end, _length), depth, insideElement: false);
    }

    private BinXmlNode[] ReadContent(ref int pos, int end, int depth, bool insideElement)
    {
        _deepest = Math.Max(_deepest, depth);
        if (depth > MaxDepth)
        {
            BinXmlFormatException.Throw("nesting too deep");
        }

        // Nested contents share one stack: this one's nodes lie above `bottom` until they are copied out.
        var nodes = _stack;
        var bottom = nodes.Count;
        try
        {
            return ReadContentOnto(ref pos, end, depth, insideElement, nodes, bottom);
        }
        finally
        {
            nodes.RemoveRange(bottom, nodes.Count - bottom);
        }
    }

    private BinXmlNode[] ReadContentOnto(ref int pos, int end, int depth, bool insideElement, List<BinXmlNode> nodes, int bottom)
    {
        while (true)
        {
            if (pos >= end)
            {
                if (insideElement)
                {
                    BinXmlFormatException.Throw("element not closed");
                }

                return Top(nodes, bottom);
            }

            var token = _data[pos];
            switch (token & 0xbf)
            {
                case 0x00:
                    pos++;
                    if (insideElement)
                    {
                        BinXmlFormatException.Throw("end of stream inside an element");
                    }

                    return Top(nodes, bottom);
                case 0x0f:
                    pos += 4;
                    break;
                case 0x01:
                    nodes.Add(ReadElement(ref pos, end, depth));
                    break;
                case 0x04:
                    pos++;
                    if (!insideElement)
                    {
                        BinXmlFormatException.Throw("end element outside an element");
                    }

                    return Top(nodes, bottom);
                case 0x0a:
                    pos++;
                    ReadName(ref pos, end);
                    break;
                case 0x0b:
                    pos++;
                    pos += 2 * U16(ref pos, end);
                    break;
                case 0x0c:
                    nodes.Add(ReadInstance(ref pos, end, depth));
                    break;
                default:
                    nodes.Add(ReadValueToken(ref pos, end) ?? BinXmlFormatException.Throw<BinXmlNode>("unexpected token"));
                    break;
            }
        }
    }

    private static BinXmlNode[] Top(List<BinXmlNode> nodes, int bottom)
    {
        if (nodes.Count == bottom)
        {
            return [];
        }

        var top = new BinXmlNode[nodes.Count - bottom];
        nodes.CopyTo(bottom, top, 0, top.Length);
        return top;
    }

    /// <summary>A token that yields text or a substitution, or null (nothing consumed) for any other token.</summary>
    private BinXmlNode? ReadValueToken(ref int pos, int end)
    {
        switch (_data[pos] & 0xbf)
        {
            case 0x05:
                pos++;
                if (U8(ref pos, end) != BinXmlValues.StringType)
                {
                    BinXmlFormatException.Throw("value token of a type other than text");
                }

                return new TextNode(EvtxValue.FromString(Utf16(ref pos, end, U16(ref pos, end))));
            case 0x07:
                pos++;
                return new TextNode(EvtxValue.FromString(Utf16(ref pos, end, U16(ref pos, end))));
            case 0x08:
                pos++;
                return new TextNode(EvtxValue.FromString(((char)U16(ref pos, end)).ToString()));
            case 0x09:
                pos++;
                return new TextNode(EvtxValue.FromString(Entity(ReadName(ref pos, end))));
            case 0x0d or 0x0e:
                var optional = (_data[pos] & 0xbf) == 0x0e;
                pos++;
                var index = U16(ref pos, end);
                U8(ref pos, end);
                return Substitution(index, optional);
            default:
                return null;
        }
    }

    /// <summary>Substitutions are immutable and alike in every template: one node per value number and kind.</summary>
    private SubstitutionNode Substitution(int index, bool optional)
    {
        var slot = (index * 2) + (optional ? 1 : 0);
        if (slot >= _substitutions.Length)
        {
            Array.Resize(ref _substitutions, Math.Max(slot + 1, _substitutions.Length * 2));
        }

        return _substitutions[slot] ??= new SubstitutionNode(index, optional);
    }

    private ElementNode ReadElement(ref int pos, int end, int depth)
    {
        var hasAttributes = (_data[pos] & 0x40) != 0;
        pos += 1 + 2 + 4;
        var name = ReadName(ref pos, end);
        var attributes = Array.Empty<AttributeNode>();
        if (hasAttributes)
        {
            pos += 4;
            var list = _attributeScratch;
            list.Clear();
            while (pos < end && (_data[pos] & 0xbf) == 0x06)
            {
                pos++;
                list.Add(new AttributeNode(ReadName(ref pos, end), ReadAttributeValue(ref pos, end)));
            }

            attributes = [.. list];
        }

        if (pos >= end)
        {
            BinXmlFormatException.Throw("element cut short");
        }

        switch (_data[pos++])
        {
            case 0x02:
                return new ElementNode(name, attributes, ReadContent(ref pos, end, depth + 1, insideElement: true));
            case 0x03:
                return new ElementNode(name, attributes, []);
            default:
                return BinXmlFormatException.Throw<ElementNode>("start element not closed");
        }
    }

    private BinXmlNode[] ReadAttributeValue(ref int pos, int end)
    {
        _scratch.Clear();
        while (pos < end && ReadValueToken(ref pos, end) is { } node)
        {
            _scratch.Add(node);
        }

        return _scratch.Count == 0 ? [] : [.. _scratch];
    }

    /// <summary>A name by its chunk offset; when the offset points just past itself the name follows inline.</summary>
    private string ReadName(ref int pos, int end)
    {
        var field = pos;
        var offset = (int)U32(ref pos, end);
        var inline = offset == pos;
        if (!_names.TryGetValue(offset, out var name))
        {
            if (offset < 0 || offset > _length - 8)
            {
                BinXmlFormatException.Throw("name outside the chunk");
            }

            var at = offset + 6;
            var count = U16(ref at, _length);
            if (count * 2 > _length - at)
            {
                BinXmlFormatException.Throw("text past its fragment");
            }

            // Every chunk names the same elements again: one string per name across chunks, not per chunk, in a table
            // of their own so values do not push them out (records share a layout only when its names are the same).
            name = _nameStrings.Get(MemoryMarshal.Cast<byte, char>(_data.AsSpan(at, count * 2)));
            _names[offset] = name;
        }

        if (_compiling > 0)
        {
            _nameUses.Add(new NameUse(field - _compiledStart, inline, name));
        }

        if (inline)
        {
            pos += 8 + (name.Length * 2) + 2;
        }

        return name;
    }

    private static string Entity(string name) => name switch
    {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => "&" + name + ";",
    };

    private byte U8(ref int pos, int end) => pos < end ? _data[pos++] : BinXmlFormatException.Throw<byte>("fragment cut short");

    private ushort U16(ref int pos, int end)
    {
        if (pos > end - 2)
        {
            BinXmlFormatException.Throw("fragment cut short");
        }

        var value = BinaryPrimitives.ReadUInt16LittleEndian(_data.AsSpan(pos));
        pos += 2;
        return value;
    }

    private uint U32(ref int pos, int end)
    {
        if (pos > end - 4)
        {
            BinXmlFormatException.Throw("fragment cut short");
        }

        var value = BinaryPrimitives.ReadUInt32LittleEndian(_data.AsSpan(pos));
        pos += 4;
        return value;
    }

    private string Utf16(ref int pos, int end, int count)
    {
        if (count * 2 > end - pos)
        {
            BinXmlFormatException.Throw("text past its fragment");
        }

        var text = _strings.Get(MemoryMarshal.Cast<byte, char>(_data.AsSpan(pos, count * 2)));
        pos += count * 2;
        return text;
    }
}
