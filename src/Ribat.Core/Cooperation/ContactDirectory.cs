using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Readiness;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cooperation;

public sealed record ContactPointInput(
    string? Name,
    string? Role = null,
    string? Email = null,
    string? Phone = null,
    IReadOnlyList<string>? Languages = null,
    string? TimeZone = null,
    string? PublicKey = null,
    bool Always = false);

public sealed record ContactPointDto(
    Guid Id, Guid OrganisationId, string OrganisationName, string Country, string Name, string? Role, string? Email, string? Phone,
    IReadOnlyList<string> Languages, string TimeZone, string? PublicKey, bool Always, DateTimeOffset UpdatedAt, bool MayChange,
    OnDutyNow? OnDuty = null,
    Guid? Node = null);

/// <summary>
/// The 24/7 point-of-contact directory (Budapest Convention Art. 35): every organisation's contacts, languages, time
/// zones and public keys, readable by every organisation of the node and searchable by country. An organisation's
/// administrators and liaison officers keep its own entries; a contact marked <c>always</c> receives escalations.
/// </summary>
public sealed class ContactDirectory(RibatDatabase database, AuditTrail audit, Node.LocalNode node, TimeProvider clock)
{
    public const int MaxEntries = 2000;

    public static bool MayKeep(Actor actor, Guid organisation) =>
        actor.Administers(organisation) || (actor.OrganisationId == organisation && actor.Roles.Contains(Roles.Liaison));

    public async Task<Result<IReadOnlyList<ContactPointDto>>> ListAsync(Actor actor, string? country, string? search, CancellationToken cancellationToken = default)
    {
        if (actor.OrganisationId is null && !actor.IsNodeAdmin)
        {
            return Error.Forbidden("The directory is read by members of an organisation.");
        }

        string? code = null;
        if (!string.IsNullOrWhiteSpace(country))
        {
            if (!Countries.TryNormalise(country, out var normalised))
            {
                return Error.Validation("country", $"'{country}' is not an ISO 3166-1 country code.");
            }

            code = normalised;
        }

        await using var db = database.Open(actor.Scope.OrganisationId is { } org ? TenantScope.Of(org) : actor.Scope);

        // The directory is shared with every organisation of the node: names and countries are read past the tenant filter.
        var organisations = db.Organisations.IgnoreQueryFilters().AsNoTracking();
        var rows = from c in db.ContactPoints.AsNoTracking()
                   join o in organisations on c.OrganisationId equals o.Id
                   select new { Contact = c, o.Name, o.Country };
        if (code is not null)
        {
            rows = rows.Where(r => r.Country == code);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            var text = search.Trim().ToLowerInvariant();
            rows = rows.Where(r => r.Name.ToLower().Contains(text) || r.Contact.Name.ToLower().Contains(text));
        }

        var found = await rows.OrderBy(r => r.Country).ThenBy(r => r.Name).ThenBy(r => r.Contact.Name).Take(MaxEntries).ToListAsync(cancellationToken);
        var onDuty = await OnCallRoster.OnDutyNowAsync(db, found.Select(r => r.Contact.OrganisationId).Distinct().ToList(), clock.GetUtcNow(), cancellationToken);
        var local = found.Select(r => ToDto(r.Contact, r.Name, r.Country, actor) with { OnDuty = onDuty.GetValueOrDefault(r.Contact.OrganisationId) });
        return local.Concat(await PartnersAsync(db, code, search, cancellationToken))
            .OrderBy(c => c.Country).ThenBy(c => c.OrganisationName).ThenBy(c => c.Name).Take(MaxEntries).ToList();
    }

    /// <summary>Contacts of enabled partners' organisations, as their nodes described them: read-only, marked with their node.</summary>
    private static async Task<List<ContactPointDto>> PartnersAsync(RibatDbContext db, string? country, string? search, CancellationToken cancellationToken)
    {
        var rows = from c in db.PartnerContactPoints.AsNoTracking()
                   join o in db.PartnerOrganisations.IgnoreQueryFilters().AsNoTracking() on new { c.NodeId, Id = c.OrganisationId } equals new { o.NodeId, o.Id }
                   join p in db.Partners.IgnoreQueryFilters().AsNoTracking() on c.PartnerId equals p.Id
                   where p.Enabled && p.NodeId == c.NodeId
                   select new { Contact = c, o.Name, o.Country };
        if (country is not null)
        {
            rows = rows.Where(r => r.Country == country);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            var text = search.Trim().ToLowerInvariant();
            rows = rows.Where(r => r.Name.ToLower().Contains(text) || r.Contact.Name.ToLower().Contains(text));
        }

        var found = await rows.Take(MaxEntries).ToListAsync(cancellationToken);
        return found.Select(r => new ContactPointDto(r.Contact.Id, r.Contact.OrganisationId, r.Name, r.Country, r.Contact.Name, r.Contact.Role, r.Contact.Email,
            r.Contact.Phone, r.Contact.Languages, r.Contact.TimeZone, r.Contact.PublicKey, r.Contact.Always, r.Contact.Modified, false, null, r.Contact.NodeId)).ToList();
    }

    /// <summary>Adds a contact to the actor's organisation (<paramref name="id"/> null) or changes one of its contacts.</summary>
    public async Task<Result<ContactPointDto>> SaveAsync(Actor actor, Guid? id, ContactPointInput input, CancellationToken cancellationToken = default)
    {
        if (actor.RequireWrite() is { } readOnly)
        {
            return readOnly;
        }

        if (actor.OrganisationId is not { } organisation)
        {
            return Error.Forbidden("Contacts belong to an organisation; this actor has none.");
        }

        // Read before the change opens its own connection and transaction.
        var localNode = await node.IdAsync(cancellationToken);
        await using var db = database.Open(TenantScope.Of(organisation));
        ContactPoint? row = null;
        if (id is { } existing)
        {
            row = await db.ContactPoints.FirstOrDefaultAsync(c => c.Id == existing, cancellationToken);
            if (row is null)
            {
                return Error.NotFound("The contact");
            }
        }

        var owner = row?.OrganisationId ?? organisation;
        if (!MayKeep(actor, owner))
        {
            return Error.Forbidden("An organisation's administrators and liaison officers keep its own directory entries.");
        }

        var v = Validate(input, out var zone);
        if (!v.IsValid)
        {
            return v.ToError();
        }

        var now = clock.GetUtcNow();
        var created = row is null;
        row ??= new ContactPoint { Id = Guid.CreateVersion7(), OrganisationId = owner, Name = string.Empty, TimeZone = string.Empty };
        row.Name = input.Name!.Trim();
        row.Role = Blank(input.Role);
        row.Email = Blank(input.Email);
        row.Phone = Blank(input.Phone);
        row.Languages = (input.Languages ?? []).Select(l => l.Trim().ToLowerInvariant()).Distinct().ToList();
        row.TimeZone = zone!;
        row.PublicKey = Blank(input.PublicKey);
        row.Always = input.Always;
        row.UpdatedAt = now;
        if (created)
        {
            db.ContactPoints.Add(row);
        }

        audit.Add(db, actor, created ? AuditEvents.ContactPointAdded : AuditEvents.ContactPointChanged, owner, "contact-point", row.Id.ToString(), new { always = row.Always });
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // Partner nodes' directories follow: the entry travels to connected communities.
            await PartnerDirectory.WriteAsync(db, row, removed: false, actor.UserId, localNode, clock, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var org = await db.Organisations.IgnoreQueryFilters().AsNoTracking().FirstAsync(o => o.Id == owner, cancellationToken);
        var onDuty = await OnCallRoster.OnDutyNowAsync(db, [owner], now, cancellationToken);
        return ToDto(row, org.Name, org.Country, actor) with { OnDuty = onDuty.GetValueOrDefault(owner) };
    }

    public async Task<Result<bool>> RemoveAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        if (actor.RequireWrite() is { } readOnly)
        {
            return readOnly;
        }

        if (actor.OrganisationId is not { } organisation)
        {
            return Error.Forbidden("Contacts belong to an organisation; this actor has none.");
        }

        // Read before the change opens its own connection and transaction.
        var localNode = await node.IdAsync(cancellationToken);
        await using var db = database.Open(TenantScope.Of(organisation));
        var row = await db.ContactPoints.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (row is null)
        {
            return Error.NotFound("The contact");
        }

        if (!MayKeep(actor, row.OrganisationId))
        {
            return Error.Forbidden("An organisation's administrators and liaison officers keep its own directory entries.");
        }

        // Escalations already sent keep naming the contact they went to; the reference is cleared, the record stays.
        await db.CooperationReminders.IgnoreQueryFilters().Where(r => r.ContactPointId == id)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.ContactPointId, (Guid?)null), cancellationToken);
        db.ContactPoints.Remove(row);
        audit.Add(db, actor, AuditEvents.ContactPointRemoved, row.OrganisationId, "contact-point", row.Id.ToString());
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await PartnerDirectory.WriteAsync(db, row, removed: true, actor.UserId, localNode, clock, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    internal static Validation Validate(ContactPointInput input, out string? zone)
    {
        var v = new Validation()
            .Require(!string.IsNullOrWhiteSpace(input.Name), "name", "A contact needs a name.")
            .Require(input.Name is null || input.Name.Trim().Length <= 200, "name", "The name is at most 200 characters.")
            .RequirePrintable(input.Name, "name")
            .Require(input.Role is null || input.Role.Length <= 200, "role", "The role is at most 200 characters.")
            .RequirePrintable(input.Role, "role")
            .Require(string.IsNullOrWhiteSpace(input.Email) || (input.Email.Trim().Length <= 256 && System.Net.Mail.MailAddress.TryCreate(input.Email.Trim(), out _)), "email", "The e-mail address is not valid.")
            .Require(string.IsNullOrWhiteSpace(input.Phone) || (input.Phone.Trim().Length <= 64 && input.Phone.Trim().All(c => char.IsDigit(c) || c is '+' or ' ' or '-' or '(' or ')' or '.')), "phone",
                "A phone number is at most 64 digits, spaces and + - ( ) .")
            .Require(input.Languages is null || (input.Languages.Count <= 20 && input.Languages.All(l => l.Trim().Length is 2 or 3 && l.Trim().All(char.IsAsciiLetter))), "languages",
                "Languages are two- or three-letter codes (en, ar, fr), at most 20.")
            .Require(input.PublicKey is null || input.PublicKey.Length <= 20_000, "publicKey", "The public key is at most 20,000 characters.")
            .Require(string.IsNullOrWhiteSpace(input.PublicKey) || input.PublicKey.TrimStart().StartsWith("-----BEGIN ", StringComparison.Ordinal), "publicKey",
                "The public key is an armoured PGP or PEM block (-----BEGIN …).");
        zone = null;
        if (string.IsNullOrWhiteSpace(input.TimeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(input.TimeZone.Trim(), out var found))
        {
            v.Add("timeZone", $"'{input.TimeZone}' is not an IANA time zone (Europe/Paris, Asia/Amman).");
        }
        else
        {
            zone = found.Id;
        }

        return v;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static ContactPointDto ToDto(ContactPoint c, string organisation, string country, Actor actor) =>
        new(c.Id, c.OrganisationId, organisation, country, c.Name, c.Role, c.Email, c.Phone, c.Languages, c.TimeZone, c.PublicKey, c.Always, c.UpdatedAt,
            MayKeep(actor, c.OrganisationId) && actor.TokenScope != TokenScope.Read);
}
