using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Ribat.Forensics.Evtx;
using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Tests.Evtx;

/// <summary>Every substitution value type, in single and array form, as the evtx JSON twins write it.</summary>
public sealed class EvtxValueTypeTests
{
    private static readonly Guid SampleGuid = Guid.Parse("5770385f-c22a-43e0-bf4c-06f5698ffbd9");

    public static TheoryData<byte, byte[], string> Values() => new()
    {
        { 0x01, Encoding.Unicode.GetBytes("cmd.exe\0"), "\"cmd.exe\"" },
        { 0x02, "ansi\0"u8.ToArray(), "\"ansi\"" },
        { 0x03, [0xfb], "-5" },
        { 0x04, [0xfa], "250" },
        { 0x05, Le16(-300), "-300" },
        { 0x06, Le16(65000), "65000" },
        { 0x07, Le32(-70000), "-70000" },
        { 0x08, Le32(4_000_000_000), "4000000000" },
        { 0x09, Le64(-5_000_000_000), "-5000000000" },
        { 0x0a, Le64(unchecked((long)ulong.MaxValue)), "18446744073709551615" },
        { 0x0b, BitConverter.GetBytes(1.5f), "1.5" },
        { 0x0c, BitConverter.GetBytes(0.1), "0.1" },
        { 0x0d, Le32(1), "true" },
        { 0x0d, Le32(0), "false" },
        { 0x0d, Le32(256), "true" },
        { 0x0e, [0x01, 0xab, 0xff], "\"01ABFF\"" },
        { 0x0f, SampleGuid.ToByteArray(), "\"5770385F-C22A-43E0-BF4C-06F5698FFBD9\"" },
        { 0x10, Le64(42), "\"0x000000000000002a\"" },
        { 0x11, Le64(new DateTime(2016, 7, 8, 18, 12, 51, 681, DateTimeKind.Utc).AddTicks(6408).ToFileTimeUtc()), "\"2016-07-08T18:12:51.681640Z\"" },
        { 0x12, SystemTime(2019, 3, 4, 5, 6, 7, 89), "\"2019-03-04T05:06:07.089000Z\"" },
        { 0x13, Sid(5, 21, 1, 2, 3, 500), "\"S-1-5-21-1-2-3-500\"" },
        { 0x14, Le32(0x2a), "\"0x2a\"" },
        { 0x15, Le64(unchecked((long)0x8000000000000000)), "\"0x8000000000000000\"" },
        { 0x20, Le64(7), "7" },
        { 0x81, Encoding.Unicode.GetBytes("a\0b\0"), "[\"a\",\"b\"]" },
        { 0x82, "x\0y\0"u8.ToArray(), "[\"x\",\"y\"]" },
        { 0x83, [0xff, 0x01], "[-1,1]" },
        { 0x84, [0x01, 0x02], "[1,2]" },
        { 0x85, [.. Le16(-1), .. Le16(2)], "[-1,2]" },
        { 0x86, [.. Le16(1), .. Le16(2)], "[1,2]" },
        { 0x87, [.. Le32(-1), .. Le32(2)], "[-1,2]" },
        { 0x88, [.. Le32(1), .. Le32(2)], "[1,2]" },
        { 0x89, [.. Le64(-1), .. Le64(2)], "[-1,2]" },
        { 0x8a, [.. Le64(1), .. Le64(2)], "[1,2]" },
        { 0x8b, [.. BitConverter.GetBytes(0.5f), .. BitConverter.GetBytes(2f)], "[0.5,2]" },
        { 0x8c, [.. BitConverter.GetBytes(0.25), .. BitConverter.GetBytes(-3.0)], "[0.25,-3]" },
        { 0x8d, [.. Le32(1), .. Le32(0)], "[true,false]" },
        { 0x8e, [0xde, 0xad], "\"DEAD\"" },
        { 0x8f, [.. SampleGuid.ToByteArray(), .. Guid.Empty.ToByteArray()], "[\"5770385F-C22A-43E0-BF4C-06F5698FFBD9\",\"00000000-0000-0000-0000-000000000000\"]" },
        { 0x90, [.. Le64(1), .. Le64(2)], "[\"0x0000000000000001\",\"0x0000000000000002\"]" },
        { 0x91, [.. Le64(0), .. Le64(0)], "[\"1601-01-01T00:00:00.000000Z\",\"1601-01-01T00:00:00.000000Z\"]" },
        { 0x92, [.. SystemTime(2020, 1, 2, 3, 4, 5, 6), .. SystemTime(2021, 12, 31, 23, 59, 59, 999)], "[\"2020-01-02T03:04:05.006000Z\",\"2021-12-31T23:59:59.999000Z\"]" },
        { 0x93, [.. Sid(5, 18), .. Sid(5, 32, 544)], "[\"S-1-5-18\",\"S-1-5-32-544\"]" },
        { 0x94, [.. Le32(1), .. Le32(255)], "[\"0x1\",\"0xff\"]" },
        { 0x95, [.. Le64(16), .. Le64(0)], "[\"0x10\",\"0x0\"]" },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void A_value_of_each_type_renders_as_evtx_dump_writes_it(byte type, byte[] data, string json)
    {
        var builder = new EvtxBuilder();
        builder.AddRecord((type, data));

        var record = Read(builder.Build()).Should().ContainSingle().Subject;

        var rendered = JsonNode.Parse(EvtxJson.Render(record))!["Event"]!["EventData"]!["V0"];
        JsonDifference.First(JsonNode.Parse(json), rendered, "V0").Should().BeNull();
    }

    [Fact]
    public void Null_and_empty_values_read_as_null_and_empty_text()
    {
        var builder = new EvtxBuilder();
        builder.AddRecord((0x00, []), (0x01, []), (0x08, []));

        var flat = EvtxEvents.ToLogEvent(Read(builder.Build()).Single(), "built.evtx");

        flat.Fields.Take(3).Should().Equal(new LogField("V0", null), new LogField("V1", string.Empty), new LogField("V2", null));
    }

    [Theory]
    [InlineData(0x21)]
    [InlineData(0x23)]
    public void A_nested_binary_xml_value_becomes_child_elements(byte type)
    {
        var builder = new EvtxBuilder();
        builder.AddRecordWithFragment(type, "LogFileCleared", "SubjectUserName", "alice");

        var record = Read(builder.Build()).Single();

        var eventData = record.Event.Child("EventData")!.Children[0];
        eventData.Child("LogFileCleared")!.Child("SubjectUserName")!.Value.Text.Should().Be("alice");
        JsonNode.Parse(EvtxJson.Render(record))!["Event"]!["EventData"]!["Data"]!["LogFileCleared"]!["SubjectUserName"]!.GetValue<string>().Should().Be("alice");
    }

    [Fact]
    public void Values_flatten_in_order_with_their_names()
    {
        var builder = new EvtxBuilder();
        builder.AddRecord((0x01, Encoding.Unicode.GetBytes("C:\\Windows\\cmd.exe  ")), (0x08, Le32(4688)), (0x0d, Le32(2)));

        var flat = EvtxEvents.ToLogEvent(Read(builder.Build()).Single(), "built.evtx");

        flat.Fields.Should().Equal(new LogField("V0", "C:\\Windows\\cmd.exe"), new LogField("V1", "4688"), new LogField("V2", "true"));
        flat.RecordId.Should().Be(1);
        flat.Timestamp.Should().Be(new DateTimeOffset(DateTime.FromFileTimeUtc(133_000_000_000_000_000)));
    }

    internal static List<EvtxRecord> Read(byte[] file, EvtxReadOptions? options = null)
    {
        var reader = new EvtxReader(new MemoryStream(file), options);
        var records = reader.ReadRecords().ToList();
        reader.Report.RecordsSkipped.Should().Be(0, string.Join("; ", reader.Report.Damage));
        return records;
    }

    private static byte[] Le16(int value) => BitConverter.GetBytes((short)value);

    private static byte[] Le32(long value) => BitConverter.GetBytes((uint)value);

    private static byte[] Le64(long value) => BitConverter.GetBytes(value);

    private static byte[] SystemTime(int year, int month, int day, int hour, int minute, int second, int millisecond) =>
        [.. Le16(year), .. Le16(month), .. Le16(0), .. Le16(day), .. Le16(hour), .. Le16(minute), .. Le16(second), .. Le16(millisecond)];

    private static byte[] Sid(long authority, params uint[] subAuthorities)
    {
        var sid = new byte[8 + (subAuthorities.Length * 4)];
        sid[0] = 1;
        sid[1] = (byte)subAuthorities.Length;
        for (var i = 0; i < 6; i++)
        {
            sid[7 - i] = (byte)(authority >> (8 * i));
        }

        for (var i = 0; i < subAuthorities.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(sid.AsSpan(8 + (i * 4)), subAuthorities[i]);
        }

        return sid;
    }
}
