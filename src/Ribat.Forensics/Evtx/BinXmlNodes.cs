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

    /// <summary>
    /// The attributes, built once, when every value is literal text (<c>&lt;Data Name="SubjectUserSid"&gt;</c>):
    /// every event of the template then shares one array. Null when a value is substituted.
    /// </summary>
    public EvtxAttribute[]? ConstantAttributes { get; } = Constant(attributes);

    private static EvtxAttribute[]? Constant(AttributeNode[] attributes)
    {
        if (attributes.Length == 0)
        {
            return null;
        }

        foreach (var attribute in attributes)
        {
            if (attribute.Value is not [TextNode])
            {
                return null;
            }
        }

        var constant = new EvtxAttribute[attributes.Length];
        for (var i = 0; i < attributes.Length; i++)
        {
            constant[i] = new EvtxAttribute(attributes[i].Name, ((TextNode)attributes[i].Value[0]).Value);
        }

        return constant;
    }
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
