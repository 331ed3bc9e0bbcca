using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Data;
using Ribat.Core.Federation;
using Ribat.Core.Federation.Sync;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Incidents;

/// <summary>
/// Keeps this node's copy of incidents partner nodes share with its organisations: the incident as its lead wrote
/// it, and what each organisation added to it (timeline entries, tasks and progress on them, published situation
/// reports, acknowledgements, links). A partner changes only what its own organisations wrote; the incident itself only
/// its lead. Something that names an incident not held here yet, or an organisation the held incident does not
/// name yet, is kept in the STIX store and written into the incident when the incident's version that explains it
/// arrives (ADR 0014).
/// </summary>
internal sealed class PartnerIncidents(AuditTrail audit, IIncidentAlerts alerts) : IPartnerObjects
{
    public IReadOnlyCollection<string> StixTypes => IncidentStix.Types;

    public async Task<string?> ReceiveAsync(RibatDbContext db, PartnerObject received, CancellationToken cancellationToken)
    {
        var reader = new StixFieldReader(received.Stix);
        var id = reader.Text("id", 100);
        var modified = reader.Time("modified");
        if (!reader.Ok)
        {
            return reader.Problem;
        }

        // An older or the same version as the newest held changes nothing; it is stored as every version is.
        if (await NewestHeldAsync(db, id!, cancellationToken) is { } newest && modified <= newest)
        {
            return null;
        }

        var actor = Actor.System($"partner {received.Partner.Name}");
        if (reader.Type == IncidentStix.IncidentType)
        {
            var incident = await IncidentReplica.ReadAsync(db, received, reader, cancellationToken);
            if (incident.Error is { } refused)
            {
                return refused;
            }

            var (row, joined) = incident.Value;
            await alerts.SharedAsync(db, row, joined, cancellationToken);
            audit.Add(db, actor, AuditEvents.PartnerIncidentReceived, null, "incident", row.Id.ToString(),
                new { partner = received.Partner.Id, stixId = row.StixId, modified = IncidentStix.Stamp(modified!.Value), status = row.Status.Spell(), joined = joined.Count });
            await WriteWaitingPartsAsync(db, received, row, cancellationToken);
            return null;
        }

        var part = await PartReplica.ReadAsync(db, received, reader, fromStore: false, cancellationToken);
        if (part.Error is { } why)
        {
            return why;
        }

        if (part.Value is { } written)
        {
            audit.Add(db, actor, AuditEvents.PartnerIncidentPartReceived, null, "incident", written.ToString(),
                new { partner = received.Partner.Id, stixId = id, type = reader.Type, organisation = received.Terms.Owner.Id });
            await AlertNewIndicatorAsync(db, id!, cancellationToken);
        }

        return null;
    }

    /// <summary>
    /// A partner organisation's new indicator or value link on a critical incident: this node's organisations working it
    /// hear of it as they do of one linked here (an indicator shows to whom the sharing policy shows it).
    /// </summary>
    private async Task AlertNewIndicatorAsync(RibatDbContext db, string stixId, CancellationToken cancellationToken)
    {
        if (db.ChangeTracker.Entries<IncidentLink>().FirstOrDefault(e => e.State == EntityState.Added && e.Entity.StixId == stixId)?.Entity is not { Kind: not IncidentLinkKind.Report } link
            || db.Incidents.Local.FirstOrDefault(i => i.Id == link.IncidentId) is not { Severity: IncidentSeverity.Critical } row)
        {
            return;
        }

        var here = row.Participants.Where(p => p.OrganisationNode is null).Select(p => p.OrganisationId)
            .Concat(row.OwnerNode is null ? [row.OwnerOrganisationId] : [])
            .Where(o => o != link.OrganisationId).ToList();
        if (here.Count > 0)
        {
            await alerts.CriticalIndicatorAsync(db, row, here, link.Kind == IncidentLinkKind.Value ? $"{link.ValueType} {link.Value}" : link.TargetStixId!, cancellationToken);
        }
    }

    /// <summary>The newest version this node holds of <paramref name="stixId"/>, from whichever origin.</summary>
    internal static async Task<DateTimeOffset?> NewestHeldAsync(RibatDbContext db, string stixId, CancellationToken cancellationToken)
    {
        var local = db.StixObjects.Local.Where(s => s.StixId == stixId).Select(s => (DateTimeOffset?)s.VersionAt).Max();
        var stored = await db.StixObjects.IgnoreQueryFilters().AsNoTracking().Where(s => s.StixId == stixId)
            .OrderByDescending(s => s.VersionAt).Select(s => (DateTimeOffset?)s.VersionAt).FirstOrDefaultAsync(cancellationToken);
        return local > stored || stored is null ? local : stored;
    }

    /// <summary>
    /// Parts of <paramref name="row"/> that arrived before the incident (or before it named their organisation) and are
    /// held in the STIX store only: written into the incident now, newest version of each, tasks before their progress.
    /// </summary>
    private static async Task WriteWaitingPartsAsync(RibatDbContext db, PartnerObject received, Incident row, CancellationToken cancellationToken)
    {
        var partTypes = IncidentStix.Types.Where(t => t != IncidentStix.IncidentType).ToList();
        var waiting = await db.StixObjects.IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.Origin == StixOrigin.Partner && partTypes.Contains(s.Type) && s.Json.Contains(row.StixId))
            .ToListAsync(cancellationToken);
        var order = new[] { IncidentStix.EntryType, IncidentStix.TaskType, IncidentStix.SitrepType, IncidentStix.AcknowledgementType, IncidentStix.ProgressType, IncidentStix.LinkType };
        foreach (var newest in waiting.GroupBy(s => s.StixId).Select(g => g.MaxBy(s => s.VersionAt)!).OrderBy(s => Array.IndexOf(order, s.Type)).ThenBy(s => s.VersionAt))
        {
            using var json = JsonDocument.Parse(newest.Json);
            var owner = new Sharing.OrganisationRef(newest.OwnerOrganisationId, newest.OwnerNode ?? received.LocalNode);
            var from = received with { Stix = json.RootElement.Clone(), Terms = received.Terms with { Owner = owner } };

            // What was refused when it arrived would have been refused for good; here only what can now be explained is written.
            await PartReplica.ReadAsync(db, from, new StixFieldReader(from.Stix), fromStore: true, cancellationToken);
        }
    }
}
