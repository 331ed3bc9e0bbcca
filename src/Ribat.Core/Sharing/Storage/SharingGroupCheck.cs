using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Data;

namespace Ribat.Core.Sharing.Storage;

internal static class SharingGroupCheck
{
    /// <summary>An owner distributes only to a group it owns or belongs to (the group filter decides which it sees).</summary>
    public static async Task<Error?> RequireUsableAsync(RibatDbContext db, SharingTerms terms, Guid owner, CancellationToken cancellationToken)
    {
        if (terms.Distribution.SharingGroupId is not { } group)
        {
            return null;
        }

        return await db.SharingGroups.AsNoTracking().AnyAsync(g => g.Id == group, cancellationToken)
            ? null
            : Error.Validation("sharingGroupId", "The sharing group does not exist or your organisation is not in it.");
    }
}
