using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Findings;
using Ribat.Core.Incidents;
using Ribat.Core.Indicators;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Jobs;

/// <summary>
/// The addresses of one network (AS and country) among the indicators linked to an incident: whom a CERT notifies.
/// <see cref="Packets"/> and <see cref="Bytes"/> are the traffic the captures saw from these addresses; null when no
/// capture the viewer may see names them.
/// </summary>
public sealed record IncidentNetworkDto(long? Asn, string? Organisation, string? Country, int AddressCount, IReadOnlyList<string> Addresses, long? Packets, long? Bytes);

/// <summary>
/// Groups the address indicators and address values linked to an incident per AS and country. The network of an address is what the
/// capture analysis found (<see cref="RaiseTrafficIndicators"/> names the capture finding in the indicator's source and
/// in its sighting); an address no visible capture names (one linked by hand) takes its network from the node's GeoIP
/// databases (<see cref="AddressOrigins"/>). Only indicators, sightings and findings the viewer may see count, so each
/// viewer sees the grouping of what the sharing policy shows them.
/// </summary>
public sealed partial class ReadIncidentNetworks(SharingAccess sharing, AddressOrigins origins)
{
    /// <summary>Linked indicators read at most for the grouping.</summary>
    public const int MaxIndicators = 5000;

    public async Task<Result<IReadOnlyList<IncidentNetworkDto>>> HandleAsync(Actor actor, Guid incidentId, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (!await session.Db.Incidents.AnyAsync(i => i.Id == incidentId, cancellationToken))
        {
            return Error.NotFound("The incident");
        }

        var linked = session.Db.IncidentLinks.Where(l => l.IncidentId == incidentId && l.Kind == IncidentLinkKind.Indicator).Select(l => l.TargetId);
        var indicators = await session.Db.Indicators.AsNoTracking()
            .Where(i => linked.Contains(i.Id) && (i.Type == "ipv4" || i.Type == "ipv6"))
            .OrderBy(i => i.Id).Take(MaxIndicators)
            .Select(i => new { i.Id, i.Type, i.Value, i.SourceId, i.OwnerOrganisationId, i.OwnerNode, i.Tlp, i.Pap, i.Distribution, i.SharingGroupId, i.Handling, i.HandlingConditions, i.Evaluation })
            .ToListAsync(cancellationToken);
        var ids = indicators.Select(i => i.Id).ToList();
        var sightings = await session.Db.Sightings.AsNoTracking().Where(s => ids.Contains(s.IndicatorId) && s.Source != null)
            .Select(s => new { s.IndicatorId, s.Source }).ToListAsync(cancellationToken);

        var sightingSources = sightings.ToLookup(s => s.IndicatorId, s => s.Source);
        var sources = new Dictionary<Guid, HashSet<Guid>>();
        foreach (var indicator in indicators)
        {
            var named = sightingSources[indicator.Id].Append(indicator.SourceId);
            sources[indicator.Id] = [.. named.Select(FindingNamed).OfType<Guid>()];
        }

        var findingIds = sources.Values.SelectMany(s => s).Distinct().ToList();
        var findings = await session.Db.Findings.AsNoTracking().Where(f => findingIds.Contains(f.Id) && f.Kind == FindingKind.Traffic).ToListAsync(cancellationToken);
        var grants = (await session.GrantsAsync([.. findings.Select(f => f.Id)], cancellationToken)).ToLookup(g => g.ObjectId);
        var networks = findings.Where(f => session.Decide(f, grants[f.Id]).MaySee)
            .ToDictionary(f => f.Id, f => Networks(f.ReportJson));

        var rows = indicators.Select(i =>
        {
            var seen = sources[i.Id].Where(networks.ContainsKey).Select(f => networks[f].GetValueOrDefault(i.Value)).OfType<AddressNetwork>().ToList();
            var first = seen.FirstOrDefault() ?? FromDatabases(i.Type, i.Value);
            return (i.Value, first?.Asn, first?.Organisation, first?.Country,
                Packets: seen.Count == 0 ? (long?)null : seen.Sum(s => s.Packets ?? 0),
                Bytes: seen.Count == 0 || seen.All(s => s.Bytes is null) ? (long?)null : seen.Sum(s => s.Bytes ?? 0));
        }).ToList();

        // Addresses linked as the incident's own values (not indicators of the store) take their network from the databases.
        var values = await session.Db.IncidentLinks.AsNoTracking()
            .Where(l => l.IncidentId == incidentId && l.Kind == IncidentLinkKind.Value && (l.ValueType == "ipv4" || l.ValueType == "ipv6"))
            .OrderBy(l => l.Id).Take(MaxIndicators).Select(l => new { Type = l.ValueType!, Value = l.Value! }).ToListAsync(cancellationToken);
        var held = rows.Select(r => r.Value).ToHashSet(StringComparer.Ordinal);
        foreach (var link in values.Where(v => held.Add(v.Value)))
        {
            var network = FromDatabases(link.Type, link.Value);
            rows.Add((link.Value, network?.Asn, network?.Organisation, network?.Country, Packets: null, Bytes: null));
        }

        return rows.GroupBy(r => (r.Asn, r.Country))
            .Select(g => new IncidentNetworkDto(g.Key.Asn, g.Select(r => r.Organisation).FirstOrDefault(o => o is not null), g.Key.Country, g.Count(),
                [.. g.OrderByDescending(r => r.Packets ?? 0).ThenBy(r => r.Value, StringComparer.Ordinal).Select(r => r.Value)],
                g.All(r => r.Packets is null) ? null : g.Sum(r => r.Packets ?? 0),
                g.All(r => r.Bytes is null) ? null : g.Sum(r => r.Bytes ?? 0)))
            .OrderByDescending(g => g.Packets ?? -1).ThenByDescending(g => g.AddressCount).ThenBy(g => g.Asn ?? long.MaxValue).ThenBy(g => g.Country, StringComparer.Ordinal)
            .ToList();
    }

    private sealed record AddressNetwork(long? Asn, string? Organisation, string? Country, long? Packets, long? Bytes);

    /// <summary>The network the node's GeoIP databases give an address no capture names; its traffic is unknown.</summary>
    private AddressNetwork? FromDatabases(string type, string value) =>
        origins.Lookup(type, value).Origin is { } origin && (origin.Asn is not null || origin.CountryCode is not null)
            ? new AddressNetwork(origin.Asn, origin.AsOrganization, origin.CountryCode, null, null)
            : null;

    /// <summary>"finding:{id}" (an indicator's source) or "…, finding {id}" (a sighting's source).</summary>
    private static Guid? FindingNamed(string? source) =>
        source is not null && FindingReference().Match(source) is { Success: true } m && Guid.TryParse(m.Groups[1].Value, out var id) ? id : null;

    [GeneratedRegex(@"finding[: ]([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})")]
    private static partial Regex FindingReference();

    /// <summary>Each reflector's and top source's network and traffic in a capture finding's report, reflectors first.</summary>
    private static Dictionary<string, AddressNetwork> Networks(string reportJson)
    {
        var found = new Dictionary<string, AddressNetwork>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(reportJson);
        foreach (var list in new[] { "reflectors", "top_sources" })
        {
            if (!document.RootElement.TryGetProperty(list, out var rows) || rows.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var row in rows.EnumerateArray())
            {
                if (row.ValueKind == JsonValueKind.Object && row.TryGetProperty("address", out var a) && a.ValueKind == JsonValueKind.String
                    && a.GetString() is { Length: > 0 } address && !found.ContainsKey(address))
                {
                    found[address] = new AddressNetwork(Long(row, "asn"), Text(row, "as_organization"), Text(row, "country"), Long(row, "packets"), Long(row, "bytes"));
                }
            }
        }

        return found;
    }

    private static long? Long(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null;

    private static string? Text(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
