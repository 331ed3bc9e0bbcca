using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Data;

namespace Ribat.Core.Tenancy.Organisations;

/// <summary>Only the fields that are present change.</summary>
public sealed record UpdateOrganisationRequest(
    string? Name = null,
    string? Country = null,
    string? Kind = null,
    string? ContactName = null,
    string? ContactEmail = null,
    string? ContactPhone = null,
    bool? RequireTwoFactor = null);

/// <summary>Node admins change any organisation; org admins their own.</summary>
public sealed class UpdateOrganisation(RibatDatabase database, AuditTrail audit)
{
    public async Task<Result<OrganisationDto>> HandleAsync(Actor actor, Guid id, UpdateOrganisationRequest request, CancellationToken cancellationToken = default)
    {
        if (actor.RequireWrite() is { } readOnly)
        {
            return readOnly;
        }

        await using var db = database.Open(actor);
        var organisation = await db.Organisations.FirstOrDefaultAsync(o => o.Id == id, cancellationToken);
        if (organisation is null)
        {
            return Error.NotFound("The organisation");
        }

        if (!actor.Administers(id))
        {
            return Error.Forbidden("Only the organisation's administrators may change it.");
        }

        var v = new Validation();
        if (request.Name is not null)
        {
            OrganisationRules.Name(v, request.Name);
        }

        if (request.Country is not null)
        {
            OrganisationRules.Country(v, request.Country);
        }

        if (request.Kind is not null)
        {
            OrganisationRules.Kind(v, request.Kind);
        }

        OrganisationRules.Contact(v, request.ContactName, request.ContactEmail, request.ContactPhone);
        if (!v.IsValid)
        {
            return v.ToError();
        }

        var changed = new List<string>();
        if (request.Name is not null && request.Name.Trim() != organisation.Name)
        {
            var name = request.Name.Trim();
            if (await db.Organisations.IgnoreQueryFilters().AnyAsync(o => o.Name == name && o.Id != id, cancellationToken))
            {
                return Error.Conflict($"An organisation named '{name}' already exists.");
            }

            organisation.Name = name;
            changed.Add("name");
        }

        if (request.Country is not null && Countries.TryNormalise(request.Country, out var country) && country != organisation.Country)
        {
            organisation.Country = country;
            changed.Add("country");
        }

        if (request.Kind is not null && OrganisationKinds.TryParse(request.Kind, out var kind) && kind != organisation.Kind)
        {
            organisation.Kind = kind;
            changed.Add("kind");
        }

        Set(request.ContactName, organisation.ContactName, v => organisation.ContactName = v, "contactName", changed);
        Set(request.ContactEmail, organisation.ContactEmail, v => organisation.ContactEmail = v, "contactEmail", changed);
        Set(request.ContactPhone, organisation.ContactPhone, v => organisation.ContactPhone = v, "contactPhone", changed);
        if (request.RequireTwoFactor is { } require && require != organisation.RequireTwoFactor)
        {
            organisation.RequireTwoFactor = require;
            changed.Add("requireTwoFactor");
        }

        if (changed.Count > 0)
        {
            audit.Add(db, actor, AuditEvents.OrganisationUpdated, id, "organisation", id.ToString(), new { changed });
            await db.SaveChangesAsync(cancellationToken);
        }

        return OrganisationDto.From(organisation);
    }

    /// <summary>An empty string clears an optional contact field; null leaves it alone.</summary>
    private static void Set(string? requested, string? current, Action<string?> assign, string field, List<string> changed)
    {
        if (requested is null)
        {
            return;
        }

        var value = OrganisationRules.Optional(requested);
        if (value != current)
        {
            assign(value);
            changed.Add(field);
        }
    }
}
