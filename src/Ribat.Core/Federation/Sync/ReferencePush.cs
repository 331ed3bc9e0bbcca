using System.Collections.Concurrent;
using Ribat.Core.Federation.Partners;
using Ribat.Stix.Taxii.Client;

namespace Ribat.Core.Federation.Sync;

/// <summary>
/// Sends a partner the reference objects it should hold (this node's organisations, its sharing groups) as custom STIX
/// objects, each only when it changed since the partner last accepted it while the node runs.
/// </summary>
internal sealed class ReferencePush(string what, Func<Guid, string> stixId)
{
    /// <summary>What each partner last accepted of each object, by fingerprint.</summary>
    private readonly ConcurrentDictionary<(Guid Partner, Guid Id), string> _sent = new();

    /// <summary>
    /// Posts the objects of <paramref name="current"/> the partner does not hold as they are: a failure when they could not
    /// be sent (the round stops and is retried), a note when the partner refused one (the round goes on).
    /// </summary>
    public async Task<(string? Failure, string? Note)> SendAsync(TaxiiClient client, Partner partner, string collectionId,
        IReadOnlyList<(Guid Id, string Fingerprint, byte[] Json)> current, CancellationToken cancellationToken)
    {
        var changed = current.Where(c => !_sent.TryGetValue((partner.Id, c.Id), out var last) || last != c.Fingerprint).ToList();
        if (changed.Count == 0)
        {
            return (null, null);
        }

        var posted = await client.PostObjectsAsync(partner.ApiRoot, collectionId, PushToPartner.Envelope(changed.Select(c => System.Text.Encoding.UTF8.GetString(c.Json)).ToList()), cancellationToken);
        if (posted.Failure is { } failure)
        {
            return ($"sending {what} to {partner.ApiRoot} failed: {failure.Message}", null);
        }

        var refused = (posted.Value!.Failures ?? []).ToDictionary(f => f.Id, f => f.Message, StringComparer.Ordinal);
        foreach (var accepted in changed.Where(c => !refused.ContainsKey(stixId(c.Id))))
        {
            _sent[(partner.Id, accepted.Id)] = accepted.Fingerprint;
        }

        return (null, refused.Count == 0 ? null : $"the partner refused {refused.First().Key} ({what}): {refused.First().Value}");
    }
}
