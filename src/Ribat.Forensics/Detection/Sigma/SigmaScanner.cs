using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Detection;

/// <summary>
/// The rules that can fire on one kind of event. A rule with a requirement (text that must be in some field) is only
/// evaluated when a scan of the event's fields finds one of its atoms; the others are always evaluated.
/// </summary>
internal sealed class SigmaBucket
{
    /// <summary>The pseudo-slot of atoms a keyword search needs: they may be in any field.</summary>
    public const int AnyField = -1;

    public SigmaBucket(List<SigmaCompiledRule> rules, int slots)
    {
        Rules = [.. rules];
        Always = new bool[Rules.Length];
        Automata = new SigmaAtomAutomaton?[slots + 1];
        GlobalIds = new int[slots + 1][];
        var atomsBySlot = new Dictionary<int, Dictionary<string, int>>();
        var atomRules = new List<HashSet<int>>();
        var namedBySlot = new Dictionary<int, List<int>>();
        for (var r = 0; r < Rules.Length; r++)
        {
            var requirement = Rules[r].Node.Requirement();
            if (requirement is null)
            {
                if (Rules[r].NamedFields is { } named)
                {
                    // Evaluated only on an event that carries one of these fields: the field finds the rule, as an atom would.
                    foreach (var slot in named)
                    {
                        if (!namedBySlot.TryGetValue(slot, out var naming))
                        {
                            namedBySlot[slot] = naming = [];
                        }

                        naming.Add(r);
                    }
                }
                else
                {
                    Always[r] = true;
                }

                continue;
            }

            foreach (var (slot, atom) in requirement)
            {
                if (!atomsBySlot.TryGetValue(slot, out var atoms))
                {
                    atomsBySlot[slot] = atoms = new Dictionary<string, int>(StringComparer.Ordinal);
                }

                if (!atoms.TryGetValue(atom, out var global))
                {
                    global = atoms[atom] = atomRules.Count;
                    atomRules.Add([]);
                }

                atomRules[global].Add(r);
            }
        }

        // Index 0 is the any-field automaton; slot s lives at s + 1.
        foreach (var (slot, atoms) in atomsBySlot)
        {
            Automata[slot + 1] = new SigmaAtomAutomaton([.. atoms.Keys]);
            GlobalIds[slot + 1] = [.. atoms.Values];
        }

        AtomRules = [.. atomRules.Select(set => set.Order().ToArray())];
        NamedSlots = new ulong[(slots + 63) / 64];
        NamedRules = new Dictionary<int, int[]>(namedBySlot.Count);
        foreach (var (slot, named) in namedBySlot)
        {
            NamedSlots[slot >> 6] |= 1UL << slot;
            NamedRules[slot] = [.. named.Distinct()];
        }

        var always = new List<int>();
        for (var r = 0; r < Rules.Length; r++)
        {
            if (Always[r])
            {
                always.Add(r);
            }
        }

        AlwaysRules = [.. always];
    }

    public SigmaCompiledRule[] Rules { get; }

    /// <summary>Per rule, whether it is evaluated on every event of the bucket: no requirement, and no field it must
    /// find (<see cref="SigmaCompiledRule.NamedFields"/>).</summary>
    public bool[] Always { get; }

    /// <summary>The positions of the rules evaluated on every event, in order.</summary>
    public int[] AlwaysRules { get; }

    /// <summary>One bit per slot some rule with no requirement but named fields reads: an event carrying that field
    /// puts the rules of <see cref="NamedRules"/> in play.</summary>
    public ulong[] NamedSlots { get; }

    /// <summary>Per slot of <see cref="NamedSlots"/>, the rules (bucket positions) that name it.</summary>
    public Dictionary<int, int[]> NamedRules { get; }

    /// <summary>At slot + 1, the automaton over the atoms rules need in that field (null when none does); at 0, the
    /// atoms keyword searches need in any field.</summary>
    public SigmaAtomAutomaton?[] Automata { get; }

    /// <summary>At slot + 1, the bucket-wide id of each of its automaton's atoms.</summary>
    public int[][] GlobalIds { get; }

    /// <summary>Per bucket-wide atom id, the rules (bucket positions) to evaluate when it is found.</summary>
    public int[][] AtomRules { get; }

    public int AtomCount => AtomRules.Length;
}

/// <summary>
/// Matches events against a <see cref="SigmaRuleSet"/> on one thread. Holds the per-event state (field slots, folded
/// found atoms, the rules worth evaluating) that is reused from one event to the next, so a scan allocates only the
/// detections.
/// </summary>
public sealed class SigmaScanner
{
    /// <summary>How many clean values are remembered per field position: enough for a field that cycles through a few
    /// values (users, methods, status codes, paths), few enough to compare them all.</summary>
    private const int CleanWays = 8;

    private readonly SigmaRuleSet _set;
    private readonly SigmaEventView _view;
    private int[] _ruleMarks = [];
    private int[] _atomMarks = [];
    private int[] _candidates = new int[64];
    private int _candidateCount;
    private int _generation;
    private string?[] _cleanValues = new string?[64 * CleanWays];
    private int[] _cleanNext = new int[64];
    private int[] _cleanHit = new int[64];
    private int[] _cleanSlots = new int[64];
    private SigmaBucket?[] _cleanBuckets = new SigmaBucket?[64];
    private int _atomsFound;
    private SigmaBucket? _lastBucket;
    private LogFormat _lastFormat;
    private string? _lastChannel;
    private string? _lastEventId;

    internal SigmaScanner(SigmaRuleSet set)
    {
        _set = set;
        _view = new SigmaEventView(set.Table);
    }

    /// <summary>Adds to <paramref name="detections"/> one entry per rule that fires on <paramref name="logEvent"/>, in rule order.</summary>
    public void Match(LogEvent logEvent, List<SigmaDetection> detections)
    {
        _view.Load(logEvent);
        var bucket = BucketFor(logEvent.Format, _view.Value(_set.ChannelSlot), _view.Value(_set.EventIdSlot));
        if (bucket.Rules.Length == 0)
        {
            return;
        }

        if (++_generation == int.MaxValue)
        {
            Array.Clear(_ruleMarks);
            Array.Clear(_atomMarks);
            _generation = 1;
        }

        if (_ruleMarks.Length < bucket.Rules.Length)
        {
            _ruleMarks = new int[bucket.Rules.Length];
            _candidates = new int[bucket.Rules.Length];
        }

        if (_atomMarks.Length < bucket.AtomCount)
        {
            _atomMarks = new int[bucket.AtomCount];
        }

        _candidateCount = 0;
        FindAtoms(logEvent, bucket);
        EvaluateInPlay(bucket, logEvent, detections);
    }

    /// <summary>Evaluates, in rule order, the rules whose atoms the event holds and those that need none.</summary>
    private void EvaluateInPlay(SigmaBucket bucket, LogEvent logEvent, List<SigmaDetection> detections)
    {
        var always = bucket.AlwaysRules;
        if ((_candidateCount + always.Length) * 8 >= bucket.Rules.Length)
        {
            // Many rules are in play: walking them all in order is cheaper than sorting the candidates.
            for (var r = 0; r < bucket.Rules.Length; r++)
            {
                if (bucket.Always[r] || _ruleMarks[r] == _generation)
                {
                    Evaluate(bucket.Rules[r], logEvent, detections);
                }
            }

            return;
        }

        var candidates = _candidates.AsSpan(0, _candidateCount);
        candidates.Sort();
        var c = 0;
        var a = 0;
        while (c < candidates.Length || a < always.Length)
        {
            var next = a == always.Length || (c < candidates.Length && candidates[c] < always[a]) ? candidates[c++] : always[a++];
            Evaluate(bucket.Rules[next], logEvent, detections);
        }
    }

    /// <summary>The bucket of the previous event when the channel and event id are the same strings (readers intern them),
    /// else the rule set's.</summary>
    private SigmaBucket BucketFor(LogFormat format, string? channel, string? eventId)
    {
        if (_lastBucket is not null && format == _lastFormat && ReferenceEquals(channel, _lastChannel) && ReferenceEquals(eventId, _lastEventId))
        {
            return _lastBucket;
        }

        _lastBucket = _set.BucketFor(format, channel, eventId);
        _lastFormat = format;
        _lastChannel = channel;
        _lastEventId = eventId;
        return _lastBucket;
    }

    private void Evaluate(SigmaCompiledRule compiled, LogEvent logEvent, List<SigmaDetection> detections)
    {
        if (CarriesANamedField(compiled) && compiled.Node.Evaluate(_view))
        {
            var rule = compiled.Rule;
            detections.Add(new SigmaDetection(rule.Id, rule.Title, rule.Level, rule.Tags, logEvent));
        }
    }

    private bool CarriesANamedField(SigmaCompiledRule rule)
    {
        if (rule.NamedFields is not { } named)
        {
            return true;
        }

        foreach (var slot in named)
        {
            if (_view.IsPresent(slot))
            {
                return true;
            }
        }

        return false;
    }

    private void MarkRules(int[] rules)
    {
        var generation = _generation;
        foreach (var rule in rules)
        {
            if (_ruleMarks[rule] != generation)
            {
                _ruleMarks[rule] = generation;
                _candidates[_candidateCount++] = rule;
            }
        }
    }

    /// <summary>
    /// Scans each value with its field's automaton and the any-field one. Readers hand out the same string for a value a
    /// field repeats, so the last few values that held no atom are remembered per position with its slot and bucket:
    /// one of the same strings there again, under the same automata, is not scanned again. A field that rules with no
    /// requirement wait for (<see cref="SigmaCompiledRule.NamedFields"/>: rules of a log source Ribat does not map, on
    /// JSON lines or CSV) puts them in play, whatever its value: the event's fields find these rules, instead of each rule
    /// asking the event for each of its fields.
    /// </summary>
    private void FindAtoms(LogEvent logEvent, SigmaBucket bucket)
    {
        var automata = bucket.Automata;
        var anyField = automata[0];
        var fields = logEvent.Fields;
        if (_cleanSlots.Length < fields.Length)
        {
            Array.Resize(ref _cleanValues, fields.Length * CleanWays);
            Array.Resize(ref _cleanNext, fields.Length);
            Array.Resize(ref _cleanHit, fields.Length);
            Array.Resize(ref _cleanSlots, fields.Length);
            Array.Resize(ref _cleanBuckets, fields.Length);
        }

        var namedSlots = bucket.NamedSlots;
        for (var i = 0; i < fields.Length; i++)
        {
            var slot = _view.SlotOfField(i);
            if (slot >= 0 && (namedSlots[slot >> 6] & (1UL << slot)) != 0)
            {
                MarkRules(bucket.NamedRules[slot]);
            }

            if (fields[i].Value is not { } value)
            {
                continue;
            }

            var automaton = slot >= 0 ? automata[slot + 1] : null;
            if (automaton is null && anyField is null)
            {
                continue;
            }

            var ways = _cleanValues.AsSpan(i * CleanWays, CleanWays);
            if (_cleanSlots[i] != slot || !ReferenceEquals(_cleanBuckets[i], bucket))
            {
                ways.Clear();
                _cleanSlots[i] = slot;
                _cleanBuckets[i] = bucket;
            }
            else if (Remembered(ways, value, ref _cleanHit[i]))
            {
                continue;
            }

            var before = _atomsFound;
            if (automaton is not null)
            {
                var sink = new Marks(this, bucket, slot + 1);
                automaton.Scan(value, ref sink);
            }

            if (anyField is not null)
            {
                var sink = new Marks(this, bucket, 0);
                anyField.Scan(value, ref sink);
            }

            if (_atomsFound == before)
            {
                var next = _cleanNext[i];
                ways[next] = value;
                _cleanNext[i] = (next + 1) % CleanWays;
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="value"/> is one of the remembered <paramref name="ways"/>. The way of the last hit and the
    /// one after it are tried first: a field that repeats one value hits the same way, one that cycles through a few hits
    /// the next, so the answer rarely depends on a search whose length changes from line to line (a mispredicted exit).
    /// </summary>
    private static bool Remembered(Span<string?> ways, string value, ref int lastHit)
    {
        var way = lastHit;
        if (ReferenceEquals(ways[way], value))
        {
            return true;
        }

        way = (way + 1) % CleanWays;
        if (!ReferenceEquals(ways[way], value))
        {
            way = 0;
            while (!ReferenceEquals(ways[way], value))
            {
                if (++way == ways.Length)
                {
                    return false;
                }
            }
        }

        lastHit = way;
        return true;
    }

    /// <summary>Marks the rules an atom found in the event makes worth evaluating, each rule once (a candidate).</summary>
    private struct Marks(SigmaScanner scanner, SigmaBucket bucket, int index) : IAtomSink
    {
        public readonly void Found(int atom)
        {
            scanner._atomsFound++;
            var global = bucket.GlobalIds[index][atom];
            var generation = scanner._generation;
            if (scanner._atomMarks[global] == generation)
            {
                return;
            }

            scanner._atomMarks[global] = generation;
            scanner.MarkRules(bucket.AtomRules[global]);
        }
    }
}
