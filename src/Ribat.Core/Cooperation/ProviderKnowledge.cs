using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cooperation;

public sealed record ProviderInput(
    string? Name,
    string? Country,
    string? Kind = null,
    string? LegalBasis = null,
    string? DataTypes = null,
    string? Retention = null,
    string? EmergencyContact = null,
    string? RequestChannel = null,
    string? Notes = null);

/// <summary>How long this organisation's requests to the provider took, from sending to the answer.</summary>
public sealed record TurnaroundSeen(int Sent, int Answered, double? MedianHours);

public sealed record ProviderDto(
    Guid Id, string Name, string Country, string Kind, string? LegalBasis, string? DataTypes, string? Retention, string? EmergencyContact,
    string? RequestChannel, string? Notes, DateTimeOffset UpdatedAt, TurnaroundSeen Turnaround);

/// <summary>
/// The service-provider knowledge base: how to ask each provider or registrar for data — the legal bases it accepts,
/// the data it holds and for how long, its emergency contact, where requests go. Shared by every organisation of the
/// node and kept by all who send requests; each change is audited with the organisation that made it. The
/// turnaround shown is the reader's own organisation's, from its requests addressed to the provider.
/// </summary>
public sealed class ProviderKnowledge(SharingAccess sharing, AuditTrail audit, TimeProvider clock)
{
    public const int MaxEntries = 2000;

    public async Task<Result<IReadOnlyList<ProviderDto>>> ListAsync(Actor actor, string? search, string? kind, CancellationToken cancellationToken = default)
    {
        AddresseeKind? wanted = null;
        if (!string.IsNullOrWhiteSpace(kind))
        {
            if (!AddresseeKinds.TryParse(kind, out var k) || k == AddresseeKind.Authority)
            {
                return Error.Validation("kind", $"'{kind}' is not a provider kind (service-provider, registrar).");
            }

            wanted = k;
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var rows = session.Db.ProviderProfiles.AsNoTracking();
        if (wanted is { } w)
        {
            rows = rows.Where(p => p.Kind == w);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            var text = search.Trim().ToLowerInvariant();
            rows = rows.Where(p => p.Name.ToLower().Contains(text));
        }

        var found = await rows.OrderBy(p => p.Name).Take(MaxEntries).ToListAsync(cancellationToken);
        return await ToDtosAsync(session, found, cancellationToken);
    }

    public async Task<Result<ProviderDto>> GetAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await session.Db.ProviderProfiles.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        return row is null ? Error.NotFound("The provider") : (await ToDtosAsync(session, [row], cancellationToken))[0];
    }

    public async Task<Result<ProviderDto>> SaveAsync(Actor actor, Guid? id, ProviderInput input, CancellationToken cancellationToken = default)
    {
        if (actor.OrganisationId is null || !CooperationRoles.MayWrite(actor))
        {
            return Error.Forbidden("Keeping the provider knowledge base needs the liaison, investigator, prosecutor or org-admin role in an organisation.");
        }

        if (actor.RequireWrite() is { } readOnly)
        {
            return readOnly;
        }

        var v = new Validation()
            .Require(!string.IsNullOrWhiteSpace(input.Name) && input.Name.Trim().Length <= 200, "name", "A provider has a name of 1 to 200 characters.")
            .RequirePrintable(input.Name, "name");
        if (!Countries.TryNormalise(input.Country, out var country))
        {
            v.Add("country", $"'{input.Country}' is not an ISO 3166-1 country code.");
        }

        var kind = AddresseeKind.ServiceProvider;
        if (input.Kind is not null && (!AddresseeKinds.TryParse(input.Kind, out kind) || kind == AddresseeKind.Authority))
        {
            v.Add("kind", $"'{input.Kind}' is not a provider kind (service-provider, registrar).");
        }

        foreach (var (field, value, max) in new[]
        {
            ("legalBasis", input.LegalBasis, 4000), ("dataTypes", input.DataTypes, 4000), ("retention", input.Retention, 4000),
            ("emergencyContact", input.EmergencyContact, 1000), ("requestChannel", input.RequestChannel, 1000), ("notes", input.Notes, 10_000),
        })
        {
            v.Require(value is null || value.Length <= max, field, $"{field} is at most {max:N0} characters.");
        }

        if (!v.IsValid)
        {
            return v.ToError();
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        ProviderProfile? row = null;
        if (id is { } existing && (row = await session.Db.ProviderProfiles.FirstOrDefaultAsync(p => p.Id == existing, cancellationToken)) is null)
        {
            return Error.NotFound("The provider");
        }

        var name = input.Name!.Trim();
        if (await session.Db.ProviderProfiles.AnyAsync(p => p.Name == name && p.Id != (id ?? Guid.Empty), cancellationToken))
        {
            return Error.Conflict($"'{name}' is already in the knowledge base; change that entry.");
        }

        var created = row is null;
        row ??= new ProviderProfile { Id = Guid.CreateVersion7(), Name = name, Country = country };
        row.Name = name;
        row.Country = country;
        row.Kind = kind;
        row.LegalBasis = Blank(input.LegalBasis);
        row.DataTypes = Blank(input.DataTypes);
        row.Retention = Blank(input.Retention);
        row.EmergencyContact = Blank(input.EmergencyContact);
        row.RequestChannel = Blank(input.RequestChannel);
        row.Notes = Blank(input.Notes);
        row.UpdatedByOrganisationId = actor.OrganisationId!.Value;
        row.UpdatedAt = clock.GetUtcNow();
        if (created)
        {
            session.Db.ProviderProfiles.Add(row);
        }

        audit.Add(session.Db, actor, created ? AuditEvents.ProviderAdded : AuditEvents.ProviderChanged, actor.OrganisationId, "provider", row.Id.ToString(), new { row.Name });
        await session.Db.SaveChangesAsync(cancellationToken);
        return (await ToDtosAsync(session, [row], cancellationToken))[0];
    }

    private static async Task<List<ProviderDto>> ToDtosAsync(ContentSession session, List<ProviderProfile> rows, CancellationToken cancellationToken)
    {
        var ids = rows.Select(r => r.Id).ToList();
        var organisation = session.Organisation?.Id ?? Guid.Empty;

        // Only the reader's own requests: other organisations' requests to a provider are theirs alone.
        var requests = await session.Db.CooperationRequests.AsNoTracking()
            .Where(r => r.ServiceProviderId != null && ids.Contains(r.ServiceProviderId.Value) && r.OwnerOrganisationId == organisation && r.SentAt != null)
            .Select(r => new { r.ServiceProviderId, r.SentAt, r.AnsweredAt }).ToListAsync(cancellationToken);
        return rows.Select(p =>
        {
            var mine = requests.Where(r => r.ServiceProviderId == p.Id).ToList();
            var hours = mine.Where(r => r.AnsweredAt is not null).Select(r => (r.AnsweredAt!.Value - r.SentAt!.Value).TotalHours).Order().ToList();
            return new ProviderDto(p.Id, p.Name, p.Country, p.Kind.Spell(), p.LegalBasis, p.DataTypes, p.Retention, p.EmergencyContact, p.RequestChannel, p.Notes, p.UpdatedAt,
                new TurnaroundSeen(mine.Count, hours.Count, Metrics.Median(hours)));
        }).ToList();
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
