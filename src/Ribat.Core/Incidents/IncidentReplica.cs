using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;
using Ribat.Core.Federation.Sync;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Incidents;

/// <summary>What reading a partner's object gave: the value written, or the one-line reason it was refused.</summary>
internal readonly record struct Received<T>(T? Value, string? Error)
{
    public static implicit operator Received<T>(string error) => new(default, error);
}

/// <summary>A partner's version of an incident its organisation leads, checked and written as this node's copy.</summary>
internal static class IncidentReplica
{
    /// <summary>
    /// Writes the version into this node's copy; returns the copy and the organisations of this node that joined it
    /// now (whom the caller alerts), or why the version is refused.
    /// </summary>
    public static async Task<Received<(Incident Row, List<Guid> Joined)>> ReadAsync(RibatDbContext db, PartnerObject received, StixFieldReader r, CancellationToken cancellationToken)
    {
        var stixId = r.Reference("id", "incident");
        var lead = r.Id("lead_organisation");
        var leadNode = r.Id("lead_node");
        var title = r.Text("name", 300);
        var description = r.Text("description", 20_000, required: false, multiline: true);
        var category = r.Text("category", 80);
        var severityText = r.Text("severity", 16);
        var statusText = r.Text("status", 16);
        var statusReason = r.Text("status_reason", 2000, required: false, multiline: true);
        var sectors = r.Words("sectors", IncidentRules.MaxListItems, IncidentSectors.TryParse, "a sector");
        var countries = r.Words("countries", IncidentRules.MaxListItems, Countries.TryNormalise, "an ISO 3166-1 alpha-2 country");
        var participants = r.List("participants", IncidentRules.MaxParticipants, (_, p) => (Organisation: p.Id("organisation"), Node: p.Id("node"), Joined: p.Time("joined")));
        var mergedInto = r.Reference("merged_into_ref", "incident", required: false);
        var exercise = r.Id("exercise_id", required: false);
        var created = r.Time("created");
        var modified = r.Time("modified");
        var statusChanged = r.Time("status_changed");
        var reported = r.Time("reported");
        var firstShared = r.Time("first_shared", required: false);
        var contained = r.Time("contained", required: false);
        var resolved = r.Time("resolved", required: false);
        if (!r.Ok)
        {
            return r.Problem!;
        }

        if (!IncidentTaxonomy.TryParse(category, out var knownCategory))
        {
            return $"category '{StixFieldReader.Shorten(category!)}' is not in the ENISA reference taxonomy";
        }

        if (!IncidentSeverities.TryParse(severityText, out var severity) || severityText != severity.Spell())
        {
            return $"severity '{StixFieldReader.Shorten(severityText!)}' is not one of {IncidentSeverities.Choices}";
        }

        if (!IncidentStatusMachine.TryParse(statusText, out var status) || statusText != status.Spell())
        {
            return $"status '{StixFieldReader.Shorten(statusText!)}' is not one of {IncidentStatusMachine.Choices}";
        }

        var owner = received.Terms.Owner;
        if (lead != owner.Id || leadNode != owner.Node)
        {
            return $"the incident names {lead} as its lead but comes from organisation {owner.Id}; only the lead changes an incident";
        }

        if (participants!.Any(p => p.Organisation == lead) || participants!.DistinctBy(p => p.Organisation).Count() != participants!.Count)
        {
            return "participants name the lead or one organisation twice";
        }

        var local = participants.Where(p => p.Node == received.LocalNode).Select(p => p.Organisation!.Value).ToList();
        var ours = await db.Organisations.IgnoreQueryFilters().AsNoTracking().Where(o => local.Contains(o.Id)).Select(o => o.Id).ToListAsync(cancellationToken);
        if (local.Except(ours).FirstOrDefault() is { } stranger && stranger != Guid.Empty)
        {
            return $"participant {stranger} is said to be on this node but is not one of its organisations";
        }

        // A node receives the recipients it hosts only: each participant here must be one of them, or it would not see the incident.
        var recipients = received.Terms.Recipients.Where(x => x.Node == received.LocalNode).Select(x => x.Id).ToHashSet();
        if (participants.FirstOrDefault(p => p.Node == received.LocalNode && !recipients.Contains(p.Organisation!.Value)) is { Organisation: { } unaddressed })
        {
            return $"participant {unaddressed} is not among the recipients of the incident's sharing terms";
        }

        var row = db.Incidents.Local.FirstOrDefault(i => i.StixId == stixId!.Value.StixId)
            ?? await db.Incidents.IgnoreQueryFilters().Include(i => i.Participants).FirstOrDefaultAsync(i => i.StixId == stixId!.Value.StixId, cancellationToken);
        if (row is not null && row.OwnerNode is null)
        {
            return $"{row.StixId} is led by an organisation of this node; a partner never changes it";
        }

        if (row is not null && (row.OwnerOrganisationId != owner.Id || row.OwnerNode != owner.Node))
        {
            return $"{row.StixId} is led by organisation {row.OwnerOrganisationId}; only the lead changes the incident";
        }

        if (row is null)
        {
            if (await db.Incidents.IgnoreQueryFilters().AnyAsync(i => i.Id == stixId!.Value.Uuid, cancellationToken))
            {
                return $"{stixId!.Value.StixId} collides with another incident held here";
            }

            row = new Incident { Id = stixId!.Value.Uuid, StixId = stixId.Value.StixId, Title = title!, Category = knownCategory, CreatedAt = created!.Value };
            db.Incidents.Add(row);
        }

        row.Title = title!.Trim();
        row.Description = string.IsNullOrWhiteSpace(description) ? null : description;
        row.Category = knownCategory;
        row.Severity = severity;
        row.Sectors = sectors!;
        row.Countries = countries!;
        row.Status = status;
        row.StatusReason = statusReason;
        row.StatusChangedAt = statusChanged!.Value;
        row.MergedIntoId = mergedInto?.Uuid;
        row.ReportedAt = reported!.Value;
        row.FirstSharedAt = firstShared;
        row.ContainedAt = contained;
        row.ResolvedAt = resolved;
        row.ExerciseId = exercise;
        row.IsExercise = exercise is not null;
        row.UpdatedAt = modified!.Value;
        SharedColumns.Apply(row, received.Terms, received.LocalNode);

        // The lead's list decides who takes part; what each participant did (acknowledged, first acted) stays as recorded here.
        var wanted = participants.ToDictionary(p => p.Organisation!.Value);
        row.Participants.RemoveAll(p => !wanted.ContainsKey(p.OrganisationId));
        var joined = new List<Guid>();
        foreach (var (organisation, p) in wanted)
        {
            var node = p.Node == received.LocalNode ? null : p.Node;
            if (row.Participants.FirstOrDefault(x => x.OrganisationId == organisation) is { } held)
            {
                held.OrganisationNode = node;
                held.JoinedAt = p.Joined!.Value;
                continue;
            }

            row.Participants.Add(new IncidentParticipant { IncidentId = row.Id, OrganisationId = organisation, OrganisationNode = node, JoinedAt = p.Joined!.Value });
            if (node is null)
            {
                joined.Add(organisation);
            }
        }

        var grants = await db.ShareGrants.IgnoreQueryFilters().Where(g => g.ObjectId == row.Id).ToListAsync(cancellationToken);
        db.ShareGrants.RemoveRange(grants);
        db.ShareGrants.AddRange(SharedColumns.Grants(row.Id, received.Terms, received.LocalNode, received.Now));
        return new Received<(Incident, List<Guid>)>((row, joined), null);
    }

    /// <summary>Records the first action of an organisation on the incident: the earliest seen wins, in whatever order parts arrive.</summary>
    public static void NoteAction(Incident row, Guid organisation, DateTimeOffset at)
    {
        if (row.Participants.FirstOrDefault(p => p.OrganisationId == organisation) is { } participant
            && (participant.FirstActionAt is null || at < participant.FirstActionAt))
        {
            participant.FirstActionAt = at;
        }
    }

    /// <summary>Whether <paramref name="organisation"/> is the lead or a participant of the incident as held here.</summary>
    public static bool TakesPart(Incident row, OrganisationRef organisation, Guid localNode) =>
        (row.OwnerOrganisationId == organisation.Id && (row.OwnerNode ?? localNode) == organisation.Node)
        || row.Participants.Any(p => p.OrganisationId == organisation.Id && (p.OrganisationNode ?? localNode) == organisation.Node);
}
