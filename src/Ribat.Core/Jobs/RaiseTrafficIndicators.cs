using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Evidence;
using Ribat.Core.Findings;
using Ribat.Core.Incidents;
using Ribat.Core.Indicators;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Jobs;

/// <summary>The incident a capture's reflectors and sources go to; a capture of an incident's evidence goes to its own incident when none is named.</summary>
public sealed record TrafficIndicatorsInput(Guid? IncidentId);

/// <summary>The addresses of one network (AS and country) a capture's traffic came from.</summary>
public sealed record NetworkGroupDto(long? Asn, string? Organisation, string? Country, IReadOnlyList<string> Addresses, long Packets);

public sealed record TrafficIndicatorsDto(Guid IncidentId, Guid ReportId, int Indicators, IReadOnlyList<NetworkGroupDto> Groups);

/// <summary>
/// Turns a capture finding's reflectors and top sources into indicators of the owner, each sighted with its packet
/// count over the capture's time span, in one intelligence report that names the grouping per AS and country (whom
/// to notify), linked with every indicator to an incident the user picks. The report is the owner's only (TLP:AMBER);
/// the CERT widens it to the partners it notifies.
/// </summary>
public sealed class RaiseTrafficIndicators(
    SharingAccess sharing, Reports reports, RecordIndicators record, Sightings sightings, LinkToIncident link, AuditTrail audit)
{
    /// <summary>Addresses raised at most from one capture.</summary>
    public const int MaxAddresses = 200;

    public async Task<Result<TrafficIndicatorsDto>> HandleAsync(Actor actor, Guid findingId, TrafficIndicatorsInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        Finding finding;
        Guid incidentId;
        await using (var session = await sharing.OpenAsync(actor, cancellationToken))
        {
            var row = await session.Db.Findings.AsNoTracking().FirstOrDefaultAsync(f => f.Id == findingId, cancellationToken);
            if (row is null || !session.Decide(row, await session.GrantsAsync([row.Id], cancellationToken)).MaySee)
            {
                return Error.NotFound("The finding");
            }

            if (row.OwnerOrganisationId != session.Organisation?.Id)
            {
                return Error.Forbidden("Only the organisation that owns the case or incident turns its findings into indicators.");
            }

            if (row.Kind != FindingKind.Traffic)
            {
                return Error.Validation("findingId", "Only a capture analysis has reflectors and sources to turn into indicators.");
            }

            if ((input.IncidentId ?? row.IncidentId) is not { } chosen)
            {
                return Error.Validation("incidentId", "Name the incident the indicators go to.");
            }

            incidentId = chosen;
            var incident = await IncidentRules.FindAsync(session, incidentId, cancellationToken);
            if (incident is null)
            {
                return Error.Validation("incidentId", $"No incident {incidentId} that you may see.");
            }

            if (IncidentRules.RefuseContribution(actor, session, incident) is { } refused)
            {
                return refused;
            }

            finding = row;
        }

        var (addresses, first, last) = Addresses(finding.ReportJson);
        if (addresses.Count == 0)
        {
            return Error.Validation("findingId", "The capture names no reflector or source address.");
        }

        var groups = addresses.GroupBy(a => (a.Asn, a.Country))
            .Select(g => new NetworkGroupDto(g.Key.Asn, g.Select(a => a.Organisation).FirstOrDefault(o => o is not null), g.Key.Country,
                [.. g.OrderByDescending(a => a.Packets).Select(a => a.Address)], g.Sum(a => a.Packets)))
            .OrderByDescending(g => g.Packets).ToList();
        var organisationOnly = new SharingTermsInput(Tlp: "amber", Distribution: "organisation-only");
        var created = await reports.CreateAsync(actor, new ReportInput(Clip($"Reflectors and sources: {finding.Title}", 300), Description: Describe(finding, groups),
            Tags: ["ddos"], Sharing: organisationOnly), cancellationToken);
        if (created.Error is { } notCreated)
        {
            return notCreated;
        }

        var reportId = created.Value!.Id;
        var inputs = addresses.Select(a => new IndicatorInput(a.Address.Contains(':', StringComparison.Ordinal) ? "ipv6" : "ipv4", a.Address,
            Comment: Clip($"{a.Role} in a capture of {EvidenceParent.Of(finding.CaseId, finding.IncidentId)}: {a.Packets:N0} packets; {Network(a.Asn, a.Organisation, a.Country)}", 1000),
            Tags: ["ddos"], FirstSeen: first, LastSeen: last, SourceId: $"finding:{finding.Id}")).ToList();
        var recorded = await record.HandleAsync(actor, new RecordIndicatorsRequest(inputs, organisationOnly, reportId), cancellationToken: cancellationToken);
        if (recorded.Error is { } notRecorded)
        {
            await reports.DeleteAsync(actor, reportId, CancellationToken.None);
            return notRecorded;
        }

        // An address the organisation held already is not recorded twice: it is sighted and linked as it is.
        var values = addresses.Select(a => a.Address).ToList();
        Dictionary<string, Guid> ids;
        await using (var session = await sharing.OpenAsync(actor, cancellationToken))
        {
            var organisation = session.Organisation!.Value.Id;
            ids = (await session.Db.Indicators.AsNoTracking().Where(i => i.OwnerOrganisationId == organisation && values.Contains(i.Value))
                    .Select(i => new { i.Value, i.Id }).ToListAsync(cancellationToken))
                .GroupBy(i => i.Value, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.Ordinal);
        }

        foreach (var address in addresses)
        {
            if (ids.TryGetValue(address.Address, out var id))
            {
                await sightings.RecordAsync(actor, id, new SightingInput("seen", (int)Math.Clamp(address.Packets, 1, Sightings.MaxCount), first, last,
                    Source: $"capture analysis, finding {finding.Id}"), cancellationToken);
                await link.HandleAsync(actor, incidentId, new IncidentLinkInput("indicator", id), cancellationToken);
            }
        }

        var linked = await link.HandleAsync(actor, incidentId, new IncidentLinkInput("report", reportId), cancellationToken);
        if (linked.Error is { } notLinked)
        {
            return notLinked;
        }

        await audit.WriteAsync(actor, AuditEvents.TrafficIndicatorsRaised, finding.OwnerOrganisationId, "finding", finding.Id.ToString(),
            new { incidentId, reportId, indicators = ids.Count, groups = groups.Count }, cancellationToken);
        return new TrafficIndicatorsDto(incidentId, reportId, ids.Count, groups);
    }

    private sealed record RaisedAddress(string Address, string Role, long Packets, long? Asn, string? Organisation, string? Country);

    /// <summary>Reflectors first (with their vector), then top sources not already named, at most <see cref="MaxAddresses"/>.</summary>
    private static (List<RaisedAddress> Addresses, DateTimeOffset? First, DateTimeOffset? Last) Addresses(string reportJson)
    {
        using var document = JsonDocument.Parse(reportJson);
        var root = document.RootElement;
        var found = new Dictionary<string, RaisedAddress>(StringComparer.Ordinal);
        foreach (var (list, role) in new[] { ("reflectors", "reflector"), ("top_sources", "source") })
        {
            if (!root.TryGetProperty(list, out var rows) || rows.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var row in rows.EnumerateArray())
            {
                if (row.TryGetProperty("address", out var a) && a.GetString() is { Length: > 0 } text && !found.ContainsKey(text) && found.Count < MaxAddresses)
                {
                    var vector = row.TryGetProperty("vector", out var v) ? v.GetString() : null;
                    found[text] = new RaisedAddress(text, vector is null ? role : $"{role} ({vector})", Long(row, "packets") ?? 1, Long(row, "asn"),
                        Text(row, "as_organization"), Text(row, "country"));
                }
            }
        }

        return ([.. found.Values], Time(root, "first_timestamp"), Time(root, "last_timestamp"));
    }

    private static string Describe(Finding finding, List<NetworkGroupDto> groups)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Reflectors and sources of the capture analysed in {EvidenceParent.Of(finding.CaseId, finding.IncidentId)} (finding {finding.Id}), by network:\n");
        foreach (var g in groups)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n- {Network(g.Asn, g.Organisation, g.Country)}: {g.Addresses.Count} address(es), {g.Packets:N0} packets: {string.Join(", ", g.Addresses.Take(20))}");
            if (g.Addresses.Count > 20)
            {
                text.Append(CultureInfo.InvariantCulture, $" and {g.Addresses.Count - 20} more");
            }
        }

        return Clip(text.ToString(), 20_000);
    }

    private static string Network(long? asn, string? organisation, string? country) =>
        $"{(asn is { } n ? $"AS{n}" : "AS unknown")}{(organisation is null ? "" : " " + organisation)}, {country ?? "country unknown"}";

    private static long? Long(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null;

    private static string? Text(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? Time(JsonElement root, string name) =>
        Text(root, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    private static string Clip(string text, int most) => text.Length <= most ? text : text[..most];
}
