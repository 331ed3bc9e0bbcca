using System.Text;

namespace Ribat.Forensics.Logs;

/// <summary>What a flattened JSON path is: its interned name, whether it can give the event's time, and how eagerly.</summary>
internal readonly record struct JsonFieldName(string Name, int TimestampRank, bool WindowsShaped);

/// <summary>
/// Interns flattened names: lines of one log repeat the same keys, so each dotted path is made a string once. Bounded,
/// so a log with a fresh key on every line costs a string per field and no more.
/// </summary>
internal sealed class JsonFieldNames
{
    public const int NotTimestamp = int.MaxValue;

    private const int MaxNames = 8192;

    /// <summary>Keys logs use for the event's time, best first: ECS, generic, CloudTrail, Zeek, Sysmon, evtx_dump.</summary>
    private static readonly string[] TimestampKeys =
    [
        "@timestamp", "timestamp", "time", "eventTime", "ts", "EventTime", "UtcTime", "TimeCreated", "TimeGenerated",
        "datetime", "date", "Event.System.TimeCreated.#attributes.SystemTime", "Event.System.TimeCreated.@SystemTime",
        "Event.System.TimeCreated.SystemTime",
    ];

    private readonly Dictionary<string, JsonFieldName> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonFieldName>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public JsonFieldNames() => _lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();

    public JsonFieldName Get(ReadOnlySpan<char> path)
    {
        if (_lookup.TryGetValue(path, out var known))
        {
            return known;
        }

        var name = new JsonFieldName(path.ToString(), Rank(path), IsWindowsShaped(path));
        if (_names.Count < MaxNames)
        {
            _names.Add(name.Name, name);
        }

        return name;
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

    private static bool IsWindowsShaped(ReadOnlySpan<char> path) =>
        path.StartsWith("Event.EventData.", StringComparison.Ordinal) || path.StartsWith("Event.System.", StringComparison.Ordinal)
        || path.StartsWith("Event.UserData.", StringComparison.Ordinal);
}
