using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Ribat.Forensics.Tests.Evtx;

/// <summary>
/// Writes small EVTX files by the format's rules (file header, one chunk, records whose binary XML is one inline
/// template of <c>&lt;Event&gt;&lt;EventData&gt;&lt;Data Name="Vn"&gt;%n&lt;/Data&gt;…</c>), to reach value types and
/// token forms the public corpus does not hold.
/// </summary>
internal sealed class EvtxBuilder
{
    private readonly List<byte[]> _records = [];
    private readonly List<int> _recordStarts = [];
    private readonly List<int> _eventNameAt = [];

    /// <summary>
    /// Adds a record whose one value is binary XML of the given type holding <c>&lt;outer&gt;&lt;inner&gt;text…</c>.
    /// Its names are inline, so the fragment is written for the chunk offset it lands at.
    /// </summary>
    public int AddRecordWithFragment(byte type, string outer, string inner, string text)
    {
        var size = Fragment(0, outer, inner, text).Length;
        return AddRecord(at => Fragment(at, outer, inner, text), [(type, new byte[size])]);
    }

    /// <summary>Adds a record with these (type, bytes) values; returns its index.</summary>
    public int AddRecord(params (byte Type, byte[] Data)[] values) => AddRecord(null, values);

    /// <summary>
    /// Adds a record whose template has this GUID, root element name and <c>Data</c> name prefix. With
    /// <paramref name="eventNameOf"/> the root element's name is not written but refers to that earlier record's.
    /// </summary>
    public int AddRecord(Guid templateId, string eventName, string dataPrefix, int? eventNameOf, params (byte Type, byte[] Data)[] values) =>
        AddRecord(null, values, new TemplateForm(templateId, eventName, dataPrefix, eventNameOf is { } earlier ? _eventNameAt[earlier] : null));

    /// <summary>
    /// Adds a record whose <c>Data</c> elements take their <c>Name</c> attribute from their own value, as an optional
    /// substitution: a record whose value is empty has a <c>Data</c> element without attributes.
    /// </summary>
    public int AddRecordNamedByValue(Guid templateId, params (byte Type, byte[] Data)[] values) =>
        AddRecord(null, values, new TemplateForm(templateId, "Event", "V", null, NameFromValue: true));

    public int RecordCount => _records.Count;

    /// <summary>Where record <paramref name="index"/> lies in the chunk and how long it is.</summary>
    public (int Start, int Length) RecordAt(int index) => (_recordStarts[index], _records[index].Length);

    private static byte[] Fragment(int origin, string outer, string inner, string text)
    {
        var xml = new Writer(origin);
        xml.Bytes(0x0f, 0x01, 0x01, 0x00);
        xml.OpenElement(outer, attributeName: null);
        xml.Bytes(0x02);
        xml.OpenElement(inner, attributeName: null);
        xml.Bytes(0x02);
        xml.Text(text);
        xml.Bytes(0x04, 0x04, 0x00);
        return xml.ToArray();
    }

    private int AddRecord(Func<int, byte[]>? firstValueAt, (byte Type, byte[] Data)[] values, TemplateForm? form = null)
    {
        form ??= new TemplateForm(Guid.Empty, "Event", "V", null, EndOfStream: false);
        var start = 512 + _records.Sum(r => r.Length);
        _recordStarts.Add(start);
        var xml = new Writer(start + 24);
        xml.Bytes(0x0f, 0x01, 0x01, 0x00);
        xml.Bytes(0x0c, 0x01);
        xml.U32(0x1234);
        var definition = xml.Position + 4;
        xml.U32((uint)definition);
        xml.U32(0);
        xml.Bytes(form.Id.ToByteArray());
        var sizeAt = xml.Length;
        xml.U32(0);
        var bodyStart = xml.Length;
        xml.Bytes(0x0f, 0x01, 0x01, 0x00);
        _eventNameAt.Add(xml.Position + 7 + 4);
        xml.OpenElement(form.EventName, attributeName: null, form.EventNameAt);
        xml.Bytes(0x02);
        xml.OpenElement("EventData", attributeName: null);
        xml.Bytes(0x02);
        for (var i = 0; i < values.Length; i++)
        {
            xml.OpenElement("Data", attributeName: "Name");
            if (form.NameFromValue)
            {
                xml.Bytes(0x0e);
                xml.U16((ushort)i);
                xml.Bytes(values[i].Type);
            }
            else
            {
                xml.Text(form.DataPrefix + i);
            }

            xml.Bytes(0x02, 0x0d);
            xml.U16((ushort)i);
            xml.Bytes(values[i].Type, 0x04);
        }

        xml.Bytes(0x04, 0x04, 0x00);
        xml.PatchU32(sizeAt, (uint)(xml.Length - bodyStart));
        xml.U32((uint)values.Length);
        foreach (var (type, data) in values)
        {
            xml.U16((ushort)data.Length);
            xml.Bytes(type, 0x00);
        }

        for (var i = 0; i < values.Length; i++)
        {
            xml.Bytes(i == 0 && firstValueAt is not null ? firstValueAt(xml.Position) : values[i].Data);
        }

        if (form.EndOfStream)
        {
            // As Windows writes it: the instance is followed by the end-of-stream token.
            xml.Bytes(0x00);
        }

        var body = xml.ToArray();
        var record = new byte[24 + body.Length + 4];
        record[0] = 0x2a;
        record[1] = 0x2a;
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), (uint)record.Length);
        BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(8), _records.Count + 1);
        BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(16), 133_000_000_000_000_000);
        body.CopyTo(record, 24);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(record.Length - 4), (uint)record.Length);
        _records.Add(record);
        return _records.Count - 1;
    }

    /// <summary>The whole file: header and one chunk with correct checksums.</summary>
    public byte[] Build()
    {
        var file = new byte[4096 + 65536];
        "ElfFile\0"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(24), (ulong)_records.Count + 1);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(32), 128);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(36), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(38), 3);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(40), 4096);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(42), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(124), Crc32.HashToUInt32(file.AsSpan(0, 120)));

        var chunk = file.AsSpan(4096, 65536);
        "ElfChnk\0"u8.CopyTo(chunk);
        var end = 512;
        foreach (var record in _records)
        {
            record.CopyTo(chunk[end..]);
            end += record.Length;
        }

        BinaryPrimitives.WriteInt64LittleEndian(chunk[8..], 1);
        BinaryPrimitives.WriteInt64LittleEndian(chunk[16..], _records.Count);
        BinaryPrimitives.WriteInt64LittleEndian(chunk[24..], 1);
        BinaryPrimitives.WriteInt64LittleEndian(chunk[32..], _records.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk[40..], 128);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk[44..], (uint)(_recordStarts.LastOrDefault(512)));
        BinaryPrimitives.WriteUInt32LittleEndian(chunk[48..], (uint)end);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk[52..], Crc32.HashToUInt32(chunk[512..end]));
        var crc = new Crc32();
        crc.Append(chunk[..120]);
        crc.Append(chunk[128..512]);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk[124..], crc.GetCurrentHashAsUInt32());
        return file;
    }

    private sealed record TemplateForm(Guid Id, string EventName, string DataPrefix, int? EventNameAt, bool NameFromValue = false, bool EndOfStream = true);

    /// <summary>Binary XML bytes that know the chunk offset they will land at, for inline names.</summary>
    private sealed class Writer(int origin)
    {
        private readonly List<byte> _bytes = [];

        public int Length => _bytes.Count;

        public int Position => origin + _bytes.Count;

        public void Bytes(params byte[] bytes) => _bytes.AddRange(bytes);

        public void U16(ushort value) => Bytes((byte)value, (byte)(value >> 8));

        public void U32(uint value) => Bytes((byte)value, (byte)(value >> 8), (byte)(value >> 16), (byte)(value >> 24));

        public void PatchU32(int at, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_bytes)[at..], value);

        public byte[] ToArray() => [.. _bytes];

        public void OpenElement(string name, string? attributeName, int? nameAt = null)
        {
            Bytes(attributeName is null ? (byte)0x01 : (byte)0x41, 0xff, 0xff);
            U32(0);
            if (nameAt is { } at)
            {
                U32((uint)at);
            }
            else
            {
                InlineName(name);
            }

            if (attributeName is not null)
            {
                U32(0);
                Bytes(0x06);
                InlineName(attributeName);
            }
        }

        public void Text(string text)
        {
            Bytes(0x05, 0x01);
            U16((ushort)text.Length);
            Bytes(Encoding.Unicode.GetBytes(text));
        }

        private void InlineName(string name)
        {
            U32((uint)(Position + 4));
            U32(0);
            U16(0);
            U16((ushort)name.Length);
            Bytes(Encoding.Unicode.GetBytes(name));
            U16(0);
        }
    }
}
