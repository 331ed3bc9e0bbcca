namespace Ribat.Forensics.Evtx;

internal sealed partial class BinXmlReader
{
    // Counts every element built for one record, so a template that nests values in values cannot blow up.
    private const int MaxElements = 100_000;

    // Marks a substituted attribute left out (an optional value that was empty) in a record's layout key.
    private static readonly object LeftOut = new();

    private readonly ElementTableBuilder _table = new();
    private ValueSlot[]?[] _nestedSlots = new ValueSlot[]?[4];
    private int _elements;

    /// <summary>The record whose binary XML lies in [start, end): its first top-level element and all below it.</summary>
    public EvtxRecord ReadRecord(int start, int end, long recordId, DateTimeOffset? written)
    {
        var (shape, values, attributes) = ReadEvent(start, end);
        return new EvtxRecord(recordId, written, shape, values, attributes);
    }

    private (EvtxNode[] Shape, EvtxValue[] Values, EvtxAttribute[] Attributes) ReadEvent(int start, int end)
    {
        _elements = 0;
        _table.Clear();
        end = Math.Min(end, _length);

        // Nearly every record is a fragment header and one template instance: expand it without a node list.
        if (end - start > 5 && _data[start] == 0x0f && _data[start + 4] == 0x0c)
        {
            var pos = start + 4;
            var (template, values) = ReadInstanceParts(ref pos, end, 0, ref _slotArray);
            if (template.Length == 1 && template[0] is ElementNode single && pos < end && _data[pos] == 0x00)
            {
                _table.BeginKey(single);
                return _table.ToTable(Build(single, values, -1, 0));
            }

            _table.Clear();
        }

        var root = _table.Add(string.Empty, -1);
        Expand(ReadFragment(start, end, 0), [], root, 0);
        var first = _table.FirstChild(root);
        return first >= 0 ? _table.ToTable(first) : BinXmlFormatException.Throw<(EvtxNode[], EvtxValue[], EvtxAttribute[])>("record without an element");
    }

    private void Expand(BinXmlNode[] nodes, ValueSlot[] values, int parent, int depth)
    {
        if (depth > MaxDepth)
        {
            BinXmlFormatException.Throw("nesting too deep");
        }

        foreach (var node in nodes)
        {
            switch (node)
            {
                case ElementNode element:
                    Build(element, values, parent, depth);
                    break;
                case TextNode text:
                    _table.AddText(parent, text.Value);
                    break;
                case SubstitutionNode substitution:
                    Substitute(substitution, values, parent, depth);
                    break;
                case InstanceNode instance:
                    Expand(instance.Template, instance.Values, parent, depth + 1);
                    break;
            }
        }
    }

    private int Build(ElementNode node, ValueSlot[] values, int parent, int depth)
    {
        if (++_elements > MaxElements)
        {
            BinXmlFormatException.Throw("too many elements");
        }

        var element = _table.Add(node.Name, parent);
        if (node.ConstantAttributes is { } constant)
        {
            _table.ShareAttributes(element, constant);
        }
        else
        {
            foreach (var attribute in node.Attributes)
            {
                _table.Pass();
                if (TryAttributeValue(attribute.Value, values, out var value))
                {
                    _table.AddAttribute(element, new EvtxAttribute(attribute.Name, value));
                }
                else
                {
                    _table.Note(LeftOut);
                }
            }
        }

        Expand(node.Content, values, element, depth + 1);
        return element;
    }

    /// <summary>False when the attribute is only an optional substitution whose value is empty: it is left out.</summary>
    private bool TryAttributeValue(BinXmlNode[] nodes, ValueSlot[] values, out EvtxValue value)
    {
        value = EvtxValue.Null;
        if (nodes.Length == 1 && nodes[0] is SubstitutionNode single)
        {
            var slot = Slot(single.Index, values);
            if (single.Optional && slot.IsEmpty)
            {
                return false;
            }

            value = Decode(slot);
            return true;
        }

        foreach (var node in nodes)
        {
            var piece = node switch
            {
                TextNode text => text.Value,
                SubstitutionNode substitution => Decode(Slot(substitution.Index, values)),
                _ => EvtxValue.Null,
            };
            value = value.IsNull ? piece : EvtxValue.FromString(value.ToText() + piece.ToText());
        }

        return true;
    }

    private void Substitute(SubstitutionNode node, ValueSlot[] values, int parent, int depth)
    {
        _table.Pass();
        var slot = Slot(node.Index, values);
        if (slot.IsEmpty)
        {
            // An empty string is still a value ("" in the JSON twins); an empty number or an optional one is nothing.
            if (!node.Optional && slot.Type is BinXmlValues.StringType or BinXmlValues.AnsiStringType)
            {
                _table.AddText(parent, EvtxValue.FromString(string.Empty));
            }

            return;
        }

        if (BinXmlValues.IsXml(slot.Type))
        {
            ExpandNested(slot, parent, depth + 1);
            return;
        }

        _table.AddText(parent, Decode(slot));
    }

    /// <summary>
    /// A nested binary XML value. Nearly always it is a fragment header and one template instance (the EventData of
    /// a Windows log): that is expanded straight from the chunk with the value places in an array reused per depth,
    /// which reads exactly what <see cref="ReadFragment"/> would, without its nodes.
    /// </summary>
    private void ExpandNested(ValueSlot slot, int parent, int depth)
    {
        var start = slot.Offset;
        var end = slot.Offset + slot.Size;
        if (depth > MaxDepth || slot.Size <= 5 || _data[start] != 0x0f || _data[start + 4] != 0x0c)
        {
            _table.Unkeyed();
            Expand(ReadFragment(start, end, depth), [], parent, depth);
            return;
        }

        if (_nestedSlots.Length <= depth)
        {
            Array.Resize(ref _nestedSlots, Math.Max(depth + 1, _nestedSlots.Length * 2));
        }

        var pos = start + 4;
        var (template, values) = ReadInstanceParts(ref pos, end, depth, ref _nestedSlots[depth]);
        if (pos < end && (_data[pos] & 0xbf) != 0x00)
        {
            // More follows the instance: read the fragment as a whole (what was read so far is cached per chunk).
            _table.Unkeyed();
            Expand(ReadFragment(start, end, depth), [], parent, depth);
            return;
        }

        _table.Note(template);
        Expand(template, values, parent, depth + 1);
    }

    private EvtxValue Decode(ValueSlot slot) =>
        BinXmlValues.IsXml(slot.Type) ? EvtxValue.Null : BinXmlValues.Decode(_data.AsSpan(slot.Offset, slot.Size), slot.Type, _strings);

    /// <summary>A substitution past the values given is empty, as Windows renders it.</summary>
    private static ValueSlot Slot(int index, ValueSlot[] values) => index < values.Length ? values[index] : default;
}
