using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Indicators;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Incidents;

/// <summary>What opening and changing an incident have in common: checking the input, writing it, showing it.</summary>
internal static class IncidentRules
{
    public const int MaxListItems = 50;
    public const int MaxParticipants = 100;

    public static Error? RefuseWrite(Actor actor) =>
        !IncidentRoles.MayWrite(actor)
            ? Error.Forbidden("Opening and working incidents needs the analyst, investigator, liaison or org-admin role.")
            : actor.RequireWrite();

    public static string StixId(string type, Guid id) => $"{type}--{id}";

    public static TimelineEntry NewEntry(Guid incident, DateTimeOffset occurred, DateTimeOffset now, Actor actor, Guid organisation, string? source, string text)
    {
        var id = Guid.CreateVersion7();
        return new TimelineEntry
        {
            Id = id,
            StixId = StixId(TimelineEntryType, id),
            IncidentId = incident,
            OccurredAt = occurred,
            RecordedAt = now,
            AuthorUserId = actor.UserId,
            AuthorName = actor.Name,
            OrganisationId = organisation,
            Source = source,
            Text = text,
        };
    }

    /// <summary>STIX types of the incident's parts, as Ribat's extension names them.</summary>
    public const string TimelineEntryType = "x-ribat-incident-entry";
    public const string TaskType = "x-ribat-incident-task";
    public const string SitrepType = "x-ribat-sitrep";
    public const string LinkType = "x-ribat-incident-link";

    public static async Task<Validation> ValidateAsync(RibatDbContext db, IncidentInput input, bool opening, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var v = new Validation()
            .Require(!string.IsNullOrWhiteSpace(input.Title), "title", "An incident needs a title.")
            .Require(input.Title is null || input.Title.Trim().Length <= 300, "title", "The title is at most 300 characters.")
            .RequirePrintable(input.Title, "title")
            .Require(input.Description is null || input.Description.Length <= 20_000, "description", "The description is at most 20,000 characters.")
            .Require(input.Sectors is null || input.Sectors.Count <= MaxListItems, "sectors", $"At most {MaxListItems} sectors.")
            .Require(input.Countries is null || input.Countries.Count <= MaxListItems, "countries", $"At most {MaxListItems} countries.")
            .Require(input.Participants is null || input.Participants.Count <= MaxParticipants, "participants", $"At most {MaxParticipants} participants.")
            .Require(input.ReportedAt is null || input.ReportedAt <= now.AddMinutes(5), "reportedAt", "An incident cannot be reported in the future.");
        if (opening || input.Category is not null)
        {
            v.Require(IncidentTaxonomy.TryParse(input.Category, out _), "category",
                $"'{input.Category}' is not a category of the ENISA reference taxonomy (class:type, e.g. malicious-code:infected-system).");
        }

        if (opening || input.Severity is not null)
        {
            v.Require(IncidentSeverities.TryParse(input.Severity, out _), "severity", $"'{input.Severity}' is not a severity ({IncidentSeverities.Choices}).");
        }

        foreach (var sector in input.Sectors ?? [])
        {
            v.Require(IncidentSectors.TryParse(sector, out _), "sectors", $"'{sector}' is not a sector ({IncidentSectors.Choices}).");
        }

        foreach (var country in input.Countries ?? [])
        {
            v.Require(Countries.TryNormalise(country, out _), "countries", $"'{country}' is not an ISO 3166-1 alpha-2 country code.");
        }

        if (input.Participants is { Count: > 0 } participants && v.IsValid)
        {
            // Organisations of this node are public in its directory; those of enabled partner nodes are in the partner directory.
            var wanted = participants.Distinct().ToList();
            var known = await db.Organisations.IgnoreQueryFilters().AsNoTracking().Where(o => wanted.Contains(o.Id)).Select(o => o.Id).ToListAsync(cancellationToken);
            var elsewhere = await Federation.Sync.PartnerRecipients.NodesAsync(db, wanted.Except(known).ToList(), cancellationToken);
            foreach (var missing in wanted.Except(known).Where(id => !elsewhere.ContainsKey(id)))
            {
                v.Add("participants", $"Organisation {missing} is known neither on this node nor on an enabled partner node.");
            }
        }

        return v;
    }

    /// <summary>The input's sharing terms with the participants as named recipients, every problem as a field.</summary>
    /// <remarks><paramref name="partnerNodes"/> places participants hosted on partner nodes on their node.</remarks>
    public static Result<SharingTerms> ResolveTerms(
        IncidentInput input, OrganisationRef owner, SharingTerms? current, IReadOnlyCollection<Guid>? currentParticipants, IReadOnlyDictionary<Guid, Guid> partnerNodes, Validation v)
    {
        var sharing = input.Sharing ?? new SharingTermsInput();

        // Participants are recipients; recipients named in the terms stay, and absent participants keep the current ones.
        var participants = input.Participants ?? currentParticipants ?? [];
        var others = sharing.Recipients ?? current?.Recipients.Where(r => currentParticipants?.Contains(r.Id) != true).Select(r => r.Id).ToList() ?? [];
        sharing = sharing with { Recipients = [.. participants, .. others] };
        var terms = sharing.Resolve(owner, current);
        foreach (var (field, messages) in terms.Error?.Fields ?? new Dictionary<string, string[]>())
        {
            foreach (var message in messages)
            {
                v.Add(field, message);
            }
        }

        if (terms.Error is { Fields: null } other)
        {
            return other;
        }

        return terms.Value is { } resolved && partnerNodes.Count > 0
            ? resolved with { Recipients = resolved.Recipients.Select(r => partnerNodes.TryGetValue(r.Id, out var node) ? new OrganisationRef(r.Id, node) : r).ToHashSet() }
            : terms;
    }

    public static void Apply(Incident row, IncidentInput input, DateTimeOffset now)
    {
        row.Title = input.Title!.Trim();
        row.Description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim();
        if (IncidentTaxonomy.TryParse(input.Category, out var category))
        {
            row.Category = category;
        }

        if (IncidentSeverities.TryParse(input.Severity, out var severity))
        {
            row.Severity = severity;
        }

        if (input.Sectors is { } sectors)
        {
            row.Sectors = sectors.Select(s => IncidentSectors.TryParse(s, out var name) ? name : s).Distinct().ToList();
        }

        if (input.Countries is { } countries)
        {
            row.Countries = countries.Select(c => Countries.TryNormalise(c, out var code) ? code : c).Distinct().Order(StringComparer.Ordinal).ToList();
        }

        if (input.ReportedAt is { } reported)
        {
            row.ReportedAt = reported.ToUniversalTime();
        }

        row.UpdatedAt = now;
    }

    /// <summary>
    /// Makes the participant rows follow <paramref name="wanted"/>; returns the organisations that joined now, whom
    /// the caller notifies. The first join starts the incident's "first share" clock.
    /// </summary>
    /// <remarks><paramref name="nodes"/> names the node of each participant hosted elsewhere (null: this node).</remarks>
    public static List<Guid> SyncParticipants(Incident row, IEnumerable<Guid> wanted, DateTimeOffset now, Func<Guid, Guid?> nodes)
    {
        var target = wanted.Where(id => id != row.OwnerOrganisationId).ToHashSet();
        row.Participants.RemoveAll(p => !target.Contains(p.OrganisationId));
        var joined = target.Where(id => row.Participants.All(p => p.OrganisationId != id)).ToList();
        foreach (var organisation in joined)
        {
            row.Participants.Add(new IncidentParticipant { IncidentId = row.Id, OrganisationId = organisation, OrganisationNode = nodes(organisation), JoinedAt = now });
        }

        if (joined.Count > 0)
        {
            row.FirstSharedAt ??= now;
        }

        return joined;
    }

    /// <summary>Records the first action of a participant organisation on the incident (for "time to act on a share").</summary>
    public static void NoteAction(Incident row, Guid organisation, DateTimeOffset now)
    {
        if (row.Participants.FirstOrDefault(p => p.OrganisationId == organisation) is { FirstActionAt: null } participant)
        {
            participant.FirstActionAt = now;
        }
    }

    /// <summary>Loads an incident the actor sees, with its participants; null when it does not exist for them.</summary>
    public static Task<Incident?> FindAsync(ContentSession session, Guid id, CancellationToken cancellationToken) =>
        session.Db.Incidents.Include(i => i.Participants).FirstOrDefaultAsync(i => i.Id == id, cancellationToken);

    /// <summary>The lead or a participant, with a writing role, on an incident still being worked.</summary>
    /// <summary>
    /// A draft situation report the actor's organisation wrote, with its incident, for an action on it (<paramref name="doing"/>:
    /// "changed", "published"); a published version is <paramref name="frozen"/>, a conflict.
    /// </summary>
    public static async Task<Result<(SituationReport Sitrep, Incident Incident)>> OwnDraftAsync(
        Actor actor, ContentSession session, Guid sitrepId, string doing, Func<SituationReport, string> frozen, CancellationToken cancellationToken)
    {
        var sitrep = await session.Db.SituationReports.FirstOrDefaultAsync(s => s.Id == sitrepId, cancellationToken);
        if (sitrep is null || await FindAsync(session, sitrep.IncidentId, cancellationToken) is not { } row)
        {
            return Error.NotFound("The situation report");
        }

        if (sitrep.OrganisationId != session.Organisation?.Id || sitrep.OrganisationNode is not null)
        {
            return Error.Forbidden($"A situation report is {doing} only by the organisation that wrote it.");
        }

        if (RefuseContribution(actor, session, row) is { } refused)
        {
            return refused;
        }

        return sitrep.State != SituationReportState.Draft ? Error.Conflict(frozen(sitrep)) : (sitrep, row);
    }

    public static Error? RefuseContribution(Actor actor, ContentSession session, Incident row)
    {
        if (RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        var organisation = session.Organisation?.Id;
        if (organisation != row.OwnerOrganisationId && row.Participants.All(p => p.OrganisationId != organisation))
        {
            return Error.Forbidden("Only the lead organisation and the participants work on an incident.");
        }

        return IncidentStatusMachine.IsOpen(row.Status) ? null : Error.Conflict($"The incident is {row.Status.Spell()}; reopen it before working on it.");
    }

    public static async Task<List<IncidentDto>> ToDtosAsync(ContentSession session, Actor actor, List<Incident> incidents, CancellationToken cancellationToken)
    {
        var ids = incidents.Select(c => c.Id).ToList();
        var grants = await session.GrantsAsync(ids, cancellationToken);
        var organisations = incidents.SelectMany(i => i.Participants.Select(p => p.OrganisationId).Append(i.OwnerOrganisationId)).Distinct().ToList();

        // Participants see each other: working together is the point of a shared incident, so their names are part of it.
        var known = await session.Db.Organisations.IgnoreQueryFilters().AsNoTracking().Where(o => organisations.Contains(o.Id))
            .ToDictionaryAsync(o => o.Id, o => (o.Name, o.Country), cancellationToken);
        var elsewhere = organisations.Where(o => !known.ContainsKey(o)).ToList();
        if (elsewhere.Count > 0)
        {
            // Organisations hosted on partner nodes are named as their node described them.
            foreach (var o in await session.Db.PartnerOrganisations.IgnoreQueryFilters().AsNoTracking().Where(o => elsewhere.Contains(o.Id)).ToListAsync(cancellationToken))
            {
                known.TryAdd(o.Id, (o.Name, o.Country));
            }
        }
        var viewer = session.Organisation?.Id;
        var writer = IncidentRoles.MayWrite(actor) && actor.TokenScope != TokenScope.Read;
        return incidents.Select(i =>
        {
            var decision = session.Decide(i, grants);
            var isLead = decision.Relation == ViewerRelation.Owner;
            var isParticipant = i.Participants.Any(p => p.OrganisationId == viewer);
            return new IncidentDto(
                i.Id, i.StixId, i.Title, i.Description, i.Category, IncidentTaxonomy.NameOf(i.Category), i.Severity.Spell(), i.Sectors, i.Countries,
                i.Status.Spell(), i.StatusReason, i.StatusChangedAt,
                isLead ? IncidentStatusMachine.AllowedFrom(i.Status).Select(s => s.Spell()).ToList() : [],
                i.MergedIntoId, i.OwnerOrganisationId, known.GetValueOrDefault(i.OwnerOrganisationId).Name,
                i.Participants.OrderBy(p => p.JoinedAt).Select(p => new ParticipantDto(
                    p.OrganisationId, known.GetValueOrDefault(p.OrganisationId).Name, known.GetValueOrDefault(p.OrganisationId).Country, p.JoinedAt, p.AcknowledgedAt, p.FirstActionAt, p.OrganisationNode)).ToList(),
                isLead, isParticipant, isLead && writer, (isLead || isParticipant) && writer && IncidentStatusMachine.IsOpen(i.Status), i.IsExercise, i.ExerciseId,
                i.ReportedAt, i.FirstSharedAt, i.ContainedAt, i.ResolvedAt, SharingView.From(i, decision, grants), i.CreatedAt, i.UpdatedAt);
        }).ToList();
    }
}
