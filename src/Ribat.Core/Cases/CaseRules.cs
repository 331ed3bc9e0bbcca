using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Evidence;
using Ribat.Core.Indicators;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cases;

/// <summary>What opening and changing a case have in common: checking the input, writing it, and showing a case.</summary>
internal static class CaseRules
{
    public const int MaxCategories = 20;
    public const int MaxTeam = 100;

    public static Error? RefuseWrite(Actor actor) =>
        !CaseRoles.MayWrite(actor)
            ? Error.Forbidden("Opening and changing cases needs the investigator, analyst or org-admin role.")
            : actor.RequireWrite();

    /// <summary>Checks the fields; the lead and the team must be enabled users of <paramref name="owner"/>.</summary>
    public static async Task<Validation> ValidateAsync(RibatDbContext db, CaseInput input, Guid owner, CancellationToken cancellationToken)
    {
        var v = new Validation()
            .Require(!string.IsNullOrWhiteSpace(input.Title), "title", "A case needs a title.")
            .Require(input.Title is null || input.Title.Trim().Length <= 300, "title", "The title is at most 300 characters.")
            .RequirePrintable(input.Title, "title")
            .Require(input.Summary is null || input.Summary.Length <= 20_000, "summary", "The summary is at most 20,000 characters.")
            .Require(input.Offences is null || input.Offences.Count <= MaxCategories, "offences", $"At most {MaxCategories} offence categories.")
            .Require(input.NationalCategories is null || input.NationalCategories.Count <= MaxCategories, "nationalCategories", $"At most {MaxCategories} national categories.")
            .Require(input.NationalCategories is null || input.NationalCategories.All(c => !string.IsNullOrWhiteSpace(c) && c.Length <= 200 && !c.Any(char.IsControl)),
                "nationalCategories", "A national category is 1 to 200 printable characters.")
            .Require(input.Team is null || input.Team.Count <= MaxTeam, "team", $"A team has at most {MaxTeam} members.");
        foreach (var offence in input.Offences ?? [])
        {
            v.Require(OffenceCategories.TryParse(offence, out _), "offences", $"'{offence}' is not a Budapest Convention offence category ({OffenceCategories.Choices}).");
        }

        var people = (input.Team ?? []).Concat(input.LeadInvestigatorId is { } lead ? [lead] : []).Distinct().ToList();
        if (people.Count > 0 && v.IsValid)
        {
            // The context's tenant filter already limits users to the viewer's organisation; the owner check says so explicitly.
            var known = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id) && u.OrganisationId == owner && !u.Disabled).Select(u => u.Id).ToListAsync(cancellationToken);
            foreach (var missing in people.Except(known))
            {
                v.Add(missing == input.LeadInvestigatorId ? "leadInvestigatorId" : "team", $"User {missing} is not an active user of the case's organisation.");
            }
        }

        return v;
    }

    /// <summary>The input's sharing terms with the partners as named recipients, every problem as a field.</summary>
    public static Result<SharingTerms> ResolveTerms(CaseInput input, OrganisationRef owner, SharingTerms? current, Validation v)
    {
        var sharing = input.Sharing ?? new SharingTermsInput();
        if (input.Partners is { } partners)
        {
            sharing = sharing with { Recipients = [.. partners, .. sharing.Recipients ?? []] };
        }

        var terms = sharing.Resolve(owner, current);
        foreach (var (field, messages) in terms.Error?.Fields ?? new Dictionary<string, string[]>())
        {
            foreach (var message in messages)
            {
                v.Add(field, message);
            }
        }

        return terms.Error is { Fields: null } other ? other : terms;
    }

    /// <summary>
    /// Places each named recipient on the node that hosts it (<see cref="Federation.Sync.PartnerRecipients"/>): an
    /// organisation of this node stays here, one a partner node hosts is addressed on that node, so the case crosses
    /// to it. A case partner that is neither is refused as a field.
    /// </summary>
    public static async Task<SharingTerms> PlaceRecipientsAsync(RibatDbContext db, CaseInput input, SharingTerms terms, Guid localNode, Validation v, CancellationToken cancellationToken)
    {
        var placed = await Federation.Sync.PartnerRecipients.PlaceAsync(db, terms, cancellationToken);
        var here = (input.Partners ?? []).Where(id => placed.Recipients.Contains(new OrganisationRef(id, localNode))).ToList();
        if (here.Count > 0)
        {
            var local = await db.Organisations.IgnoreQueryFilters().AsNoTracking().Where(o => here.Contains(o.Id)).Select(o => o.Id).ToListAsync(cancellationToken);
            foreach (var missing in here.Except(local))
            {
                v.Add("partners", $"Organisation {missing} is neither an organisation of this node nor one a partner node hosts.");
            }
        }

        return placed;
    }

    public static void Apply(Case row, CaseInput input, DateTimeOffset now)
    {
        row.Title = input.Title!.Trim();
        row.Summary = string.IsNullOrWhiteSpace(input.Summary) ? null : input.Summary.Trim();
        if (input.Offences is { } offences)
        {
            row.Offences = offences.Select(o => OffenceCategories.TryParse(o, out var name) ? name : o).Distinct()
                .OrderBy(o => OffenceCategories.All.ToList().FindIndex(c => c.Name == o)).ToList();
        }

        if (input.NationalCategories is { } national)
        {
            row.NationalCategories = national.Select(c => c.Trim()).Distinct().ToList();
        }

        if (input.LeadInvestigatorId is { } lead)
        {
            row.LeadInvestigatorId = lead;
        }

        if (input.Team is { } team)
        {
            row.Team = team.Distinct().Select(u => new CaseMember { CaseId = row.Id, UserId = u }).ToList();
        }

        row.UpdatedAt = now;
    }

    /// <summary>
    /// Evidence is seen by exactly the case's audience: its TLP, PAP, distribution, recipients and permissions follow
    /// the case, while its handling codes and evaluation stay its own.
    /// </summary>
    public static Task AlignEvidenceAsync(ContentSession session, Case row, SharingTerms terms, DateTimeOffset now, CancellationToken cancellationToken) =>
        EvidenceParents.AlignAsync(session, EvidenceParent.OfCase(row.Id), terms, now, cancellationToken);

    public static async Task<List<CaseDto>> ToDtosAsync(ContentSession session, Actor actor, List<Case> cases, CancellationToken cancellationToken)
    {
        var ids = cases.Select(c => c.Id).ToList();
        var grants = await session.GrantsAsync(ids, cancellationToken);
        var names = await OrganisationNames.OfAsync(session.Db, cases.Select(c => c.OwnerOrganisationId), cancellationToken);
        var people = cases.SelectMany(c => c.Team.Select(m => m.UserId).Append(c.LeadInvestigatorId)).Distinct().ToList();

        // Names of people of another organisation stay unknown to a partner: the filter shows only the viewer's own users.
        var userNames = await session.Db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        var evidence = await session.Db.EvidenceItems.AsNoTracking().Where(e => e.CaseId != null && ids.Contains(e.CaseId.Value))
            .GroupBy(e => e.CaseId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return cases.Select(c =>
        {
            var decision = session.Decide(c, grants);
            var isOwner = decision.Relation == ViewerRelation.Owner;
            var partners = isOwner ? grants.Where(g => g.ObjectId == c.Id && g.Kind == ShareGrantKind.Recipient).Select(g => g.OrganisationId).Order().ToList() : [];
            return new CaseDto(
                c.Id, c.Title, c.Summary, c.Offences, c.NationalCategories, c.Status.Spell(), c.StatusReason, c.StatusChangedAt,
                CaseStatusMachine.AllowedFrom(c.Status).Select(s => s.Spell()).ToList(),
                new CaseMemberDto(c.LeadInvestigatorId, userNames.GetValueOrDefault(c.LeadInvestigatorId)),
                c.Team.Select(m => new CaseMemberDto(m.UserId, userNames.GetValueOrDefault(m.UserId))).OrderBy(m => m.Name).ToList(),
                partners, c.OwnerOrganisationId, names.GetValueOrDefault(c.OwnerOrganisationId),
                isOwner && CaseRoles.MayWrite(actor) && actor.TokenScope != TokenScope.Read,
                evidence.GetValueOrDefault(c.Id), SharingView.From(c, decision, grants), c.CreatedAt, c.UpdatedAt);
        }).ToList();
    }
}
