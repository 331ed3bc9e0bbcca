using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Evidence;

/// <summary>
/// Removes stored content that a failed write left behind, once nothing names it: the content store keeps one file
/// per SHA-256, shared by every evidence item and request attachment with those bytes, so a file is removed only
/// when neither names it.
/// </summary>
internal static class UnnamedContent
{
    public static async Task DiscardAsync(RibatDatabase database, ContentStore store, IEnumerable<string> sha256s)
    {
        await using var db = database.Open(TenantScope.NodeWide("content clean-up"));
        foreach (var sha256 in sha256s.Distinct())
        {
            if (!await db.EvidenceItems.IgnoreQueryFilters().AnyAsync(e => e.Sha256 == sha256, CancellationToken.None)
                && !await db.RequestAttachments.IgnoreQueryFilters().AnyAsync(a => a.Sha256 == sha256, CancellationToken.None))
            {
                store.Discard(sha256);
            }
        }
    }
}
