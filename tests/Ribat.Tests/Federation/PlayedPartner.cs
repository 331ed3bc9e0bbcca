using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Federation;

/// <summary>
/// A partner node the test plays by hand at this node's TAXII server: recorded with a fresh P-256 key and an address
/// where nothing listens, so this node's sync worker only fails and backs off while the test pushes and pulls.
/// </summary>
internal sealed record PlayedPartner(Guid PartnerId, Guid Node, string Secret, ECDsa Key, Guid LocalNode, string NodeKeyPem)
{
    public static async Task<PlayedPartner> RecordAsync(RibatFactory factory, string tlpCeiling = "amber")
    {
        var admin = await factory.NodeAdminClientAsync();
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var node = Guid.CreateVersion7();
        var created = await (await admin.PostAsJsonAsync("/api/v1/partners", new
        {
            name = RibatFactory.Unique("Partner"),
            nodeId = node,
            apiRoot = "http://127.0.0.1:9/taxii2/ribat/",
            credential = "not-used-here",
            publicKey = key.ExportSubjectPublicKeyInfoPem(),
            distributions = new[] { "connected-communities" },
            tlpCeiling,
        })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var identity = await (await admin.GetAsync("/api/v1/partners/identity")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        var id = created["partner"]!["id"]!.GetValue<Guid>();

        // Disabled and enabled again, as an operator would before pushing by hand.
        await admin.PostAsJsonAsync($"/api/v1/partners/{id}/disable", new { reason = "played by hand" });
        await admin.PostAsJsonAsync($"/api/v1/partners/{id}/enable", new { reason = "now" });
        return new PlayedPartner(id, node, created["inboundSecret"]!.GetValue<string>(), key,
            identity["nodeId"]!.GetValue<Guid>(), identity["publicKeyPem"]!.GetValue<string>());
    }
}
