namespace Ribat.Forensics.Evtx;

/// <summary>One attribute of an element; its value keeps the type the record gave it.</summary>
public readonly record struct EvtxAttribute(string Name, EvtxValue Value);

/// <summary>
/// One element of an event, after templates are expanded: name, attributes, child elements and text. Text pieces
/// of mixed content are joined into one value; a single substituted value keeps its type (a number stays a number).
/// A view over its record's element table: the record holds its elements in one array, and a view is made when
/// asked for, so reading a record costs no object per element.
/// </summary>
public sealed class EvtxElement
{
    private readonly EvtxNode[] _nodes;
    private readonly int _index;

    internal EvtxElement(EvtxNode[] nodes, int index)
    {
        _nodes = nodes;
        _index = index;
    }

    public string Name => _nodes[_index].Name;

    internal EvtxNode[] Table => _nodes;

    internal int Index => _index;

    public ReadOnlySpan<EvtxAttribute> Attributes => _nodes[_index].Attributes;

    public EvtxElementList Children => new(_nodes, _nodes[_index].FirstChild, _nodes[_index].ChildCount);

    /// <summary>The element's text; <see cref="EvtxValue.IsNull"/> when it has none.</summary>
    public EvtxValue Value => _nodes[_index].Value;

    /// <summary>The first child of that name, or null.</summary>
    public EvtxElement? Child(string name)
    {
        var child = EvtxNode.Child(_nodes, _index, name);
        return child < 0 ? null : new EvtxElement(_nodes, child);
    }

    /// <summary>The value of the attribute of that name; a null value when absent.</summary>
    public EvtxValue Attribute(string name) => _nodes[_index].Attribute(name);
}

/// <summary>The child elements of an element, in document order.</summary>
public readonly struct EvtxElementList
{
    private readonly EvtxNode[] _nodes;
    private readonly int _first;

    internal EvtxElementList(EvtxNode[] nodes, int first, int count)
    {
        _nodes = nodes;
        _first = first;
        Length = count;
    }

    public int Length { get; }

    public EvtxElement this[int index] =>
        (uint)index < (uint)Length ? new EvtxElement(_nodes, _first + index) : throw new ArgumentOutOfRangeException(nameof(index));

    public Enumerator GetEnumerator() => new(this);

    public struct Enumerator(EvtxElementList list)
    {
        private int _index = -1;

        public readonly EvtxElement Current => list[_index];

        public bool MoveNext() => ++_index < list.Length;
    }
}

/// <summary>
/// One element in its record's table. The table is laid out breadth first, so an element's children lie side by
/// side (<see cref="FirstChild"/>, <see cref="ChildCount"/>) and the event is entry 0. Attributes lie in an array
/// shared by every record of a template when all of them are literal text, else in the record's own array.
/// </summary>
internal struct EvtxNode
{
    public string Name;
    public EvtxValue Value;
    public EvtxAttribute[] AttributeArray;
    public int AttributeStart;
    public int AttributeCount;
    public int FirstChild;
    public int ChildCount;

    public readonly ReadOnlySpan<EvtxAttribute> Attributes => AttributeArray.AsSpan(AttributeStart, AttributeCount);

    public readonly EvtxValue Attribute(string name)
    {
        foreach (var attribute in Attributes)
        {
            if (attribute.Name == name)
            {
                return attribute.Value;
            }
        }

        return EvtxValue.Null;
    }

    /// <summary>The index of the first child of <paramref name="parent"/> of that name, or -1.</summary>
    public static int Child(EvtxNode[] nodes, int parent, string name)
    {
        var first = nodes[parent].FirstChild;
        var end = first + nodes[parent].ChildCount;
        for (var i = first; i < end; i++)
        {
            if (nodes[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }
}
