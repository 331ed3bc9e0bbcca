namespace Ribat.Forensics.Evtx;

/// <summary>
/// A parsed binary XML fragment before its values are put in: what a template definition compiles to, so a
/// template used by a thousand records of a chunk is read once.
/// </summary>
internal abstract class BinXmlNode;

internal sealed class ElementNode(string name, AttributeNode[] attributes, BinXmlNode[] content) : BinXmlNode
{
    public string Name { get; } = name;

    public AttributeNode[] Attributes { get; } = attributes;

    public BinXmlNode[] Content { get; } = content;

    /// <summary>How many children the element gets unless a substituted fragment adds more.</summary>
    public int ChildCapacity { get; } = content.Count(node => node is ElementNode or InstanceNode);

    /// <summary>
    /// The attributes, built once, when every value is literal text (<c>&lt;Data Name="SubjectUserSid"&gt;</c>):
    /// every event of the template then shares one array. Null when a value is substituted.
    /// </summary>
    public EvtxAttribute[]? ConstantAttributes { get; } = attributes.Length > 0 && attributes.All(a => a.Value is [TextNode])
        ? [.. attributes.Select(a => new EvtxAttribute(a.Name, ((TextNode)a.Value[0]).Value))]
        : null;
}

internal sealed class AttributeNode(string name, BinXmlNode[] value)
{
    public string Name { get; } = name;

    public BinXmlNode[] Value { get; } = value;
}

/// <summary>Literal text: a value token, CDATA, or a resolved character or entity reference.</summary>
internal sealed class TextNode(EvtxValue value) : BinXmlNode
{
    public EvtxValue Value { get; } = value;
}

/// <summary>A place for the record's value number <see cref="Index"/>; an optional one vanishes when the value is empty.</summary>
internal sealed class SubstitutionNode(int index, bool optional) : BinXmlNode
{
    public int Index { get; } = index;

    public bool Optional { get; } = optional;
}

/// <summary>A template used with its values, both as they lie in the chunk.</summary>
internal sealed class InstanceNode(BinXmlNode[] template, ValueSlot[] values) : BinXmlNode
{
    public BinXmlNode[] Template { get; } = template;

    public ValueSlot[] Values { get; } = values;
}

/// <summary>Where one substitution value lies in the chunk, and its type.</summary>
internal readonly record struct ValueSlot(int Offset, int Size, byte Type)
{
    public bool IsEmpty => Type == BinXmlValues.NullType || Size == 0;
}
