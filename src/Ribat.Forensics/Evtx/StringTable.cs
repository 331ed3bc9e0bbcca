namespace Ribat.Forensics.Evtx;

/// <summary>
/// Hands out one string per short text seen again: event logs repeat the same computer, provider GUID, SID, "-"
/// and "%%1833" in every record, and allocating each anew is most of the parser's garbage. A direct-mapped table:
/// a collision replaces the entry, so it never grows and a miss costs one allocation as before.
/// </summary>
internal sealed class StringTable
{
    private const int MaxLength = 48;
    private readonly string?[] _entries = new string?[4096];

    public string Get(ReadOnlySpan<char> text)
    {
        if (text.Length == 0)
        {
            return string.Empty;
        }

        if (text.Length > MaxLength)
        {
            return new string(text);
        }

        var slot = (int)((uint)string.GetHashCode(text) % (uint)_entries.Length);
        var entry = _entries[slot];
        if (entry is not null && text.SequenceEqual(entry))
        {
            return entry;
        }

        entry = new string(text);
        _entries[slot] = entry;
        return entry;
    }
}
