using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;
using Ribat.Core.Federation;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;

namespace Ribat.Core.Cases.Joint;

/// <summary>
/// Writes the version of a case its joint investigation partners on other nodes receive (<c>x-ribat-case</c>): the
/// header, the members and the list of evidence items with their hashes and custody state, never the files. Called in
/// the transaction of every change of the case and of its evidence list; a case with no partner on another node
/// writes nothing. Partners removed by the change get one last version saying the case was withdrawn from them.
/// </summary>
internal static class JointPublication
{
    /// <summary>Adds a version of the case for its partners on other nodes, and a withdrawal for those <paramref name="before"/> named and it no longer does.</summary>
    public static async Task CaseAsync(RibatDbContext db, Case row, SharingTerms terms, SharingTerms? before, Guid? createdBy, Guid localNode, TimeProvider clock, CancellationToken cancellationToken)
    {
        var remote = terms.Recipients.Where(r => r.Node != localNode).ToHashSet();
        var removed = (before?.Recipients ?? new HashSet<OrganisationRef>()).Where(r => r.Node != localNode && !terms.Recipients.Contains(r)).ToHashSet();
        if (remote.Count == 0 && removed.Count == 0)
        {
            return;
        }

        var stixId = JointRules.CaseStixId(row.Id);
        var previous = await StixMirror.LastVersionAsync(db, stixId, cancellationToken);
        var now = clock.GetUtcNow();
        if (removed.Count > 0)
        {
            var withdrawn = await HeaderAsync(db, row, before!, removed, localNode, withEvidence: false, cancellationToken);
            withdrawn["modified"] = previous = StixMirror.NextModified(now, previous);
            withdrawn["withdrawn"] = true;
            await StixMirror.CustomAsync(db, withdrawn, terms with { Recipients = removed }, createdBy, localNode, clock, cancellationToken);
        }

        if (remote.Count > 0)
        {
            var current = await HeaderAsync(db, row, terms, terms.Recipients, localNode, withEvidence: true, cancellationToken);
            current["modified"] = StixMirror.NextModified(now, previous);
            await StixMirror.CustomAsync(db, current, terms, createdBy, localNode, clock, cancellationToken);
        }
    }

    /// <summary>The case's current version again, when something it lists changed (its evidence); nothing when it has no partner elsewhere.</summary>
    public static async Task CaseAsync(RibatDbContext db, Guid caseId, Guid? createdBy, Guid localNode, TimeProvider clock, CancellationToken cancellationToken)
    {
        var grants = await db.ShareGrants.AsNoTracking().Where(g => g.ObjectId == caseId).ToListAsync(cancellationToken);
        if (grants.All(g => g.OrganisationNode is null))
        {
            return;
        }

        var row = await db.Cases.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(c => c.Id == caseId, cancellationToken);
        if (row is null)
        {
            return;
        }

        var terms = SharedColumns.ToTerms(row, grants, localNode);
        await CaseAsync(db, row, terms, terms, createdBy, localNode, clock, cancellationToken);
    }

    private static async Task<JsonObject> HeaderAsync(RibatDbContext db, Case row, SharingTerms terms, IEnumerable<OrganisationRef> addressed, Guid localNode, bool withEvidence, CancellationToken cancellationToken)
    {
        var members = new[] { terms.Owner }.Concat(addressed).Distinct().ToList();
        var names = await Names(db, members.Select(m => m.Id), cancellationToken);
        var lead = await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => u.Id == row.LeadInvestigatorId).Select(u => u.DisplayName).FirstOrDefaultAsync(cancellationToken);
        var stix = new JsonObject
        {
            ["type"] = JointRules.CaseType,
            ["spec_version"] = "2.1",
            ["id"] = JointRules.CaseStixId(row.Id),
            ["created"] = JointRules.Time(row.CreatedAt),
            ["title"] = row.Title,
            ["offences"] = new JsonArray([.. row.Offences.Select(o => JsonValue.Create(o))]),
            ["national_categories"] = new JsonArray([.. row.NationalCategories.Select(o => JsonValue.Create(o))]),
            ["status"] = row.Status.Spell(),
            ["members"] = new JsonArray([.. members.Select(m => new JsonObject
            {
                ["organisation"] = m.Id.ToString(),
                ["node"] = m.Node.ToString(),
                ["name"] = names.GetValueOrDefault(m.Id) ?? m.Id.ToString(),
            })]),
        };
        if (!string.IsNullOrWhiteSpace(lead))
        {
            stix["lead_investigator"] = lead;
        }

        if (withEvidence)
        {
            // Items acquired in this transaction are not saved yet: they are taken from the change tracker.
            var saved = await db.EvidenceItems.IgnoreQueryFilters().AsNoTracking().Where(e => e.CaseId == row.Id).ToListAsync(cancellationToken);
            var items = saved.Where(e => db.EvidenceItems.Local.All(l => l.Id != e.Id)).Concat(db.EvidenceItems.Local.Where(e => e.CaseId == row.Id))
                .OrderBy(e => e.AcquiredAt).ThenBy(e => e.Id).Take(JointRules.MaxEvidence).ToList();
            stix["evidence"] = new JsonArray([.. items.Select(e => new JsonObject
            {
                ["id"] = e.Id.ToString(),
                ["name"] = e.FileName,
                ["size"] = e.Size,
                ["md5"] = e.Md5,
                ["sha1"] = e.Sha1,
                ["sha256"] = e.Sha256,
                ["acquired"] = JointRules.Time(e.AcquiredAt),
                ["state"] = e.State.Spell(),
                ["custody_entries"] = e.CustodyCount,
            })]);
        }

        return stix;
    }

    private static async Task<Dictionary<Guid, string>> Names(RibatDbContext db, IEnumerable<Guid> ids, CancellationToken cancellationToken) =>
        await OrganisationNames.OfAsync(db, ids, cancellationToken);

    public static List<JointRules.Member> Members(string json) =>
        JsonSerializer.Deserialize<List<JointRules.Member>>(json, Web) ?? [];

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
}
