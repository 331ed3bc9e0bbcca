namespace Ribat.Forensics.Evtx;

/// <summary>One attribute of an element; its value keeps the type the record gave it.</summary>
public readonly record struct EvtxAttribute(string Name, EvtxValue Value);

/// <summary>
/// One element of an event, after templates are expanded: name, attributes, child elements and text. Text pieces
/// of mixed content are joined into one value; a single substituted value keeps its type (a number stays a number).
/// A view over its record: the record holds its elements' values in one array beside a layout shared by the records
/// of the same shape, and a view is made when asked for, so reading a record costs no object per element.
/// </summary>
public sealed class EvtxElement
{
    private readonly EvtxRecord _record;
    private readonly int _index;

    internal EvtxElement(EvtxRecord record, int index)
    {
        _record = record;
        _index = index;
    }

    public string Name => _record.Shape[_index].Name;

    public ReadOnlySpan<EvtxAttribute> Attributes => _record.AttributesOf(_index);

    public EvtxElementList Children => new(_record, _record.Shape[_index].FirstChild, _record.Shape[_index].ChildCount);

    /// <summary>The element's text; <see cref="EvtxValue.IsNull"/> when it has none.</summary>
    public EvtxValue Value => _record.Values[_index];

    internal EvtxRecord Record => _record;

    internal int Index => _index;

    /// <summary>The first child of that name, or null.</summary>
    public EvtxElement? Child(string name)
    {
        var child = _record.Child(_index, name);
        return child < 0 ? null : new EvtxElement(_record, child);
    }

    /// <summary>The value of the attribute of that name; a null value when absent.</summary>
    public EvtxValue Attribute(string name) => _record.Attribute(_index, name);
}

/// <summary>The child elements of an element, in document order.</summary>
public readonly struct EvtxElementList
{
    private readonly EvtxRecord _record;
    private readonly int _first;

    internal EvtxElementList(EvtxRecord record, int first, int count)
    {
        _record = record;
        _first = first;
        Length = count;
    }

    public int Length { get; }

    public EvtxElement this[int index] =>
        (uint)index < (uint)Length ? new EvtxElement(_record, _first + index) : throw new ArgumentOutOfRangeException(nameof(index));

    public Enumerator GetEnumerator() => new(this);

    public struct Enumerator(EvtxElementList list)
    {
        private int _index = -1;

        public readonly EvtxElement Current => list[_index];

        public bool MoveNext() => ++_index < list.Length;
    }
}

/// <summary>
/// Where one element lies in a record's layout. The layout is breadth first, so an element's children lie side by
/// side (<see cref="FirstChild"/>, <see cref="ChildCount"/>) and the event is entry 0. Attributes lie in
/// <see cref="SharedAttributes"/> when all of them are literal text in the template, else in the record's own array
/// at <see cref="AttributeStart"/>. Records whose elements have the same names, counts and literal attributes share
/// one layout.
/// </summary>
internal struct EvtxNode
{
    public string Name;
    public EvtxAttribute[]? SharedAttributes;
    public int AttributeStart;
    public int AttributeCount;
    public int FirstChild;
    public int ChildCount;
}
