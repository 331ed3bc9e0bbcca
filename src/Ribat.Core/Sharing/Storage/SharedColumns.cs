using Ribat.Core.Common;

namespace Ribat.Core.Sharing.Storage;

/// <summary>Translates between <see cref="SharingTerms"/> and the columns of an <see cref="ISharedObject"/>.</summary>
public static class SharedColumns
{
    /// <summary>Writes <paramref name="terms"/> onto <paramref name="row"/>; the owner must be on <paramref name="localNode"/> or a partner.</summary>
    public static void Apply(ISharedObject row, SharingTerms terms, Guid localNode)
    {
        row.OwnerOrganisationId = terms.Owner.Id;
        row.OwnerNode = terms.Owner.Node == localNode ? null : terms.Owner.Node;
        row.Tlp = terms.Tlp;
        row.Pap = terms.Pap;
        row.Distribution = terms.Distribution.Kind;
        row.SharingGroupId = terms.Distribution.SharingGroupId;
        row.Handling = terms.Handling;
        row.HandlingConditions = terms.HandlingConditions;
        row.Evaluation = terms.Evaluation?.Spell();
    }

    /// <summary>Rebuilds the terms of a stored row, with its grants, for the policy.</summary>
    public static SharingTerms ToTerms(ISharedObject row, IEnumerable<ShareGrant> grants, Guid localNode)
    {
        var byKind = grants.Where(g => g.ObjectId == row.Id).ToLookup(g => g.Kind, g => new OrganisationRef(g.OrganisationId, g.OrganisationNode ?? localNode));
        var distribution = row.Distribution switch
        {
            DistributionKind.SharingGroup when row.SharingGroupId is { } group => Sharing.Distribution.ToSharingGroup(group),
            DistributionKind.Community => Sharing.Distribution.Community,
            DistributionKind.ConnectedCommunities => Sharing.Distribution.ConnectedCommunities,
            _ => Sharing.Distribution.OrganisationOnly,
        };
        Sharing.Evaluation? evaluation = Sharing.Evaluation.TryParse(row.Evaluation, out var e) ? e : null;
        return new SharingTerms(new OrganisationRef(row.OwnerOrganisationId, row.OwnerNode ?? localNode), row.Tlp, row.Pap, distribution, row.Handling, row.HandlingConditions, evaluation)
        {
            Recipients = byKind[ShareGrantKind.Recipient].ToHashSet(),
            Permissions = new SharingPermissions(byKind[ShareGrantKind.CourtUse].ToHashSet(), byKind[ShareGrantKind.OnwardSharing].ToHashSet()),
        };
    }

    public static IEnumerable<ShareGrant> Grants(Guid objectId, SharingTerms terms, Guid localNode, DateTimeOffset at)
    {
        ShareGrant Grant(ShareGrantKind kind, OrganisationRef organisation) => new()
        {
            ObjectId = objectId,
            Kind = kind,
            OrganisationId = organisation.Id,
            OrganisationNode = organisation.Node == localNode ? null : organisation.Node,
            GrantedAt = at,
        };

        return terms.Recipients.Select(r => Grant(ShareGrantKind.Recipient, r))
            .Concat(terms.Permissions.CourtUse.Select(r => Grant(ShareGrantKind.CourtUse, r)))
            .Concat(terms.Permissions.OnwardSharing.Select(r => Grant(ShareGrantKind.OnwardSharing, r)));
    }
}

/// <summary>
/// Sharing terms as a request spells them (API, UI, import), before they are checked. Everything is text
/// so that a bad value is a validation message, not a binding failure.
/// </summary>
public sealed record SharingTermsInput(
    string? Tlp = null,
    string? Pap = null,
    string? Distribution = null,
    Guid? SharingGroupId = null,
    string? Handling = null,
    string? HandlingConditions = null,
    string? Evaluation = null,
    IReadOnlyList<Guid>? Recipients = null,
    IReadOnlyList<Guid>? CourtUse = null,
    IReadOnlyList<Guid>? OnwardSharing = null)
{
    /// <summary>Checks every field at once; absent fields take the defaults (TLP:AMBER, PAP:AMBER, organisation only).</summary>
    public Result<SharingTerms> Resolve(OrganisationRef owner, SharingTerms? defaults = null)
    {
        var v = new Validation();
        var tlp = defaults?.Tlp ?? Sharing.Tlp.Amber;
        if (Tlp is not null && !Tlps.TryParse(Tlp, out tlp))
        {
            v.Add("tlp", $"'{Tlp}' is not a TLP 2.0 level (CLEAR, GREEN, AMBER, AMBER+STRICT, RED).");
        }

        var pap = defaults?.Pap ?? Sharing.Pap.Amber;
        if (Pap is not null && !Paps.TryParse(Pap, out pap))
        {
            v.Add("pap", $"'{Pap}' is not a PAP level (CLEAR, GREEN, AMBER, RED).");
        }

        var distribution = defaults?.Distribution ?? Sharing.Distribution.OrganisationOnly;
        if (Distribution is not null)
        {
            switch (Distribution.Trim().ToLowerInvariant())
            {
                case "organisation-only" or "organisation" or "organization-only":
                    distribution = Sharing.Distribution.OrganisationOnly;
                    break;
                case "community":
                    distribution = Sharing.Distribution.Community;
                    break;
                case "connected-communities" or "connected":
                    distribution = Sharing.Distribution.ConnectedCommunities;
                    break;
                case "sharing-group" when SharingGroupId is { } group:
                    distribution = Sharing.Distribution.ToSharingGroup(group);
                    break;
                case "sharing-group":
                    v.Add("sharingGroupId", "A sharing-group distribution names its group.");
                    break;
                default:
                    v.Add("distribution", $"'{Distribution}' is not a distribution (organisation-only, community, connected-communities, sharing-group).");
                    break;
            }
        }
        else if (SharingGroupId is not null)
        {
            v.Add("distribution", "A sharing group is only named with distribution 'sharing-group'.");
        }

        var handling = defaults?.Handling ?? HandlingCodes.None;
        if (Handling is not null && !HandlingCodeSpelling.TryParse(Handling, out handling))
        {
            v.Add("handling", $"'{Handling}' is not a list of handling codes (H0, H1, H2, H3).");
        }

        // Absent keeps the current evaluation; blank removes it, so an owner can withdraw an evaluation once given.
        Sharing.Evaluation? evaluation = Evaluation is null ? defaults?.Evaluation : null;
        if (!string.IsNullOrWhiteSpace(Evaluation))
        {
            if (Sharing.Evaluation.TryParse(Evaluation, out var parsed))
            {
                evaluation = parsed;
            }
            else
            {
                v.Add("evaluation", $"'{Evaluation}' is not a 4x4 evaluation (source A, B, C or X and information 1 to 4, e.g. B2).");
            }
        }

        var conditions = string.IsNullOrWhiteSpace(HandlingConditions) ? defaults?.HandlingConditions : HandlingConditions.Trim();
        v.Require(conditions is null || conditions.Length <= 2000, "handlingConditions", "Handling conditions are at most 2000 characters.");
        if (!v.IsValid)
        {
            return v.ToError();
        }

        var recipients = Recipients is null ? defaults?.Recipients ?? new HashSet<OrganisationRef>() : Others(Recipients, owner);
        var terms = new SharingTerms(owner, tlp, pap, distribution, handling, handling.HasFlag(HandlingCodes.H3) ? conditions : null, evaluation)
        {
            Recipients = recipients,
            Permissions = new SharingPermissions(
                CourtUse is null ? defaults?.Permissions.CourtUse ?? new HashSet<OrganisationRef>() : Others(CourtUse, owner),
                OnwardSharing is null ? defaults?.Permissions.OnwardSharing ?? new HashSet<OrganisationRef>() : Others(OnwardSharing, owner)),
        };
        return terms.Validate() is { } invalid ? invalid : terms;
    }

    /// <summary>Organisations on the owner's node named by id; the owner itself needs no grant and is dropped.</summary>
    private static HashSet<OrganisationRef> Others(IEnumerable<Guid> ids, OrganisationRef owner) =>
        ids.Where(id => id != owner.Id).Select(id => new OrganisationRef(id, owner.Node)).ToHashSet();
}
