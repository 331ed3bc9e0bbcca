namespace Ribat.Core.Sharing;

/// <summary>
/// An organisation as the sharing model names it: the organisation's id plus the node that hosts it, so
/// an agency on a partner node is as addressable as one on this node.
/// </summary>
public readonly record struct OrganisationRef(Guid Id, Guid Node)
{
    public bool IsOnNode(Guid node) => Node == node;

    public override string ToString() => $"{Id}@{Node}";
}
