using Ribat.Core.Common;
using Ribat.Core.Indicators;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;
using Ribat.Core.Tenancy.Organisations;
using Ribat.Core.Tenancy.Users;

namespace Ribat.Bench;

/// <summary>
/// The sharing community a run writes for and reads as: eight agencies, each with an analyst, and two sharing
/// groups with overlapping members. Batches rotate between owners and carry a mix of distributions and TLP levels,
/// so every look-up goes through the full sharing predicate (owner, community, sharing group, and rows it must not
/// see).
/// </summary>
internal sealed class Community
{
    private static readonly (string Name, string Country, string Kind)[] Agencies =
    [
        ("CERT-FR bench", "FR", "cert"), ("BKA cyber bench", "DE", "police"), ("NCSC-NL bench", "NL", "cert"),
        ("Guardia Civil bench", "ES", "police"), ("CERT.at bench", "AT", "cert"), ("Politie THTC bench", "NL", "police"),
        ("CERT-PL bench", "PL", "cert"), ("Europol EC3 bench", "NL", "police"),
    ];

    private Community(IReadOnlyList<Actor> analysts, IReadOnlyList<Guid> groups, IReadOnlyList<int[]> groupMembers)
    {
        Analysts = analysts;
        Groups = groups;
        GroupMembers = groupMembers;
    }

    public IReadOnlyList<Actor> Analysts { get; }

    public IReadOnlyList<Guid> Groups { get; }

    private IReadOnlyList<int[]> GroupMembers { get; }

    /// <summary>The organisations look-ups are made as: a member of both groups, of one, and of none.</summary>
    public IReadOnlyList<Actor> Viewers => [Analysts[1], Analysts[4], Analysts[7]];

    public static async Task<Community> CreateAsync(BenchStore store, CancellationToken cancellationToken)
    {
        var analysts = new List<Actor>();
        var password = "bench password " + Guid.NewGuid().ToString("N");
        foreach (var (name, country, kind) in Agencies)
        {
            var org = Ok(await store.Get<CreateOrganisation>().HandleAsync(Actor.Operator, new CreateOrganisationRequest(name, country, kind), cancellationToken));
            var user = Ok(await store.Get<CreateUser>().HandleAsync(Actor.Operator,
                new CreateUserRequest(org.Id, $"analyst{analysts.Count}@bench.example", null, [Roles.Analyst], password), cancellationToken)).User;
            analysts.Add(new Actor(user.Id, user.Email, org.Id, new HashSet<string> { Roles.Analyst }));
        }

        int[][] members = [[0, 1, 2, 3], [4, 5, 6, 1]];
        var groups = new List<Guid>();
        foreach (var group in members)
        {
            var owner = analysts[group[0]];
            var created = Ok(await store.Get<SharingGroups>().CreateAsync(owner,
                new SharingGroupInput($"Operation {groups.Count + 1}", null, false, group.Skip(1).Select(m => analysts[m].OrganisationId!.Value).ToList()), cancellationToken));
            groups.Add(created.Id);
        }

        return new Community(analysts, groups, members);
    }

    public Actor Owner(long batch) => Analysts[(int)(batch % Analysts.Count)];

    /// <summary>
    /// A batch's terms: half to the community, a fifth organisation-only, a fifth to a sharing group the owner is in
    /// (community otherwise), a tenth to connected communities. Default TLP:AMBER; rows override it.
    /// </summary>
    public SharingTermsInput Terms(long batch)
    {
        var owner = (int)(batch % Analysts.Count);
        var pick = (int)(ObservableGenerator.Mix(0x7E2A5, (ulong)batch) % 10);
        if (pick is 7 or 8)
        {
            var group = GroupMembers.Select((m, i) => (m, i)).FirstOrDefault(g => g.m.Contains(owner));
            if (group.m is not null)
            {
                return new SharingTermsInput(Distribution: "sharing-group", SharingGroupId: Groups[group.i]);
            }
        }

        return pick switch
        {
            < 5 => new SharingTermsInput(Distribution: "community"),
            < 7 => new SharingTermsInput(Distribution: "organisation-only"),
            _ => new SharingTermsInput(Distribution: "connected-communities"),
        };
    }

    private static readonly string?[] TlpMix =
    [
        "clear", "green", "green", "green", "amber", "amber", "amber", "amber", "green", "amber", "amber+strict", "red", null, null, "green", "amber",
        "amber+strict", "green", "amber", "clear",
    ];

    private static readonly IReadOnlyList<string>[] TagSets =
    [
        ["malware:emotet"], ["malware:qakbot", "phishing"], ["feed:urlhaus"], ["campaign:operation-bench"], ["ransomware:lockbit", "c2"],
        ["feed:threatfox"], ["botnet"], ["fraud:bec"],
    ];

    /// <summary>One row as a feed or an analyst writes it: the value, a TLP level, sometimes tags, a comment, a confidence.</summary>
    public static IndicatorInput Input(Observable observable, long index)
    {
        var h = ObservableGenerator.Mix(0x1A9E, (ulong)index);
        var tags = h % 10 < 3 ? TagSets[(int)((h >> 8) % (ulong)TagSets.Length)] : null;
        var comment = h % 100 < 8 ? $"Seen in campaign {(h >> 20) % 500}" : null;
        return new IndicatorInput(observable.Type, observable.Value, comment, tags, 30 + (int)((h >> 12) % 66), Tlp: TlpMix[(int)((h >> 32) % (ulong)TlpMix.Length)]);
    }

    public static T Ok<T>(Result<T> result) =>
        result.Error is { } error ? throw new InvalidOperationException($"{error.Code}: {error.Message}") : result.Value!;
}
