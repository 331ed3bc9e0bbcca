using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Detection;

/// <summary>
/// The field names every compiled rule uses, each given a slot number once (case-insensitively, as
/// <see cref="LogEvent.TryGet"/>), so matching reads an array instead of looking names up.
/// </summary>
internal sealed class SigmaFieldTable
{
    private readonly Dictionary<string, int> _slots = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _names = [];

    public int Count => _names.Count;

    public int Slot(string name)
    {
        if (!_slots.TryGetValue(name, out var slot))
        {
            slot = _names.Count;
            _slots.Add(name, slot);
            _names.Add(name);
        }

        return slot;
    }

    public bool TryGetSlot(string name, out int slot) => _slots.TryGetValue(name, out slot);

    /// <summary>
    /// The slot of an event's field. Sigma writes field names without spaces where Windows has them (Defender's
    /// <c>Source Name</c> is <c>SourceName</c> in rules), so a name with spaces is also tried without them.
    /// </summary>
    public bool TryGetEventSlot(string name, out int slot)
    {
        if (_slots.TryGetValue(name, out slot))
        {
            return true;
        }

        if (!name.Contains(' ') || name.Length > 256)
        {
            return false;
        }

        Span<char> compact = stackalloc char[name.Length];
        var length = 0;
        foreach (var c in name)
        {
            if (c != ' ')
            {
                compact[length++] = c;
            }
        }

        return _slots.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(compact[..length], out slot);
    }

    public string Name(int slot) => _names[slot];
}

/// <summary>
/// One event as the matchers see it: each slot's first value, and each field's slot. Reused from event to event; a
/// generation stamp makes the reset free. Readers intern field names, so the name at a position is most often the very
/// string the previous event had there: its slot is then taken from the previous event instead of looked up again
/// (case-insensitively, which is the costly part).
/// </summary>
internal sealed class SigmaEventView
{
    private readonly SigmaFieldTable _table;
    private readonly string?[] _values;
    private readonly int[] _present;
    private readonly int[] _repeated;
    private int[] _fieldSlots = new int[64];
    private string?[] _fieldNames = new string?[64];
    private int _generation;

    public SigmaEventView(SigmaFieldTable table)
    {
        _table = table;
        _values = new string?[table.Count];
        _present = new int[table.Count];
        _repeated = new int[table.Count];
    }

    public LogEvent Event { get; private set; } = null!;

    public SigmaFieldTable Table => _table;

    public void Load(LogEvent logEvent)
    {
        if (++_generation == int.MaxValue)
        {
            Array.Clear(_present);
            Array.Clear(_repeated);
            _generation = 1;
        }

        Event = logEvent;
        var fields = logEvent.Fields;
        if (_fieldSlots.Length < fields.Length)
        {
            _fieldSlots = new int[fields.Length];
            _fieldNames = new string?[fields.Length];
        }

        var fieldSlots = _fieldSlots;
        var fieldNames = _fieldNames;
        for (var i = 0; i < fields.Length; i++)
        {
            var name = fields[i].Name;
            int slot;
            if (ReferenceEquals(fieldNames[i], name))
            {
                slot = fieldSlots[i];
            }
            else
            {
                slot = _table.TryGetEventSlot(name, out var found) ? found : -1;
                fieldNames[i] = name;
                fieldSlots[i] = slot;
            }

            if (slot < 0)
            {
                continue;
            }

            if (_present[slot] == _generation)
            {
                _repeated[slot] = _generation;
                continue;
            }

            _present[slot] = _generation;
            _values[slot] = fields[i].Value;
        }
    }

    public bool IsPresent(int slot) => _present[slot] == _generation;

    /// <summary>True when the event holds the name more than once (EventData's unnamed <c>Data</c>, for one).</summary>
    public bool IsRepeated(int slot) => _repeated[slot] == _generation;

    public string? Value(int slot) => _present[slot] == _generation ? _values[slot] : null;

    /// <summary>The slot of the event's <paramref name="index"/>th field, or -1 when no rule names it.</summary>
    public int SlotOfField(int index) => _fieldSlots[index];
}

/// <summary>A value handed to a matcher, with the view so a matcher can read other fields (<c>|fieldref</c>).</summary>
internal readonly struct SigmaValue(SigmaEventView view, string? text, bool present)
{
    public string? Text => text;

    public bool Present => present;

    public SigmaEventView View => view;
}
