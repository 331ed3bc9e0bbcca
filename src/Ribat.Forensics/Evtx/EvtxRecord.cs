namespace Ribat.Forensics.Evtx;

/// <summary>One event record: its number and write time from the record header, and the event with templates expanded.</summary>
public sealed class EvtxRecord
{
    internal EvtxRecord(long recordId, DateTimeOffset? written, EvtxNode[] shape, EvtxValue[] values, EvtxAttribute[] ownAttributes)
    {
        RecordId = recordId;
        Written = written;
        Shape = shape;
        Values = values;
        OwnAttributes = ownAttributes;
    }

    /// <summary>The record number of the record header (equal to System/EventRecordID in logs Windows wrote).</summary>
    public long RecordId { get; }

    /// <summary>When the record was written, from the record header; null when the FILETIME is out of range.</summary>
    public DateTimeOffset? Written { get; }

    /// <summary>The <c>Event</c> element.</summary>
    public EvtxElement Event => new(this, 0);

    /// <summary>The layout of the event's elements, breadth first (the event is entry 0); shared by records of one shape.</summary>
    internal EvtxNode[] Shape { get; }

    /// <summary>The text of each element of <see cref="Shape"/>, by the same index.</summary>
    internal EvtxValue[] Values { get; }

    /// <summary>The attributes not shared with the template, at each element's <see cref="EvtxNode.AttributeStart"/>.</summary>
    internal EvtxAttribute[] OwnAttributes { get; }

    internal ReadOnlySpan<EvtxAttribute> AttributesOf(int element)
    {
        ref readonly var node = ref Shape[element];
        return node.SharedAttributes is { } shared ? shared : OwnAttributes.AsSpan(node.AttributeStart, node.AttributeCount);
    }

    internal EvtxValue Attribute(int element, string name)
    {
        foreach (var attribute in AttributesOf(element))
        {
            if (attribute.Name == name)
            {
                return attribute.Value;
            }
        }

        return EvtxValue.Null;
    }

    /// <summary>The index of the first child of <paramref name="parent"/> of that name, or -1.</summary>
    internal int Child(int parent, string name)
    {
        var first = Shape[parent].FirstChild;
        var end = first + Shape[parent].ChildCount;
        for (var i = first; i < end; i++)
        {
            if (Shape[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }
}
