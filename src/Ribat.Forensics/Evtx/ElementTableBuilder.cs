using System.Runtime.CompilerServices;

namespace Ribat.Forensics.Evtx;

/// <summary>
/// Builds one record's elements in reused arrays, in the order the binary XML gives them (children linked to
/// their parent), then hands out the event's elements breadth first: their values, their substituted attributes,
/// and a layout, one already made for a record of the same shape when there is one. So the only allocations per
/// record are its values and, when some attribute is substituted, one attribute array.
/// </summary>
internal sealed class ElementTableBuilder
{
    // Layouts seen lately, by a hash of names, counts and literal attributes, four places per hash; a full set
    // replaces its entries in turn.
    private const int ShapeWays = 4;
    private static readonly EvtxAttribute[] NoAttributes = [];

    private readonly EvtxNode[]?[] _shapes = new EvtxNode[]?[1024];
    private int _shapeVictim;

    // Layouts by the key of the record that made them, with the order that takes its elements breadth first.
    private readonly LayoutPlan?[] _plans = new LayoutPlan?[1024];
    private int _planVictim;
    private bool _keyed;
    private object? _keyRoot;
    private int _notes;
    private int _decision;
    private int[] _keyDecisions = new int[8];
    private object[] _keyObjects = new object[8];
    private Draft[] _drafts = new Draft[128];
    private int _count;
    private EvtxAttribute[] _attributes = new EvtxAttribute[64];
    private int _attributeCount;
    private int[] _order = new int[128];

    public void Clear()
    {
        _count = 0;
        _attributeCount = 0;
        _keyed = false;
    }

    /// <summary>
    /// Starts the key of a record built from the template element <paramref name="root"/>. Its layout then depends
    /// only on the decisions the expansion takes (which substituted value was a nested template, and which one;
    /// which substituted attribute was left out): each decision point is passed with <see cref="Pass"/>, each
    /// decision that changes the elements noted with <see cref="Note"/>. Records with equal keys have one layout.
    /// </summary>
    public void BeginKey(object root)
    {
        _keyed = true;
        _keyRoot = root;
        _notes = 0;
        _decision = 0;
    }

    /// <summary>Passes a decision point (a substituted value in content, a substituted attribute).</summary>
    public void Pass() => _decision++;

    /// <summary>At the decision point just passed, <paramref name="what"/> changed the elements.</summary>
    public void Note(object what)
    {
        if (_notes == _keyDecisions.Length)
        {
            Array.Resize(ref _keyDecisions, _notes * 2);
            Array.Resize(ref _keyObjects, _notes * 2);
        }

        _keyDecisions[_notes] = _decision;
        _keyObjects[_notes++] = what;
    }

    /// <summary>The record took a path the key does not describe: its layout is found by comparing its elements.</summary>
    public void Unkeyed() => _keyed = false;

    public int FirstChild(int parent) => _drafts[parent].FirstChild;

    /// <summary>A new element, linked as the last child of <paramref name="parent"/> (none when -1).</summary>
    public int Add(string name, int parent)
    {
        if (_count == _drafts.Length)
        {
            Array.Resize(ref _drafts, _count * 2);
        }

        var index = _count++;
        _drafts[index] = new Draft { Name = name, FirstChild = -1, LastChild = -1, NextSibling = -1 };
        if (parent >= 0)
        {
            ref var owner = ref _drafts[parent];
            if (owner.LastChild < 0)
            {
                owner.FirstChild = index;
            }
            else
            {
                _drafts[owner.LastChild].NextSibling = index;
            }

            owner.LastChild = index;
            owner.ChildCount++;
        }

        return index;
    }

    /// <summary>Attributes every event of a template shares: all of them literal text.</summary>
    public void ShareAttributes(int element, EvtxAttribute[] shared)
    {
        ref var draft = ref _drafts[element];
        draft.Shared = shared;
        draft.AttributeCount = shared.Length;
    }

    /// <summary>An attribute of the element being built: its attributes are added before any of its children.</summary>
    public void AddAttribute(int element, EvtxAttribute attribute)
    {
        if (_attributeCount == _attributes.Length)
        {
            Array.Resize(ref _attributes, _attributeCount * 2);
        }

        ref var draft = ref _drafts[element];
        if (draft.AttributeCount == 0)
        {
            draft.AttributeStart = _attributeCount;
        }

        draft.AttributeCount++;
        _attributes[_attributeCount++] = attribute;
    }

    /// <summary>Adds a piece of text: the first keeps its type, later ones turn the whole into joined text.</summary>
    public void AddText(int element, EvtxValue piece)
    {
        if (piece.IsNull)
        {
            return;
        }

        static string? Raw(EvtxValue value) => value.Text ?? value.ToText();

        ref var value = ref _drafts[element].Value;
        value = value.IsNull ? piece : EvtxValue.FromString(Raw(value) + Raw(piece));
    }

    /// <summary>
    /// The element <paramref name="top"/> and everything below it, breadth first: its layout (one already made
    /// for a record of the same shape when there is one), the values of its elements and its own attributes.
    /// </summary>
    public (EvtxNode[] Shape, EvtxValue[] Values, EvtxAttribute[] Attributes) ToTable(int top)
    {
        if (!_keyed || top != 0)
        {
            return ToTableByShape(top);
        }

        var hash = KeyHash();
        var home = (int)(hash % (uint)_plans.Length) & ~(ShapeWays - 1);
        for (var way = 0; way < ShapeWays; way++)
        {
            if (_plans[home + way] is { } known && IsKeyOf(known))
            {
                return FromPlan(known);
            }
        }

        var table = ToTableByShape(top);
        _plans[home + (_planVictim++ & (ShapeWays - 1))] = new LayoutPlan(
            _keyRoot!, _keyDecisions.AsSpan(0, _notes).ToArray(), _keyObjects.AsSpan(0, _notes).ToArray(), table.Shape, _order.AsSpan(0, table.Values.Length).ToArray(), table.Attributes.Length);
        return table;
    }

    private uint KeyHash()
    {
        var hash = (uint)RuntimeHelpers.GetHashCode(_keyRoot);
        for (var i = 0; i < _notes; i++)
        {
            hash = (hash * 0x9E3779B1) ^ (uint)RuntimeHelpers.GetHashCode(_keyObjects[i]) ^ ((uint)_keyDecisions[i] << 16);
        }

        return hash;
    }

    private bool IsKeyOf(LayoutPlan plan)
    {
        if (!ReferenceEquals(plan.Root, _keyRoot) || plan.Decisions.Length != _notes || plan.Order.Length != _count)
        {
            return false;
        }

        for (var i = 0; i < _notes; i++)
        {
            if (plan.Decisions[i] != _keyDecisions[i] || !ReferenceEquals(plan.Objects[i], _keyObjects[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The record's values and own attributes, breadth first as the plan orders its elements.</summary>
    private (EvtxNode[] Shape, EvtxValue[] Values, EvtxAttribute[] Attributes) FromPlan(LayoutPlan plan)
    {
        var order = plan.Order;
        var values = new EvtxValue[order.Length];
        var attributes = plan.OwnAttributes == 0 ? NoAttributes : new EvtxAttribute[plan.OwnAttributes];
        var own = 0;
        for (var i = 0; i < order.Length; i++)
        {
            ref var draft = ref _drafts[order[i]];
            values[i] = draft.Value;
            if (draft.Shared is null && draft.AttributeCount > 0)
            {
                Array.Copy(_attributes, draft.AttributeStart, attributes, own, draft.AttributeCount);
                own += draft.AttributeCount;
            }
        }

        return (plan.Shape, values, attributes);
    }

    private (EvtxNode[] Shape, EvtxValue[] Values, EvtxAttribute[] Attributes) ToTableByShape(int top)
    {
        if (_order.Length < _count)
        {
            _order = new int[Math.Max(_count, _order.Length * 2)];
        }

        var ordered = 0;
        var own = 0;
        var hash = new HashCode();
        _order[ordered++] = top;
        for (var at = 0; at < ordered; at++)
        {
            ref var draft = ref _drafts[_order[at]];
            hash.Add(RuntimeHelpers.GetHashCode(draft.Name));
            hash.Add(draft.ChildCount);
            hash.Add(draft.AttributeCount);
            if (draft.Shared is null)
            {
                own += draft.AttributeCount;
            }
            else
            {
                // Templates of one log differ mostly in the literal Name of their Data elements: tell them apart cheaply.
                foreach (var attribute in draft.Shared)
                {
                    hash.Add(attribute.Value.Text is { Length: > 0 } text ? (text.Length << 16) | text[^1] : -1);
                }
            }

            for (var child = draft.FirstChild; child >= 0; child = _drafts[child].NextSibling)
            {
                _order[ordered++] = child;
            }
        }

        var attributes = own == 0 ? NoAttributes : new EvtxAttribute[own];
        var values = new EvtxValue[ordered];
        own = 0;
        for (var i = 0; i < ordered; i++)
        {
            ref var draft = ref _drafts[_order[i]];
            values[i] = draft.Value;
            if (draft.Shared is null && draft.AttributeCount > 0)
            {
                Array.Copy(_attributes, draft.AttributeStart, attributes, own, draft.AttributeCount);
                own += draft.AttributeCount;
            }
        }

        // A few places per hash, so layouts that hash alike do not keep pushing each other out.
        var home = (int)((uint)hash.ToHashCode() % (uint)_shapes.Length) & ~(ShapeWays - 1);
        for (var way = 0; way < ShapeWays; way++)
        {
            if (_shapes[home + way] is { } known && SameShape(known, ordered))
            {
                return (known, values, attributes);
            }
        }

        var shape = NewShape(ordered);
        _shapes[home + (_shapeVictim++ & (ShapeWays - 1))] = shape;
        return (shape, values, attributes);
    }

    /// <summary>Whether the drafts in <c>_order</c> have that layout: names, counts and literal attributes alike.</summary>
    private bool SameShape(EvtxNode[] shape, int ordered)
    {
        if (shape.Length != ordered)
        {
            return false;
        }

        for (var i = 0; i < ordered; i++)
        {
            ref var draft = ref _drafts[_order[i]];
            ref var node = ref shape[i];
            if (!ReferenceEquals(node.Name, draft.Name) || node.ChildCount != draft.ChildCount || node.AttributeCount != draft.AttributeCount
                || (node.SharedAttributes is null) != (draft.Shared is null)
                || (draft.Shared is not null && !SameAttributes(node.SharedAttributes!, draft.Shared)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Literal attributes: equal names and equal text (each template compiled in a chunk has its own array).</summary>
    private static bool SameAttributes(EvtxAttribute[] known, EvtxAttribute[] other)
    {
        if (ReferenceEquals(known, other))
        {
            return true;
        }

        for (var i = 0; i < known.Length; i++)
        {
            if (known[i].Name != other[i].Name || known[i].Value.Kind != other[i].Value.Kind || known[i].Value.Text != other[i].Value.Text)
            {
                return false;
            }
        }

        return true;
    }

    private EvtxNode[] NewShape(int ordered)
    {
        var shape = new EvtxNode[ordered];
        var nextChild = 1;
        var own = 0;
        for (var i = 0; i < ordered; i++)
        {
            ref var draft = ref _drafts[_order[i]];
            ref var node = ref shape[i];
            node.Name = draft.Name;
            node.FirstChild = nextChild;
            node.ChildCount = draft.ChildCount;
            nextChild += draft.ChildCount;
            node.AttributeCount = draft.AttributeCount;
            node.SharedAttributes = draft.Shared;
            if (draft.Shared is null)
            {
                node.AttributeStart = own;
                own += draft.AttributeCount;
            }
        }

        return shape;
    }

    /// <summary>A layout with the key that leads to it and the order of the drafts of such a record, breadth first.</summary>
    private sealed record LayoutPlan(object Root, int[] Decisions, object[] Objects, EvtxNode[] Shape, int[] Order, int OwnAttributes);

    private struct Draft
    {
        public string Name;
        public EvtxValue Value;

        /// <summary>Attributes shared by the template; null when they are this record's own.</summary>
        public EvtxAttribute[]? Shared;
        public int AttributeStart;
        public int AttributeCount;
        public int FirstChild;
        public int LastChild;
        public int NextSibling;
        public int ChildCount;
    }
}
