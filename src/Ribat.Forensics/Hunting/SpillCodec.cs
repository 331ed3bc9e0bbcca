using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Hunting;

/// <summary>
/// The binary form of a hunt row in a sorted run: a marker byte, the sort key, the row's fields and its event. Only
/// this process writes and reads it, within one hunt, so it carries no version.
/// </summary>
internal static class SpillCodec
{
    private const byte RowMarker = 0xA5;

    /// <summary>Rough heap size of a row, to decide when a buffer is full.</summary>
    public static long Estimate(HuntHit hit)
    {
        long bytes = 160 + (hit.Event.Fields.Length * 40L);
        foreach (var field in hit.Event.Fields)
        {
            bytes += (field.Value?.Length ?? 0) * 2L;
        }

        return bytes;
    }

    public static void Write(BinaryWriter output, SpillKey key, HuntHit hit)
    {
        output.Write(RowMarker);
        output.Write(key.Ticks);
        output.Write(key.File);
        output.Write(key.Member);
        output.Write(key.Sequence);
        output.Write((byte)hit.Kind);
        WriteText(output, hit.RuleId);
        WriteText(output, hit.RuleTitle);
        WriteText(output, hit.Level);
        WriteList(output, hit.Tags);
        WriteText(output, hit.Indicator);
        WriteText(output, hit.IndicatorType);
        WriteText(output, hit.IndicatorId);
        WriteText(output, hit.Field);
        output.Write(hit.EventCount);
        WriteText(output, hit.GroupKey);
        WriteList(output, hit.Matched);
        WriteEvent(output, hit.Event);
    }

    public static bool TryRead(BinaryReader input, out SpillKey key, out HuntHit hit)
    {
        var marker = input.BaseStream.ReadByte();
        if (marker < 0)
        {
            key = default;
            hit = null!;
            return false;
        }

        if (marker != RowMarker)
        {
            throw new InvalidDataException("A hunt's sorted run is damaged (was the temporary folder changed?).");
        }

        key = new SpillKey(input.ReadInt64(), input.ReadInt32(), input.ReadInt32(), input.ReadInt64());
        var kind = (HuntKind)input.ReadByte();
        var ruleId = ReadText(input);
        var title = ReadText(input);
        var level = ReadText(input);
        var tags = ReadList(input);
        var indicator = ReadText(input);
        var indicatorType = ReadText(input);
        var indicatorId = ReadText(input);
        var field = ReadText(input);
        var count = input.ReadInt64();
        var group = ReadText(input);
        var matched = ReadList(input);
        hit = new HuntHit(kind, ReadEvent(input))
        {
            RuleId = ruleId,
            RuleTitle = title,
            Level = level,
            Tags = tags,
            Indicator = indicator,
            IndicatorType = indicatorType,
            IndicatorId = indicatorId,
            Field = field,
            EventCount = count,
            GroupKey = group,
            Matched = matched,
        };
        return true;
    }

    private static void WriteEvent(BinaryWriter output, LogEvent logEvent)
    {
        output.Write((byte)logEvent.Format);
        output.Write(logEvent.SourceFile);
        output.Write(logEvent.RecordId);
        output.Write(logEvent.Timestamp is { } time ? time.UtcTicks : long.MinValue);
        output.Write(logEvent.Fields.Length);
        foreach (var field in logEvent.Fields)
        {
            output.Write(field.Name);
            WriteText(output, field.Value);
        }
    }

    private static LogEvent ReadEvent(BinaryReader input)
    {
        var format = (LogFormat)input.ReadByte();
        var source = input.ReadString();
        var record = input.ReadInt64();
        var ticks = input.ReadInt64();
        var fields = new LogField[input.ReadInt32()];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = new LogField(input.ReadString(), ReadText(input));
        }

        DateTimeOffset? time = ticks == long.MinValue ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        return new LogEvent(format, source, record, time, fields);
    }

    private static void WriteText(BinaryWriter output, string? text)
    {
        output.Write(text is not null);
        if (text is not null)
        {
            output.Write(text);
        }
    }

    private static string? ReadText(BinaryReader input) => input.ReadBoolean() ? input.ReadString() : null;

    private static void WriteList(BinaryWriter output, IReadOnlyList<string> items)
    {
        output.Write(items.Count);
        foreach (var item in items)
        {
            output.Write(item);
        }
    }

    private static IReadOnlyList<string> ReadList(BinaryReader input)
    {
        var count = input.ReadInt32();
        if (count == 0)
        {
            return [];
        }

        var items = new string[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = input.ReadString();
        }

        return items;
    }
}
