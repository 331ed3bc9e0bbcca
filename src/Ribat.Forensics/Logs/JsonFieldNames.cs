using System.Text;

namespace Ribat.Forensics.Logs;

/// <summary>What a flattened JSON path is: its interned name, whether it can give the event's time, and how eagerly.</summary>
internal readonly record struct JsonFieldName(string Name, int TimestampRank, bool WindowsShaped)
{
    public static JsonFieldName Of(string name) => new(name, JsonFieldNames.Rank(name), JsonFieldNames.IsWindowsShaped(name));
}

/// <summary>
/// Interns flattened names as a tree of keys: lines of one log repeat the same keys, so each dotted path is made a string
/// once, and a key is found from its parent's node and its UTF-8 bytes, without decoding it or hashing the whole path.
/// Bounded: past <see cref="MaxNames"/> paths (or for a key longer than <see cref="MaxKeyBytes"/>) <see cref="Child"/>
/// answers <see cref="None"/> and the caller builds the name itself, so a log with a fresh key on every line costs a
/// string per field and no more. Each node also keeps the values last seen under it (<see cref="JsonValueCache"/>).
/// </summary>
internal sealed class JsonFieldNames
{
    public const int NotTimestamp = int.MaxValue;
    public const int Root = 0;
    public const int None = -1;
    public const int MaxNames = 8192;
    public const int MaxKeyBytes = 256;

    private const int TableSize = MaxNames * 2;

    /// <summary>Keys logs use for the event's time, best first: ECS, generic, CloudTrail, Zeek, Sysmon, evtx_dump.</summary>
    private static readonly string[] TimestampKeys =
    [
        "@timestamp", "timestamp", "time", "eventTime", "ts", "EventTime", "UtcTime", "TimeCreated", "TimeGenerated",
        "datetime", "date", "Event.System.TimeCreated.#attributes.SystemTime", "Event.System.TimeCreated.@SystemTime",
        "Event.System.TimeCreated.SystemTime",
    ];

    private readonly List<JsonFieldName> _names = [new JsonFieldName(string.Empty, NotTimestamp, false)];
    private readonly List<JsonValueCache?> _values = [null];
    private readonly List<int> _parents = [None];
    private readonly List<int> _keyStarts = [0];
    private readonly List<int> _keyLengths = [0];
    private readonly List<int> _firstChild = [None];
    private readonly List<int> _nextSibling = [None];
    private readonly int[] _table = new int[TableSize];
    private byte[] _keys = new byte[4096];
    private int _keysUsed;

    public int Count => _names.Count;

    /// <summary>The node of <paramref name="key"/> under <paramref name="parent"/>, made on first sight; <see cref="None"/> past the bounds.</summary>
    public int Child(int parent, ReadOnlySpan<byte> key)
    {
        if (key.Length > MaxKeyBytes)
        {
            return None;
        }

        var slot = (int)(Hash(parent, key) & (TableSize - 1));
        while (_table[slot] != 0)
        {
            var node = _table[slot];
            if (_parents[node] == parent && _keys.AsSpan(_keyStarts[node], _keyLengths[node]).SequenceEqual(key))
            {
                return node;
            }

            slot = (slot + 1) & (TableSize - 1);
        }

        return _names.Count < MaxNames ? Add(parent, key, slot) : None;
    }

    /// <summary>
    /// <see cref="Child"/>, guessed first from the order of the last line: the key after <paramref name="previous"/> (the
    /// container's last key, <see cref="None"/> for its first) is most often the one that followed it then, and a guess
    /// costs a comparison of the key's bytes where a look-up hashes them and probes the table.
    /// </summary>
    public int ChildAfter(int parent, int previous, ReadOnlySpan<byte> key)
    {
        var guess = previous == None ? _firstChild[parent] : _nextSibling[previous];
        if (guess != None && _parents[guess] == parent && _keys.AsSpan(_keyStarts[guess], _keyLengths[guess]).SequenceEqual(key))
        {
            return guess;
        }

        var node = Child(parent, key);
        if (node != None)
        {
            if (previous == None)
            {
                _firstChild[parent] = node;
            }
            else
            {
                _nextSibling[previous] = node;
            }
        }

        return node;
    }

    public JsonFieldName Name(int node) => _names[node];

    /// <summary>The value's text, the same string as the last time this node held these bytes when that is cheap to know.</summary>
    public string Value(int node, ReadOnlySpan<byte> utf8)
    {
        var cache = _values[node];
        if (cache is null)
        {
            cache = new JsonValueCache();
            _values[node] = cache;
        }

        return cache.Get(utf8);
    }

    private int Add(int parent, ReadOnlySpan<byte> key, int slot)
    {
        if (_keysUsed + key.Length > _keys.Length)
        {
            Array.Resize(ref _keys, Math.Max(_keys.Length * 2, _keysUsed + key.Length));
        }

        key.CopyTo(_keys.AsSpan(_keysUsed));
        var node = _names.Count;
        var text = Encoding.UTF8.GetString(key);
        _names.Add(JsonFieldName.Of(parent == Root ? text : _names[parent].Name + "." + text));
        _values.Add(null);
        _parents.Add(parent);
        _keyStarts.Add(_keysUsed);
        _keyLengths.Add(key.Length);
        _firstChild.Add(None);
        _nextSibling.Add(None);
        _keysUsed += key.Length;
        _table[slot] = node;
        return node;
    }

    private static uint Hash(int parent, ReadOnlySpan<byte> key)
    {
        var hash = 2166136261u ^ (uint)parent;
        foreach (var b in key)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash ^ (hash >> 15);
    }

    /// <summary>How good a key is as the event's time: lower is better, <see cref="NotTimestamp"/> when it is none.</summary>
    public static int Rank(ReadOnlySpan<char> path)
    {
        for (var i = 0; i < TimestampKeys.Length; i++)
        {
            if (path.Equals(TimestampKeys[i], StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return NotTimestamp;
    }

    public static bool IsWindowsShaped(ReadOnlySpan<char> path) =>
        path.StartsWith("Event.EventData.", StringComparison.Ordinal) || path.StartsWith("Event.System.", StringComparison.Ordinal)
        || path.StartsWith("Event.UserData.", StringComparison.Ordinal);
}

/// <summary>
/// The last few values of one field, as bytes and as the string made from them: a field that repeats a handful of values
/// (a method, a status, a user, an event kind) gets one string per value instead of one per line. A field whose values
/// rarely repeat (times, addresses, counters) stops being remembered after a few dozen misses.
/// </summary>
internal sealed class JsonValueCache
{
    private const int Ways = 8;
    private const int MaxBytes = 64;
    private const int MissesBeforeJudging = 64;

    private readonly byte[] _bytes = new byte[Ways * MaxBytes];
    private readonly int[] _lengths = new int[Ways];
    private readonly string?[] _strings = new string?[Ways];
    private int _next;
    private int _hits;
    private int _misses;
    private bool _off;

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (_off || utf8.Length > MaxBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        for (var i = 0; i < Ways; i++)
        {
            if (_lengths[i] == utf8.Length && _strings[i] is { } known && _bytes.AsSpan(i * MaxBytes, utf8.Length).SequenceEqual(utf8))
            {
                _hits++;
                return known;
            }
        }

        var made = Encoding.UTF8.GetString(utf8);
        utf8.CopyTo(_bytes.AsSpan(_next * MaxBytes));
        _lengths[_next] = utf8.Length;
        _strings[_next] = made;
        _next = (_next + 1) % Ways;
        if (++_misses >= MissesBeforeJudging && _hits * 2 < _misses)
        {
            _off = true;
        }

        return made;
    }
}
