using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Ribat.Forensics.Logs;

/// <summary>
/// JSON lines, one object per line, flattened with <see cref="Utf8JsonReader"/> and no document per line: nested
/// objects give dotted names (<c>userIdentity.arn</c>), array items their index (<c>resources.0.ARN</c>). Numbers keep
/// their text, booleans are "true"/"false", null is null; empty objects and arrays give nothing. A line holding
/// <c>{"Records": [...]}</c> (CloudTrail, Azure) gives one event per record. Windows-shaped events (Sysmon for Linux
/// as XML in a message, or nested <c>Event.EventData</c>/<c>Event.System</c>) also get their fields flat, first.
/// </summary>
internal sealed partial class JsonLineParser(string sourceFile, LogReadOptions options) : ILineParser
{
    private const int MaxDepth = 64;

    private readonly JsonFieldNames _names = new();
    private readonly List<LogField> _fields = new(32);
    private readonly Frame[] _frames = new Frame[MaxDepth + 2];
    private char[] _path = new char[512];
    private byte[] _key = new byte[256];
    private int _pathLength;
    private int _node;
    private int _depth;
    private int _timestampAt;
    private int _timestampRank;
    private bool _timestampIsNumber;
    private bool _windowsShaped;
    private bool _hasXml;

    /// <summary>
    /// A container being read: its interned name (<see cref="JsonFieldNames"/>), or, once past the names' bound, its
    /// path spelled out in <see cref="_path"/> (<see cref="Node"/> is then <see cref="JsonFieldNames.None"/>).
    /// </summary>
    private struct Frame
    {
        public int Node;
        public int PathLength;
        public int Index;
        public bool IsArray;

        /// <summary>The node of the container's last key or index so far (<see cref="JsonFieldNames.None"/> before the first).</summary>
        public int LastChild;
    }

    public bool TryParse(ReadOnlySpan<byte> line, long lineNumber, List<LogEvent> events, out string? skipReason)
    {
        skipReason = null;
        if (line.StartsWith("\uFEFF"u8))
        {
            line = line[3..];
        }

        line = line.Trim(" \t"u8);
        if (line.IsEmpty)
        {
            skipReason = SkipReasons.Empty;
            return false;
        }

        if (line[0] != (byte)'{')
        {
            skipReason = SkipReasons.NotJsonObject;
            return false;
        }

        var before = events.Count;
        if (UseFastPath && !MayHoldRecords(line) && TryReadPlain(line))
        {
            events.Add(Finish(lineNumber));
            return true;
        }

        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = MaxDepth });
            reader.Read();
            if (!MayHoldRecords(line) || !TryReadRecords(ref reader, lineNumber, events))
            {
                ReadObject(ref reader, 0);
                events.Add(Finish(lineNumber));
            }

            while (reader.Read())
            {
                // Anything but whitespace after the object is an error, and Read throws on it.
            }

            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            events.RemoveRange(before, events.Count - before);
            skipReason = SkipReasons.InvalidJson;
            return false;
        }
    }

    /// <summary>
    /// <c>{"Records": [{...}, ...]}</c>: one event per record. The first property decides; other properties of such a
    /// line are not read into the records.
    /// </summary>
    /// <summary>
    /// Whether the first key can be <c>Records</c>/<c>records</c>, judged from the bytes: most lines start with another
    /// key, and this spares them a second reading of it. An escaped first key is left to the reader to judge.
    /// </summary>
    private static bool MayHoldRecords(ReadOnlySpan<byte> line)
    {
        var rest = line[1..].TrimStart(" \t\r\n"u8);
        return rest.Length > 1 && rest[0] == (byte)'"' && rest[1] is (byte)'R' or (byte)'r' or (byte)'\\';
    }

    private bool TryReadRecords(ref Utf8JsonReader reader, long lineNumber, List<LogEvent> events)
    {
        var probe = reader;
        if (!probe.Read() || probe.TokenType != JsonTokenType.PropertyName
            || !(probe.ValueTextEquals("Records"u8) || probe.ValueTextEquals("records"u8)) || !probe.Read() || probe.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        reader = probe;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("a record is not an object");
            }

            ReadObject(ref reader, 0);
            events.Add(Finish(lineNumber));
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            reader.Skip();
        }

        return true;
    }

    /// <summary>Reads the object the reader is on, to its end, into <see cref="_fields"/> under the current path.</summary>
    private void ReadObject(ref Utf8JsonReader reader, int pathLength)
    {
        StartObject(pathLength);
        while (reader.Read())
        {
            ref var frame = ref _frames[_depth];
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    EnterName(ref reader, ref frame);
                    continue;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    if (_depth == 0)
                    {
                        return;
                    }

                    _depth--;
                    continue;
            }

            if (frame.IsArray)
            {
                EnterIndex(ref frame, frame.Index++);
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                _frames[++_depth] = new Frame { Node = _node, PathLength = _pathLength, IsArray = reader.TokenType == JsonTokenType.StartArray, LastChild = JsonFieldNames.None };
                continue;
            }

            AddValue(ref reader);
        }
    }

    /// <summary>Starts reading an object into <see cref="_fields"/> under a path of <paramref name="pathLength"/> characters.</summary>
    private void StartObject(int pathLength)
    {
        _fields.Clear();
        _timestampAt = -1;
        _timestampRank = JsonFieldNames.NotTimestamp;
        _windowsShaped = false;
        _hasXml = false;
        _depth = 0;
        _frames[0] = new Frame { Node = JsonFieldNames.Root, PathLength = pathLength, IsArray = false, LastChild = JsonFieldNames.None };
        _pathLength = pathLength;
        _node = JsonFieldNames.Root;
    }

    private void AddValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String && reader.ValueIsEscaped)
        {
            AddField(JsonTokenType.String, reader.GetString());
            return;
        }

        AddScalar(reader.TokenType, reader.ValueSpan);
    }

    /// <summary>Adds a value written without escapes: a string's bytes between its quotes, a number's text, a literal.</summary>
    private void AddScalar(JsonTokenType type, ReadOnlySpan<byte> raw) => AddField(type, type switch
    {
        JsonTokenType.String or JsonTokenType.Number => Text(raw),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        _ => null,
    });

    private void AddField(JsonTokenType type, string? value)
    {
        var name = _node != JsonFieldNames.None ? _names.Name(_node) : JsonFieldName.Of(_path.AsSpan(0, _pathLength).ToString());
        if (type == JsonTokenType.String)
        {
            _hasXml |= value is { Length: > 8 } && value[0] == '<' && value.StartsWith("<Event", StringComparison.Ordinal);
        }

        if (name.TimestampRank < _timestampRank && value is not null)
        {
            _timestampRank = name.TimestampRank;
            _timestampAt = _fields.Count;
            _timestampIsNumber = type == JsonTokenType.Number;
        }

        _windowsShaped |= name.WindowsShaped;
        _fields.Add(new LogField(name.Name, value));
    }

    private string Text(ReadOnlySpan<byte> utf8) => _node != JsonFieldNames.None ? _names.Value(_node, utf8) : Encoding.UTF8.GetString(utf8);

    /// <summary>Makes the property the reader is on the current name: its node under the container's, or its spelled-out path.</summary>
    private void EnterName(ref Utf8JsonReader reader, ref Frame frame)
    {
        var raw = reader.HasValueSequence ? throw new JsonException("unexpected segmented input") : reader.ValueSpan;
        var key = raw;
        if (reader.ValueIsEscaped)
        {
            if (_key.Length < raw.Length)
            {
                _key = new byte[Math.Max(_key.Length * 2, raw.Length)];
            }

            key = _key.AsSpan(0, reader.CopyString(_key));
        }

        Enter(ref frame, key);
    }

    private void EnterIndex(ref Frame frame, int index)
    {
        Span<byte> digits = stackalloc byte[11];
        var written = 1;
        if (index < 10)
        {
            digits[0] = (byte)('0' + index);
        }
        else
        {
            index.TryFormat(digits, out written, default, CultureInfo.InvariantCulture);
        }

        Enter(ref frame, digits[..written]);
    }

    private void Enter(ref Frame frame, ReadOnlySpan<byte> key)
    {
        if (frame.Node != JsonFieldNames.None)
        {
            _node = _names.ChildAfter(frame.Node, frame.LastChild, key);
            if (_node != JsonFieldNames.None)
            {
                frame.LastChild = _node;
                return;
            }

            // Past the bound: the rest of this branch is spelled out, starting from the container's interned name.
            var parent = _names.Name(frame.Node).Name;
            _pathLength = 0;
            Reserve(parent.Length);
            parent.CopyTo(_path);
            _pathLength = parent.Length;
        }
        else
        {
            _pathLength = frame.PathLength;
        }

        Reserve(Encoding.UTF8.GetMaxCharCount(key.Length) + 1);
        if (_pathLength > 0)
        {
            _path[_pathLength++] = '.';
        }

        _pathLength += Encoding.UTF8.GetChars(key, _path.AsSpan(_pathLength));
    }

    private void Reserve(int more)
    {
        if (_pathLength + more > _path.Length)
        {
            Array.Resize(ref _path, Math.Max(_path.Length * 2, _pathLength + more));
        }
    }

    private LogEvent Finish(long lineNumber)
    {
        DateTimeOffset? timestamp = null;
        if (_timestampAt >= 0 && _fields[_timestampAt].Value is { } text)
        {
            timestamp = ParseTimestamp(text, _timestampIsNumber, options.LocalTimeZone);
        }

        if (_hasXml || _windowsShaped)
        {
            LiftWindowsFields(_fields, _hasXml, _windowsShaped);
        }

        return new LogEvent(LogFormat.JsonLines, sourceFile, lineNumber, timestamp, [.. _fields]);
    }

    internal static DateTimeOffset? ParseTimestamp(string text, bool isNumber, TimeZoneInfo? zone)
    {
        if (!isNumber && LogTimestamps.TryParseText(text, zone, out var parsed))
        {
            return parsed;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && LogTimestamps.TryParseEpoch(number, out var epoch)
            ? epoch
            : null;
    }
}
