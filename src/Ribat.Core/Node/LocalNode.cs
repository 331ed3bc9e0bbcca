using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Node;

/// <summary>
/// This node's id in the sharing model: the node part of every local <see cref="Sharing.OrganisationRef"/>.
/// Kept in the database, not the data directory, so instances sharing one PostgreSQL are one node.
/// </summary>
public sealed class LocalNode(RibatDatabase database)
{
    public const string SettingKey = "node.id";

    private Guid? _id;

    public async Task<Guid> IdAsync(CancellationToken cancellationToken = default)
    {
        if (_id is { } known)
        {
            return known;
        }

        await using var db = database.Open(TenantScope.NodeWide("node identity"));
        var stored = await ReadAsync(db, cancellationToken);
        if (stored is null)
        {
            db.NodeSettings.Add(new NodeSetting { Key = SettingKey, Value = Guid.CreateVersion7().ToString() });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another instance wrote it first; theirs stands.
                db.ChangeTracker.Clear();
            }

            stored = await ReadAsync(db, cancellationToken);
        }

        _id = stored ?? throw new InvalidOperationException("The node id could not be stored.");
        return _id.Value;
    }

    private static async Task<Guid?> ReadAsync(RibatDbContext db, CancellationToken cancellationToken)
    {
        var value = await db.NodeSettings.AsNoTracking().Where(s => s.Key == SettingKey).Select(s => s.Value).FirstOrDefaultAsync(cancellationToken);
        return Guid.TryParse(value, out var id) ? id : null;
    }
}
