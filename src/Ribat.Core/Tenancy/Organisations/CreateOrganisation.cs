using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Data;

namespace Ribat.Core.Tenancy.Organisations;

public sealed record CreateOrganisationRequest(
    string? Name,
    string? Country,
    string? Kind,
    string? ContactName = null,
    string? ContactEmail = null,
    string? ContactPhone = null,
    bool RequireTwoFactor = false);

/// <summary>Node administrators add the agencies their node hosts.</summary>
public sealed class CreateOrganisation(RibatDatabase database, AuditTrail audit, TimeProvider clock)
{
    public async Task<Result<OrganisationDto>> HandleAsync(Actor actor, CreateOrganisationRequest request, CancellationToken cancellationToken = default)
    {
        if (!actor.IsNodeAdmin)
        {
            return Error.Forbidden("Only node administrators may add organisations.");
        }

        if (actor.RequireWrite() is { } readOnly)
        {
            return readOnly;
        }

        var v = new Validation();
        OrganisationRules.Name(v, request.Name);
        OrganisationRules.Country(v, request.Country);
        OrganisationRules.Kind(v, request.Kind);
        OrganisationRules.Contact(v, request.ContactName, request.ContactEmail, request.ContactPhone);
        if (!v.IsValid)
        {
            return v.ToError();
        }

        Countries.TryNormalise(request.Country, out var country);
        OrganisationKinds.TryParse(request.Kind, out var kind);
        var name = request.Name!.Trim();

        await using var db = database.Open(actor);
        if (await db.Organisations.IgnoreQueryFilters().AnyAsync(o => o.Name == name, cancellationToken))
        {
            return Error.Conflict($"An organisation named '{name}' already exists.");
        }

        var organisation = new Organisation
        {
            Id = Guid.CreateVersion7(),
            Name = name,
            Country = country,
            Kind = kind,
            ContactName = OrganisationRules.Optional(request.ContactName),
            ContactEmail = OrganisationRules.Optional(request.ContactEmail),
            ContactPhone = OrganisationRules.Optional(request.ContactPhone),
            RequireTwoFactor = request.RequireTwoFactor,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Organisations.Add(organisation);
        audit.Add(db, actor, AuditEvents.OrganisationCreated, organisation.Id, "organisation", organisation.Id.ToString(), new { country, kind = OrganisationKinds.Spell(kind) });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return Error.Conflict($"An organisation named '{name}' already exists.");
        }

        return OrganisationDto.From(organisation);
    }
}
