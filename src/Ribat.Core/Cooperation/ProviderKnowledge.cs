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
    string? RequestChannel, string? Notes, DateTimeOffset UpdatedAt, TurnaroundSeen Turnaround, Guid? Node = null);

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
        var local = await ToDtosAsync(session, found, cancellationToken);
        var partners = await PartnerProviders.ListAsync(session.Db, wanted, search, cancellationToken);
        return local.Concat(partners).OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.Node).Take(MaxEntries).ToList();
    }

    public async Task<Result<ProviderDto>> GetAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await session.Db.ProviderProfiles.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        return row is null ? Error.NotFound("The provider") : (await ToDtosAsync(session, [row], cancellationToken))[0];
    }

    public async Task<Result<ProviderDto>> SaveAsync(Actor actor, Guid? id, ProviderInput input, CancellationToken cancellationToken = default)
    {
        if (RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        var v = new Validation();
        if (Check(input, "", v) is not { } entry)
        {
            return v.ToError();
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        ProviderProfile? row = null;
        if (id is { } existing && (row = await session.Db.ProviderProfiles.FirstOrDefaultAsync(p => p.Id == existing, cancellationToken)) is null)
        {
            return Error.NotFound("The provider");
        }

        if (await session.Db.ProviderProfiles.AnyAsync(p => p.Name == entry.Name && p.Id != (id ?? Guid.Empty), cancellationToken))
        {
            return Error.Conflict($"'{entry.Name}' is already in the knowledge base; change that entry.");
        }

        var created = row is null;
        row ??= new ProviderProfile { Id = Guid.CreateVersion7(), Name = entry.Name, Country = entry.Country };
        entry.ApplyTo(row, actor.OrganisationId!.Value, clock.GetUtcNow());
        if (created)
        {
            session.Db.ProviderProfiles.Add(row);
        }

        audit.Add(session.Db, actor, created ? AuditEvents.ProviderAdded : AuditEvents.ProviderChanged, actor.OrganisationId, "provider", row.Id.ToString(), new { row.Name });
        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        await PartnerProviders.WriteAsync(session.Db, row, session.LocalNode, clock, cancellationToken);
        await session.Db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (await ToDtosAsync(session, [row], cancellationToken))[0];
    }

    internal static Error? RefuseWrite(Actor actor) =>
        actor.OrganisationId is null || !CooperationRoles.MayWrite(actor)
            ? Error.Forbidden("Keeping the provider knowledge base needs the liaison, investigator, prosecutor or org-admin role in an organisation.")
            : actor.RequireWrite();

    /// <summary>An entry checked field by field (names prefixed, e.g. <c>providers[3].</c>); null when any field is wrong, each added to <paramref name="v"/>.</summary>
    internal static Checked? Check(ProviderInput input, string prefix, Validation v)
    {
        var one = new Validation()
            .Require(!string.IsNullOrWhiteSpace(input.Name) && input.Name.Trim().Length <= 200, $"{prefix}name", "A provider has a name of 1 to 200 characters.")
            .RequirePrintable(input.Name, $"{prefix}name");
        if (!Countries.TryNormalise(input.Country, out var country))
        {
            one.Add($"{prefix}country", $"'{input.Country}' is not an ISO 3166-1 country code.");
        }

        var kind = AddresseeKind.ServiceProvider;
        if (input.Kind is not null && (!AddresseeKinds.TryParse(input.Kind, out kind) || kind == AddresseeKind.Authority))
        {
            one.Add($"{prefix}kind", $"'{input.Kind}' is not a provider kind (service-provider, registrar).");
        }

        foreach (var (field, value, max) in new[]
        {
            ("legalBasis", input.LegalBasis, 4000), ("dataTypes", input.DataTypes, 4000), ("retention", input.Retention, 4000),
            ("emergencyContact", input.EmergencyContact, 1000), ("requestChannel", input.RequestChannel, 1000), ("notes", input.Notes, 10_000),
        })
        {
            one.Require(value is null || value.Length <= max, $"{prefix}{field}", $"{field} is at most {max:N0} characters.");
        }

        if (one.IsValid)
        {
            return new Checked(input.Name!.Trim(), country, kind, Blank(input.LegalBasis), Blank(input.DataTypes), Blank(input.Retention),
                Blank(input.EmergencyContact), Blank(input.RequestChannel), Blank(input.Notes));
        }

        foreach (var (field, messages) in one.ToError().Fields!)
        {
            foreach (var message in messages)
            {
                v.Add(field, message);
            }
        }

        return null;
    }

    /// <summary>A provider entry that passed its checks, trimmed, ready to write.</summary>
    internal sealed record Checked(string Name, string Country, AddresseeKind Kind, string? LegalBasis, string? DataTypes, string? Retention,
        string? EmergencyContact, string? RequestChannel, string? Notes)
    {
        public bool Matches(ProviderProfile row) =>
            row.Country == Country && row.Kind == Kind && row.LegalBasis == LegalBasis && row.DataTypes == DataTypes && row.Retention == Retention
            && row.EmergencyContact == EmergencyContact && row.RequestChannel == RequestChannel && row.Notes == Notes;

        public void ApplyTo(ProviderProfile row, Guid organisation, DateTimeOffset now)
        {
            row.Name = Name;
            row.Country = Country;
            row.Kind = Kind;
            row.LegalBasis = LegalBasis;
            row.DataTypes = DataTypes;
            row.Retention = Retention;
            row.EmergencyContact = EmergencyContact;
            row.RequestChannel = RequestChannel;
            row.Notes = Notes;
            row.UpdatedByOrganisationId = organisation;
            row.UpdatedAt = now;
        }
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
