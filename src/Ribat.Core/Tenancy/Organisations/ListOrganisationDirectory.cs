using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Data;

namespace Ribat.Core.Tenancy.Organisations;

/// <summary>An organisation as anyone on the node may address it: who it is and where, nothing more.</summary>
public sealed record OrganisationEntry(Guid Id, string Name, string Country);

/// <summary>
/// The node's directory of organisations, for any signed-in member: the names a user picks from to make an
/// organisation a named recipient or a sharing-group member. It reads past the tenant filter on purpose and
/// gives only id, name and country — never contacts, users or settings — because addressing a recipient needs
/// its name, and the agencies on a node are each other's known partners (the same name is on the "from" line
/// of everything an organisation shares). <see cref="ListOrganisations"/> stays tenant-filtered for the rest.
/// </summary>
public sealed class ListOrganisationDirectory(RibatDatabase database)
{
    /// <summary>A node hosts tens or hundreds of agencies; the bound keeps one answer small whatever happens.</summary>
    public const int MaxEntries = 5000;

    public async Task<Result<IReadOnlyList<OrganisationEntry>>> HandleAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (actor.OrganisationId is null && !actor.IsNodeAdmin)
        {
            return Error.Forbidden("The organisation directory is for members of an organisation on this node.");
        }

        await using var db = database.Open(TenantScope.NodeWide("organisation directory"));
        var entries = await db.Organisations.AsNoTracking()
            .OrderBy(o => o.Name)
            .Take(MaxEntries)
            .Select(o => new OrganisationEntry(o.Id, o.Name, o.Country))
            .ToListAsync(cancellationToken);
        return entries;
    }
}
