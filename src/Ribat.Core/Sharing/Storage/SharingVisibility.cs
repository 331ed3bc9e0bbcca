using System.Linq.Expressions;

namespace Ribat.Core.Sharing.Storage;

/// <summary>
/// The policy's "may see" rule for an organisation viewer on this node, written as one SQL predicate so that
/// lists, searches, exports and correlations filter in the database rather than after loading. It states the
/// same rule as <see cref="SharingPolicy"/> (owner; named recipient; else, below AMBER+STRICT, the distribution
/// reaches the viewer), and a property test holds the two equal over every combination of terms and viewer.
/// </summary>
internal static class SharingVisibility
{
    /// <summary>
    /// Builds the predicate over a context's scope members. The members are read per query, so one model
    /// serves every viewer. <paramref name="hasViewer"/> false sees nothing: an unscoped context fails closed.
    /// </summary>
    public static Expression<Func<T, bool>> Predicate<T>(
        Expression<Func<bool>> nodeWide,
        Expression<Func<bool>> hasViewer,
        Expression<Func<Guid>> organisation,
        Expression<Func<IQueryable<ShareGrant>>> grants,
        Expression<Func<List<Guid>>> sharingGroups,
        Expression<Func<List<Guid>>> federatedNodes)
        where T : class, ISharedObject
    {
        // The terms are tried in the order written, so the row's own columns come before the grant look-up: most
        // visible rows are settled by their owner or their distribution without probing the grants table.
        Expression<Func<T, bool>> template = s =>
            Marker.NodeWide
            || (Marker.HasViewer
                && (s.OwnerOrganisationId == Marker.Organisation
                    || (s.Tlp < Tlp.AmberStrict
                        && ((s.Distribution == DistributionKind.Community && s.OwnerNode == null)
                            || (s.Distribution == DistributionKind.ConnectedCommunities
                                && (s.OwnerNode == null || Marker.FederatedNodes.Contains(s.OwnerNode.Value)))
                            || (s.Distribution == DistributionKind.SharingGroup
                                && s.SharingGroupId != null
                                && Marker.SharingGroups.Contains(s.SharingGroupId.Value))))
                    || Marker.Grants.Any(g => g.ObjectId == s.Id && g.Kind == ShareGrantKind.Recipient && g.OrganisationId == Marker.Organisation)));

        var replacements = new Dictionary<string, Expression>
        {
            [nameof(Marker.NodeWide)] = nodeWide.Body,
            [nameof(Marker.HasViewer)] = hasViewer.Body,
            [nameof(Marker.Organisation)] = organisation.Body,
            [nameof(Marker.Grants)] = grants.Body,
            [nameof(Marker.SharingGroups)] = sharingGroups.Body,
            [nameof(Marker.FederatedNodes)] = federatedNodes.Body,
        };
        var body = new MarkerReplacer(replacements, typeof(T)).Visit(template.Body);
        return Expression.Lambda<Func<T, bool>>(body, template.Parameters);
    }

    /// <summary>Stand-ins in the template above, swapped for the context's members.</summary>
    private static class Marker
    {
        public static bool NodeWide => throw new InvalidOperationException();

        public static bool HasViewer => throw new InvalidOperationException();

        public static Guid Organisation => throw new InvalidOperationException();

        public static IQueryable<ShareGrant> Grants => throw new InvalidOperationException();

        public static List<Guid> SharingGroups => throw new InvalidOperationException();

        public static List<Guid> FederatedNodes => throw new InvalidOperationException();
    }

    /// <summary>Swaps the markers, and reads interface members from the entity's own properties so EF maps them.</summary>
    private sealed class MarkerReplacer(Dictionary<string, Expression> replacements, Type entity) : ExpressionVisitor
    {
        protected override Expression VisitMember(MemberExpression node)
        {
            if (node.Member.DeclaringType == typeof(Marker) && replacements.TryGetValue(node.Member.Name, out var replacement))
            {
                return replacement;
            }

            if (node.Member.DeclaringType == typeof(ISharedObject) && node.Expression is not null)
            {
                var target = node.Expression is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : node.Expression;
                return Expression.Property(Visit(target), entity.GetProperty(node.Member.Name)!);
            }

            return base.VisitMember(node);
        }
    }
}
