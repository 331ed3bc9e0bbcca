namespace Ribat.Forensics.Detection;

/// <summary>
/// A compiled detection: the condition's and/or/not over search identifiers, down to field conditions. Evaluation
/// short-circuits. <see cref="Requirement"/> lets the rule set skip a rule whose needed text is absent from the event.
/// </summary>
internal abstract class SigmaNode
{
    public abstract bool Evaluate(SigmaEventView view);

    /// <summary>(slot, folded text) pairs of which the event must hold at least one for this node to match; null when
    /// no such set exists (a negation, a regex, a null test). Keyword searches use the slot <see cref="SigmaBucket.AnyField"/>.</summary>
    public abstract List<(int Slot, string Atom)>? Requirement();

    /// <summary>Adds the slot of every field this node names, under negations too.</summary>
    public abstract void AddSlots(HashSet<int> slots);
}

internal sealed class SigmaJunction(bool and, SigmaNode[] items) : SigmaNode
{
    public override bool Evaluate(SigmaEventView view)
    {
        foreach (var item in items)
        {
            if (item.Evaluate(view) != and)
            {
                return !and;
            }
        }

        return and;
    }

    public override void AddSlots(HashSet<int> slots)
    {
        foreach (var item in items)
        {
            item.AddSlots(slots);
        }
    }

    public override List<(int Slot, string Atom)>? Requirement()
    {
        if (!and)
        {
            var union = new List<(int Slot, string Atom)>();
            foreach (var item in items)
            {
                if (item.Requirement() is not { } part)
                {
                    return null;
                }

                union.AddRange(part);
            }

            return union;
        }

        // Any one branch's requirement holds for the whole; the one with the fewest and longest atoms filters best.
        List<(int Slot, string Atom)>? best = null;
        foreach (var item in items)
        {
            if (item.Requirement() is { } part && (best is null || Score(part) > Score(best)))
            {
                best = part;
            }
        }

        return best;
    }

    private static double Score(List<(int Slot, string Atom)> atoms)
    {
        var shortest = int.MaxValue;
        foreach (var (_, atom) in atoms)
        {
            shortest = Math.Min(shortest, atom.Length);
        }

        return Math.Min(shortest, 8) - (0.01 * atoms.Count);
    }
}

internal sealed class SigmaNot(SigmaNode item) : SigmaNode
{
    public override bool Evaluate(SigmaEventView view) => !item.Evaluate(view);

    public override void AddSlots(HashSet<int> slots) => item.AddSlots(slots);

    public override List<(int Slot, string Atom)>? Requirement() => null;
}

internal sealed class SigmaConstant(bool value) : SigmaNode
{
    public override bool Evaluate(SigmaEventView view) => value;

    public override void AddSlots(HashSet<int> slots)
    {
    }

    public override List<(int Slot, string Atom)>? Requirement() => value ? null : [];
}

/// <summary>One field with its values: any of them (a list), or every one (<c>|all</c>).</summary>
internal sealed class SigmaFieldNode(int slot, SigmaValueMatcher[] matchers, bool all) : SigmaNode
{
    public override void AddSlots(HashSet<int> slots) => slots.Add(slot);

    public override bool Evaluate(SigmaEventView view)
    {
        if (!view.IsRepeated(slot))
        {
            var value = new SigmaValue(view, view.Value(slot), view.IsPresent(slot));
            return Test(value);
        }

        // A repeated name (unnamed EventData <Data>) matches when any of its values does.
        var fields = view.Event.Fields;
        for (var i = 0; i < fields.Length; i++)
        {
            if (view.SlotOfField(i) == slot && Test(new SigmaValue(view, fields[i].Value, true)))
            {
                return true;
            }
        }

        return false;
    }

    private bool Test(in SigmaValue value)
    {
        foreach (var matcher in matchers)
        {
            if (matcher.IsMatch(value) != all)
            {
                return !all;
            }
        }

        return all;
    }

    public override List<(int Slot, string Atom)>? Requirement()
    {
        var atoms = new List<(int Slot, string Atom)>();
        foreach (var matcher in matchers)
        {
            if (matcher.Atom is { } atom)
            {
                atoms.Add((slot, atom));
                if (all)
                {
                    return atoms;
                }
            }
            else if (!all)
            {
                return null;
            }
        }

        return atoms.Count > 0 ? atoms : null;
    }
}

/// <summary>Field-less values: any value of any field of the event.</summary>
internal sealed class SigmaKeywordNode(SigmaValueMatcher[] matchers, bool all) : SigmaNode
{
    public override void AddSlots(HashSet<int> slots)
    {
    }

    public override bool Evaluate(SigmaEventView view)
    {
        if (!all)
        {
            foreach (var matcher in matchers)
            {
                if (AnyField(view, matcher))
                {
                    return true;
                }
            }

            return false;
        }

        foreach (var matcher in matchers)
        {
            if (!AnyField(view, matcher))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AnyField(SigmaEventView view, SigmaValueMatcher matcher)
    {
        var fields = view.Event.Fields;
        for (var i = 0; i < fields.Length; i++)
        {
            if (fields[i].Value is not null && matcher.IsMatch(new SigmaValue(view, fields[i].Value, true)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Atoms on <see cref="SigmaBucket.AnyField"/>: the event must hold one in some field.</summary>
    public override List<(int Slot, string Atom)>? Requirement()
    {
        var atoms = new List<(int Slot, string Atom)>();
        foreach (var matcher in matchers)
        {
            if (matcher.Atom is { } atom)
            {
                atoms.Add((SigmaBucket.AnyField, atom));
                if (all)
                {
                    return atoms;
                }
            }
            else if (!all)
            {
                return null;
            }
        }

        return atoms.Count > 0 ? atoms : null;
    }
}
