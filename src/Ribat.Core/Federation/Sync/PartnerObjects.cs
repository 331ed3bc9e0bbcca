using System.Text.Json;
using Ribat.Core.Data;
using Ribat.Core.Federation.Partners;
using Ribat.Core.Sharing;

namespace Ribat.Core.Federation.Sync;

/// <summary>
/// A module that keeps partners' objects of its own custom STIX types in its own tables (an incident and its
/// entries, a cooperation request), besides their version in <c>stix_objects</c>.
/// </summary>
public interface IPartnerObjects
{
    /// <summary>The custom STIX types this module keeps.</summary>
    IReadOnlyCollection<string> StixTypes { get; }

    /// <summary>
    /// Called in the ingress transaction for each new version of one of <see cref="StixTypes"/>, before it is stored:
    /// null accepts it (what the module wrote is saved with it), a one-line reason refuses it and nothing of it is kept.
    /// The partner is authenticated and its signature checked; the module checks everything else.
    /// </summary>
    Task<string?> ReceiveAsync(RibatDbContext db, PartnerObject received, CancellationToken cancellationToken);
}

/// <summary>One version a partner sent: the object, the terms it arrives under (owner on the partner's node, recipients as written), and when.</summary>
public sealed record PartnerObject(Partner Partner, JsonElement Stix, SharingTerms Terms, Guid LocalNode, DateTimeOffset Now);

/// <summary>The registered <see cref="IPartnerObjects"/>, by STIX type; a type claimed twice is a wiring error.</summary>
public sealed class PartnerObjectHandlers
{
    public static readonly PartnerObjectHandlers None = new([]);

    private readonly Dictionary<string, IPartnerObjects> _byType = new(StringComparer.Ordinal);

    public PartnerObjectHandlers(IEnumerable<IPartnerObjects> modules)
    {
        foreach (var module in modules)
        {
            foreach (var type in module.StixTypes)
            {
                if (!_byType.TryAdd(type, module))
                {
                    throw new InvalidOperationException($"Two modules keep partners' '{type}' objects.");
                }
            }
        }
    }

    public IPartnerObjects? For(string type) => _byType.GetValueOrDefault(type);
}
