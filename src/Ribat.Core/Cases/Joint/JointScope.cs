using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cases.Joint;

/// <summary>
/// A joint investigation as the actor's organisation takes part in it: the case it leads on this node (with at least
/// one partner), or a case a partner node leads that the sharing policy lets it see. Anything else is not found.
/// </summary>
internal sealed record JointScope(Guid CaseId, Case? Led, JointCase? Held, SharingTerms Terms, IReadOnlyList<JointRules.Member> Members)
{
    public bool IsLead => Led is not null;

    public string Status => Led?.Status.Spell() ?? Held!.Status;

    public bool Withdrawn => Held?.WithdrawnAt is not null;

    public IEnumerable<OrganisationRef> MemberRefs => Members.Select(m => new OrganisationRef(m.Organisation, m.Node));

    public static async Task<Result<JointScope>> FindAsync(ContentSession session, Guid caseId, CancellationToken cancellationToken)
    {
        if (session.Organisation is not { } organisation)
        {
            return Error.Forbidden("Joint investigations are read and written by members of an organisation.");
        }

        var led = await session.Db.Cases.Include(c => c.Team).AsNoTracking().FirstOrDefaultAsync(c => c.Id == caseId, cancellationToken);
        if (led is not null)
        {
            var grants = await session.GrantsAsync([caseId], cancellationToken);
            if (!session.Decide(led, grants).MaySee)
            {
                return Error.NotFound("The joint investigation");
            }

            var terms = SharedColumns.ToTerms(led, grants, session.LocalNode);
            if (terms.Recipients.Count == 0)
            {
                return Error.NotFound("The joint investigation");
            }

            // A local partner organisation reads the case itself; the joint view is the lead's and its partners' on other nodes.
            if (led.OwnerOrganisationId != organisation.Id)
            {
                return Error.NotFound("The joint investigation");
            }

            var names = await OrganisationNames.OfAsync(session.Db, terms.Recipients.Select(r => r.Id).Append(terms.Owner.Id), cancellationToken);
            var members = new[] { terms.Owner }.Concat(terms.Recipients)
                .Select(m => new JointRules.Member(m.Id, m.Node, names.GetValueOrDefault(m.Id) ?? m.Id.ToString())).ToList();
            return new JointScope(caseId, led, null, terms, members);
        }

        var held = await session.Db.JointCases.AsNoTracking().FirstOrDefaultAsync(c => c.Id == caseId, cancellationToken);
        if (held is null)
        {
            return Error.NotFound("The joint investigation");
        }

        var heldGrants = await session.GrantsAsync([caseId], cancellationToken);
        if (!session.Decide(held, heldGrants).MaySee)
        {
            return Error.NotFound("The joint investigation");
        }

        return new JointScope(caseId, null, held, SharedColumns.ToTerms(held, heldGrants, session.LocalNode), JointPublication.Members(held.MembersJson));
    }
}
