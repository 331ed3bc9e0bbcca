using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cases.Joint;

/// <summary>
/// The joint investigations the actor's organisation takes part in, and one of them whole: header, members, evidence
/// list and the team's entries, each through the sharing policy. Reading one is audited.
/// </summary>
public sealed class ReadJointInvestigations(SharingAccess sharing, AuditTrail audit)
{
    public const int MaxEntries = 2000;

    /// <summary>Cases partner nodes lead with this organisation in the team, and cases it leads with partners on other nodes; newest first.</summary>
    public async Task<Result<IReadOnlyList<JointCaseSummaryDto>>> ListAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (session.Organisation is not { } organisation)
        {
            return Error.Forbidden("Joint investigations are read by members of an organisation.");
        }

        var held = await session.Db.JointCases.AsNoTracking().OrderByDescending(c => c.ModifiedAt).Take(500).ToListAsync(cancellationToken);
        var remote = session.Db.ShareGrants.Where(g => g.Kind == ShareGrantKind.Recipient && g.OrganisationNode != null).Select(g => g.ObjectId);
        var led = await session.Db.Cases.AsNoTracking().Where(c => c.OwnerOrganisationId == organisation.Id && remote.Contains(c.Id))
            .OrderByDescending(c => c.UpdatedAt).Take(500).ToListAsync(cancellationToken);
        var names = await OrganisationNames.OfAsync(session.Db, held.Select(h => h.OwnerOrganisationId).Append(organisation.Id), cancellationToken);
        var list = held.Select(h => new JointCaseSummaryDto(h.Id, h.Title, h.Status, "partner", names.GetValueOrDefault(h.OwnerOrganisationId) ?? h.OwnerOrganisationId.ToString(), h.ModifiedAt, h.WithdrawnAt is not null))
            .Concat(led.Select(c => new JointCaseSummaryDto(c.Id, c.Title, c.Status.Spell(), "lead", names.GetValueOrDefault(organisation.Id) ?? string.Empty, c.UpdatedAt, false)))
            .OrderByDescending(s => s.Modified).ToList();
        return list;
    }

    public async Task<Result<JointInvestigationDto>> GetAsync(Actor actor, Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var found = await JointScope.FindAsync(session, caseId, cancellationToken);
        if (found.Error is { } missing)
        {
            return missing;
        }

        var scope = found.Value!;
        var organisation = session.Organisation!.Value.Id;
        var entries = await session.Db.JointEntries.AsNoTracking().Where(e => e.CaseId == caseId)
            .OrderBy(e => e.OccurredAt ?? e.ModifiedAt).ThenBy(e => e.Id).Take(MaxEntries).ToListAsync(cancellationToken);
        var names = await OrganisationNames.OfAsync(session.Db, entries.Select(e => e.OwnerOrganisationId), cancellationToken);
        var leadRef = scope.Terms.Owner;
        var members = scope.Members.Select(m => new JointMemberDto(m.Organisation, m.Node, m.Name, m.Organisation == leadRef.Id && m.Node == leadRef.Node, m.Node == session.LocalNode)).ToList();
        var evidence = scope.IsLead ? await EvidenceAsync(session, caseId, cancellationToken) : Evidence(scope.Held!.EvidenceJson);
        var header = scope.Led is { } led
            ? (led.Title, led.Offences, led.NationalCategories, Lead: await LeadNameAsync(session, led, cancellationToken), Modified: led.UpdatedAt)
            : (scope.Held!.Title, scope.Held.Offences, scope.Held.NationalCategories, Lead: scope.Held.LeadInvestigator, Modified: scope.Held.ModifiedAt);
        var mayWrite = scope.IsLead
            ? CaseWork.CaseWorkRules.RefuseWrite(actor, session, scope.Led!) is null
            : CaseRoles.MayWrite(actor) && actor.RequireWrite() is null && !scope.Withdrawn && scope.Status != "closed";
        await audit.WriteLookupAsync(actor, AuditEvents.JointInvestigationRead, organisation, "joint-case", caseId.ToString(), new { entries = entries.Count, role = scope.IsLead ? "lead" : "partner" }, cancellationToken);
        return new JointInvestigationDto(caseId, header.Title, header.Offences, header.NationalCategories, scope.Status, scope.IsLead ? "lead" : "partner", header.Lead,
            members, evidence, entries.Select(e => ToDto(e, names, organisation, session.LocalNode)).ToList(), scope.Terms.Tlp.Spell(), scope.Terms.Handling.Spell(),
            mayWrite, scope.Held?.WithdrawnAt, header.Modified);
    }

    internal static JointEntryDto ToDto(JointEntry row, IReadOnlyDictionary<Guid, string> names, Guid viewer, Guid localNode) => new(
        row.Id, row.Kind.Spell(), row.Text, row.OccurredAt, row.AuthorName, row.OwnerOrganisationId,
        names.GetValueOrDefault(row.OwnerOrganisationId) ?? row.OwnerOrganisationId.ToString(), row.OwnerOrganisationId == viewer && row.OwnerNode is null, row.ModifiedAt);

    private static async Task<string?> LeadNameAsync(ContentSession session, Case row, CancellationToken cancellationToken) =>
        await session.Db.Users.AsNoTracking().Where(u => u.Id == row.LeadInvestigatorId).Select(u => u.DisplayName).FirstOrDefaultAsync(cancellationToken);

    private static async Task<List<JointEvidenceDto>> EvidenceAsync(ContentSession session, Guid caseId, CancellationToken cancellationToken)
    {
        var items = await session.Db.EvidenceItems.AsNoTracking().Where(e => e.CaseId == caseId).OrderBy(e => e.AcquiredAt).ThenBy(e => e.Id)
            .Take(JointRules.MaxEvidence).ToListAsync(cancellationToken);
        return items.Select(e => new JointEvidenceDto(e.Id, e.FileName, e.Size, e.Md5, e.Sha1, e.Sha256, e.AcquiredAt, e.State.Spell(), e.CustodyCount)).ToList();
    }

    private static List<JointEvidenceDto> Evidence(string json) =>
        (JsonSerializer.Deserialize<List<JointRules.EvidenceLine>>(json, JointWire.Json) ?? [])
            .Select(e => new JointEvidenceDto(e.Id, e.Name, e.Size, e.Md5, e.Sha1, e.Sha256, e.Acquired, e.State, e.CustodyEntries)).ToList();
}
