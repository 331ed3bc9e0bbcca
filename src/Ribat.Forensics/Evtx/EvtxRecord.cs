namespace Ribat.Forensics.Evtx;

/// <summary>One event record: its number and write time from the record header, and the event with templates expanded.</summary>
public sealed class EvtxRecord(long recordId, DateTimeOffset? written, EvtxElement @event)
{
    /// <summary>The record number of the record header (equal to System/EventRecordID in logs Windows wrote).</summary>
    public long RecordId { get; } = recordId;

    /// <summary>When the record was written, from the record header; null when the FILETIME is out of range.</summary>
    public DateTimeOffset? Written { get; } = written;

    /// <summary>The <c>Event</c> element.</summary>
    public EvtxElement Event { get; } = @event;
}
