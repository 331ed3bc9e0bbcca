using Ribat.Core.Data;
using Ribat.Core.Data.Bulk;
using Ribat.Core.Sharing.Storage;

namespace Ribat.Core.Federation;

/// <summary>
/// Writes many STIX object versions, and their grants, past the ORM inside the caller's transaction: the versions a
/// large indicator batch adds would otherwise cost the change tracker more than the indicators themselves. A test
/// round-trips every column through EF on both databases.
/// </summary>
internal static class StixObjectWriter
{
    private static readonly BulkTable<StixObjectRecord> Objects = new("stix_objects",
    [
        "Id", .. SharedBulkColumns.Names, "StixId", "Type", "SpecVersion", "Version", "VersionAt", "DateAdded", "Origin", "PartnerId", "RibatObjectId",
        "Json", "CreatedBy",
    ], (sink, row) =>
    {
        sink.Uuid(row.Id);
        SharedBulkColumns.Bind(sink, row);
        sink.Text(row.StixId);
        sink.Text(row.Type);
        sink.Text(row.SpecVersion);
        sink.Text(row.Version);
        sink.Time(row.VersionAt);
        sink.Time(row.DateAdded);
        sink.Int32((int)row.Origin);
        sink.Uuid(row.PartnerId);
        sink.Uuid(row.RibatObjectId);
        sink.Text(row.Json);
        sink.Uuid(row.CreatedBy);
    });

    private static readonly BulkTable<ShareGrant> Grants = new("share_grants",
        ["ObjectId", "Kind", "OrganisationId", "OrganisationNode", "GrantedAt"], (sink, grant) =>
        {
            sink.Uuid(grant.ObjectId);
            sink.Int32((int)grant.Kind);
            sink.Uuid(grant.OrganisationId);
            sink.Uuid(grant.OrganisationNode);
            sink.Time(grant.GrantedAt);
        });

    public static async Task WriteAsync(RibatDbContext db, IReadOnlyList<StixObjectRecord> rows, IReadOnlyList<ShareGrant> grants, CancellationToken cancellationToken)
    {
        await BulkWriter.WriteAsync(db, Objects, rows, cancellationToken);
        await BulkWriter.WriteAsync(db, Grants, grants, cancellationToken);
    }
}
