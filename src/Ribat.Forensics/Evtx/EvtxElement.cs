namespace Ribat.Forensics.Evtx;

/// <summary>One attribute of an element; its value keeps the type the record gave it.</summary>
public readonly record struct EvtxAttribute(string Name, EvtxValue Value);

/// <summary>
/// One element of an event, after templates are expanded: name, attributes, child elements and text. Text pieces
/// of mixed content are joined into one value; a single substituted value keeps its type (a number stays a number).
/// </summary>
public sealed class EvtxElement
{
    private static readonly EvtxAttribute[] NoAttributes = [];
    private static readonly EvtxElement[] NoChildren = [];

    private EvtxAttribute[] _attributes = NoAttributes;
    private int _attributeCount;
    private bool _attributesShared;
    private EvtxElement[] _children = NoChildren;
    private int _childCount;

    public EvtxElement(string name)
    {
        Name = name;
    }

    /// <summary>Sized up front from the template, so building an event does not grow arrays.</summary>
    internal EvtxElement(string name, int attributes, int children)
    {
        Name = name;
        _attributes = attributes == 0 ? NoAttributes : new EvtxAttribute[attributes];
        _children = children == 0 ? NoChildren : new EvtxElement[children];
    }

    /// <summary>With attributes shared by every event of a template; adding one copies them first.</summary>
    internal EvtxElement(string name, EvtxAttribute[] sharedAttributes, int children)
        : this(name, 0, children)
    {
        _attributes = sharedAttributes;
        _attributeCount = sharedAttributes.Length;
        _attributesShared = true;
    }

    public string Name { get; }

    public ReadOnlySpan<EvtxAttribute> Attributes => _attributes.AsSpan(0, _attributeCount);

    public ReadOnlySpan<EvtxElement> Children => _children.AsSpan(0, _childCount);

    /// <summary>The element's text; <see cref="EvtxValue.IsNull"/> when it has none.</summary>
    public EvtxValue Value { get; private set; }

    /// <summary>The first child of that name, or null.</summary>
    public EvtxElement? Child(string name)
    {
        foreach (var child in Children)
        {
            if (child.Name == name)
            {
                return child;
            }
        }

        return null;
    }

    /// <summary>The value of the attribute of that name; a null value when absent.</summary>
    public EvtxValue Attribute(string name)
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

    internal void AddAttribute(string name, EvtxValue value)
    {
        if (_attributeCount == _attributes.Length || _attributesShared)
        {
            Array.Resize(ref _attributes, Math.Max(4, _attributeCount * 2));
            _attributesShared = false;
        }

        _attributes[_attributeCount++] = new EvtxAttribute(name, value);
    }

    internal void AddChild(EvtxElement child)
    {
        if (_childCount == _children.Length)
        {
            Array.Resize(ref _children, Math.Max(4, _childCount * 2));
        }

        _children[_childCount++] = child;
    }

    /// <summary>Adds a piece of text: the first keeps its type, later ones turn the whole into joined text.</summary>
    internal void AddText(EvtxValue piece)
    {
        if (piece.IsNull)
        {
            return;
        }

        static string? Raw(EvtxValue value) => value.Text ?? value.ToText();

        Value = Value.IsNull ? piece : EvtxValue.FromString(Raw(Value) + Raw(piece));
    }
}
