namespace Ribat.Forensics.Evtx;

/// <summary>One piece of damage: where in the file (byte offset of the chunk or record) and why it was skipped.</summary>
public readonly record struct EvtxDamage(long Offset, string Reason);

/// <summary>
/// What reading one file met: records read, chunks, damaged chunks and skipped records with their reasons. Damage
/// is counted, never thrown; <see cref="Error"/> is set only when the file is not an EVTX file at all.
/// </summary>
public sealed class EvtxReadReport
{
    /// <summary>Damage entries kept in <see cref="Damage"/>; the counts go on past it.</summary>
    public const int MaxDamageEntries = 1000;

    private readonly List<EvtxDamage> _damage = [];
    private readonly Dictionary<string, int> _reasons = [];

    /// <summary>Why the file could not be read at all (not an EVTX file, empty); null when it could.</summary>
    public string? Error { get; internal set; }

    /// <summary>Whether the file header's CRC32 matched; chunks are read either way, they stand alone.</summary>
    public bool HeaderChecksumValid { get; internal set; }

    public long RecordsRead { get; internal set; }

    /// <summary>Chunk slots that held a chunk (good or damaged); unused, zeroed slots past the header's count are not counted.</summary>
    public int Chunks { get; internal set; }

    public int DamagedChunks { get; internal set; }

    /// <summary>Records skipped one by one, plus one for each chunk tail abandoned after a record whose framing was lost.</summary>
    public long RecordsSkipped { get; internal set; }

    public IReadOnlyList<EvtxDamage> Damage => _damage;

    /// <summary>How many times each reason was met.</summary>
    public IReadOnlyDictionary<string, int> Reasons => _reasons;

    internal void Add(EvtxDamage damage)
    {
        if (_damage.Count < MaxDamageEntries)
        {
            _damage.Add(damage);
        }

        _reasons[damage.Reason] = _reasons.GetValueOrDefault(damage.Reason) + 1;
    }
}
