namespace Ribat.Forensics.Evtx;

/// <summary>One event record: its number and write time from the record header, and the event with templates expanded.</summary>
public sealed class EvtxRecord
{
    internal EvtxRecord(long recordId, DateTimeOffset? written, EvtxNode[] elements)
    {
        RecordId = recordId;
        Written = written;
        Elements = elements;
    }

    /// <summary>The record number of the record header (equal to System/EventRecordID in logs Windows wrote).</summary>
    public long RecordId { get; }

    /// <summary>When the record was written, from the record header; null when the FILETIME is out of range.</summary>
    public DateTimeOffset? Written { get; }

    /// <summary>The <c>Event</c> element.</summary>
    public EvtxElement Event => new(Elements, 0);

    /// <summary>Every element of the event, breadth first; the event is entry 0.</summary>
    internal EvtxNode[] Elements { get; }
}
