namespace Ribat.Core.Sharing;

/// <summary>
/// The one place that decides what a viewer may do with a shared object. Every query, export, TAXII
/// response, federation push and evidence package asks here; nothing else widens visibility.
/// The rules, in order, are written out in this folder's README.
/// </summary>
public static class SharingPolicy
{
    private static readonly SharingRight[] UseRights = [SharingRight.Reshare, SharingRight.UseInCourt, SharingRight.EnrichActively];

    public static SharingDecision Decide(Viewer viewer, SharingTerms terms)
    {
        var relation = RelationOf(viewer, terms);
        if (SeeDenial(viewer, relation, terms) is { } hidden)
        {
            return new SharingDecision(relation, false, false, false, false, [new Denial(SharingRight.See, hidden)]);
        }

        // A partner node only transports: its own organisations are decided again, on that node, with the same terms.
        if (relation == ViewerRelation.PartnerNode)
        {
            return new SharingDecision(relation, true, false, false, false, UseRights.Select(r => new Denial(r, DenialCode.NodeOnlyCarries)).ToArray());
        }

        var reasons = new List<Denial>();
        var owner = relation == ViewerRelation.Owner;
        var organisation = viewer.Organisation!.Value;
        var mayReshare = owner || Allowed(SharingRight.Reshare, ReshareDenials(organisation, terms), reasons);
        var mayUseInCourt = owner || Allowed(SharingRight.UseInCourt, CourtDenials(organisation, terms), reasons);
        var mayEnrich = Allowed(SharingRight.EnrichActively, EnrichmentDenials(terms), reasons);
        return new SharingDecision(relation, true, mayReshare, mayUseInCourt, mayEnrich, reasons);
    }

    /// <summary>The strongest relation the viewer has to the object; derived, never supplied by the caller.</summary>
    public static ViewerRelation RelationOf(Viewer viewer, SharingTerms terms)
    {
        if (viewer.Kind == ViewerKind.NodeAdministrator)
        {
            return ViewerRelation.NodeAdministrator;
        }

        if (viewer.Kind != ViewerKind.Organisation || viewer.Organisation is not { } organisation)
        {
            return ViewerRelation.PartnerNode;
        }

        if (organisation == terms.Owner)
        {
            return ViewerRelation.Owner;
        }

        if (terms.Recipients.Contains(organisation))
        {
            return ViewerRelation.NamedRecipient;
        }

        if (InSharingGroup(viewer, terms))
        {
            return ViewerRelation.SharingGroupMember;
        }

        return organisation.Node == terms.Owner.Node ? ViewerRelation.Community
            : viewer.FederatedNodes.Contains(terms.Owner.Node) ? ViewerRelation.ConnectedCommunity
            : ViewerRelation.Outsider;
    }

    private static DenialCode? SeeDenial(Viewer viewer, ViewerRelation relation, SharingTerms terms)
    {
        switch (relation)
        {
            case ViewerRelation.NodeAdministrator:
                return DenialCode.AdministrativeAccessIsNotContentAccess;
            case ViewerRelation.Owner or ViewerRelation.NamedRecipient:
                return null;
            case ViewerRelation.PartnerNode when viewer.Node == terms.Owner.Node || terms.Recipients.Any(r => r.Node == viewer.Node):
                return null;
        }

        if (terms.Tlp.IsRecipientsOnly())
        {
            return DenialCode.RecipientsOnly;
        }

        var sameNode = viewer.Node == terms.Owner.Node;
        return terms.Distribution.Kind switch
        {
            DistributionKind.Community when sameNode => null,
            DistributionKind.Community => DenialCode.OutsideCommunity,
            DistributionKind.ConnectedCommunities when sameNode || viewer.FederatedNodes.Contains(terms.Owner.Node) => null,
            DistributionKind.ConnectedCommunities => DenialCode.OutsideConnectedCommunities,
            DistributionKind.SharingGroup when InSharingGroup(viewer, terms) => null,
            DistributionKind.SharingGroup => DenialCode.NotInSharingGroup,
            _ => DenialCode.OrganisationOnly,
        };
    }

    private static IEnumerable<DenialCode> ReshareDenials(OrganisationRef organisation, SharingTerms terms)
    {
        switch (terms.Tlp)
        {
            case Tlp.Clear or Tlp.Green:
                break;
            case Tlp.Amber:
                yield return DenialCode.TlpAmberStaysInOrganisation;
                break;
            case Tlp.AmberStrict:
                yield return DenialCode.TlpAmberStrictStaysInOrganisation;
                break;
            default:
                yield return DenialCode.TlpRedNoFurtherDisclosure;
                break;
        }

        if (terms.Distribution.Kind == DistributionKind.OrganisationOnly)
        {
            yield return DenialCode.OrganisationOnly;
        }

        var permitted = terms.Permissions.OnwardSharing.Contains(organisation);
        if (terms.Handling.HasFlag(HandlingCodes.H2) && !permitted)
        {
            yield return DenialCode.OnwardSharingNeedsPermission;
        }

        // Free-text conditions cannot be checked by a machine, so automatic onward sharing stops until the owner says so.
        if (terms.Handling.HasFlag(HandlingCodes.H3) && !permitted)
        {
            yield return DenialCode.ConditionsNeedPermission;
        }
    }

    private static IEnumerable<DenialCode> CourtDenials(OrganisationRef organisation, SharingTerms terms)
    {
        if (terms.Permissions.CourtUse.Contains(organisation))
        {
            yield break;
        }

        if (terms.Handling.HasFlag(HandlingCodes.H1))
        {
            yield return DenialCode.CourtUseNeedsPermission;
        }

        // Proceedings disclose to the court and the defence: beyond what AMBER and stricter allow.
        if (terms.Tlp >= Tlp.Amber)
        {
            yield return DenialCode.TlpCourtUseNeedsPermission;
        }
    }

    private static IEnumerable<DenialCode> EnrichmentDenials(SharingTerms terms)
    {
        if (!terms.Pap.AllowsActiveEnrichment())
        {
            yield return terms.Pap == Pap.Amber ? DenialCode.PapAmberPassiveOnly : DenialCode.PapRedNoNetworkUse;
        }
    }

    private static bool InSharingGroup(Viewer viewer, SharingTerms terms) =>
        terms.Distribution is { Kind: DistributionKind.SharingGroup, SharingGroupId: { } group } && viewer.SharingGroups.Contains(group);

    private static bool Allowed(SharingRight right, IEnumerable<DenialCode> denials, List<Denial> reasons)
    {
        var before = reasons.Count;
        reasons.AddRange(denials.Select(code => new Denial(right, code)));
        return reasons.Count == before;
    }
}
