using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Ribat.Core.Federation.Sync;
using Ribat.Core.Tenancy;
using Ribat.Stix.Model;
using Ribat.Stix.Taxii;
using Ribat.Stix.Taxii.Client;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Cooperation;

/// <summary>One node of a pair: its own storage and node key, the pair's one clock.</summary>
public sealed class CooperatingNode(bool postgres, ManualClock clock) : RibatFactory(postgres)
{
    public ManualClock Clock => clock;

    public string ApiRoot => new Uri(Server.BaseAddress, "/taxii2/ribat/").ToString();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(clock));
    }
}

/// <summary>
/// Two real nodes, A and B, in one process on one hand-moved clock, each recorded as the other's partner through the
/// API. Nothing listens at the partner address each records, so their own sync workers only back off; the tests
/// drive the rounds instead (<see cref="SyncAsync"/>): pull a node's signed exchange pages as its partner would, and
/// push them, signed with that node's key, into the other node's exchange — the TAXII endpoints, signatures, egress
/// and ingress of a real round. A node whose rounds are not driven is a node offline.
/// </summary>
public abstract class TwoCooperatingNodes(bool postgres) : IAsyncLifetime
{
    private readonly Dictionary<(CooperatingNode From, CooperatingNode To), StixTimestamp?> _cursors = [];
    private readonly Dictionary<CooperatingNode, (Guid PartnerId, string Secret)> _recordedOn = [];

    public ManualClock Clock { get; } = new();

    public CooperatingNode A { get; private set; } = null!;

    public CooperatingNode B { get; private set; } = null!;

    public bool Enabled => A.Enabled;

    public Guid NodeOf(CooperatingNode node) => node.Get<Ribat.Core.Node.LocalNode>().IdAsync().GetAwaiter().GetResult();

    public async Task InitializeAsync()
    {
        A = new CooperatingNode(postgres, Clock);
        B = new CooperatingNode(postgres, Clock);
        await A.InitializeAsync();
        await B.InitializeAsync();
        if (!Enabled)
        {
            return;
        }

        var identities = new Dictionary<CooperatingNode, JsonObject>();
        foreach (var node in new[] { A, B })
        {
            identities[node] = await (await (await node.NodeAdminClientAsync()).GetAsync("/api/v1/partners/identity")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        }

        foreach (var (node, other) in new[] { (A, B), (B, A) })
        {
            var admin = await node.NodeAdminClientAsync();
            var created = await (await admin.PostAsJsonAsync("/api/v1/partners", new
            {
                name = node == A ? "Node B" : "Node A",
                nodeId = identities[other]["nodeId"]!.GetValue<Guid>(),
                apiRoot = "http://127.0.0.1:9/taxii2/ribat/",
                credential = "rounds-are-driven-by-the-test",
                publicKey = identities[other]["publicKeyPem"]!.GetValue<string>(),
                distributions = new[] { "connected-communities" },
                tlpCeiling = "amber",
            })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
            _recordedOn[node] = (created["partner"]!["id"]!.GetValue<Guid>(), created["inboundSecret"]!.GetValue<string>());
        }
    }

    /// <summary>Each node describes its organisations to the other, as the first step of a round does.</summary>
    public async Task IntroduceAsync()
    {
        foreach (var (from, to) in new[] { (A, B), (B, A) })
        {
            List<(Guid Id, string Fingerprint, byte[] Json)> described;
            await using (var db = from.Database.Open(TenantScope.NodeWide("test")))
            {
                described = await OrganisationExchange.OutboundAsync(db, NodeOf(from), Clock.GetUtcNow(), CancellationToken.None);
            }

            var status = await PushAsync(from, to, described.Select(d => Encoding.UTF8.GetString(d.Json)).ToList());
            status.FailureCount.Should().Be(0, status.Failures?.FirstOrDefault()?.Message);
        }
    }

    /// <summary>
    /// One driven round from <paramref name="from"/> to <paramref name="to"/>: everything that may leave for it since
    /// the last round, pushed signed. Returns the receiving node's status, null when nothing was waiting.
    /// </summary>
    public async Task<TaxiiStatus?> SyncAsync(CooperatingNode from, CooperatingNode to)
    {
        var pulled = new List<string>();
        var reader = new TaxiiClient(from.CreateClient(), new TaxiiClientOptions { Secret = _recordedOn[from].Secret });
        var cursor = _cursors.GetValueOrDefault((from, to));
        await foreach (var page in reader.PullAsync(from.ApiRoot, _recordedOn[from].PartnerId.ToString("D"), new ObjectsQuery { AddedAfter = cursor, Versions = ["all"] }))
        {
            page.IsSuccess.Should().BeTrue(page.Failure?.Message);
            pulled.AddRange((page.Value!.Resource.Objects ?? []).Select(o => o.GetRawText()));
            cursor = page.Value.DateAddedLast ?? cursor;
        }

        _cursors[(from, to)] = cursor;
        return pulled.Count == 0 ? null : await PushAsync(from, to, pulled);
    }

    /// <summary>Rounds both ways until nothing is left to carry: a request, its receipt, the steps that follow.</summary>
    public async Task SettleAsync()
    {
        for (var round = 0; round < 6; round++)
        {
            var there = await SyncAsync(A, B);
            var back = await SyncAsync(B, A);
            foreach (var status in new[] { there, back }.Where(s => s is not null))
            {
                status!.FailureCount.Should().Be(0, string.Join("; ", (status.Failures ?? []).Select(f => f.Message)));
            }

            if (there is null && back is null)
            {
                return;
            }
        }
    }

    /// <summary>Posts objects into <paramref name="to"/>'s exchange as partner <paramref name="from"/>, signed with its node key.</summary>
    public async Task<TaxiiStatus> PushAsync(CooperatingNode from, CooperatingNode to, IReadOnlyList<string> objects)
    {
        var writer = new TaxiiClient(to.CreateClient(), new TaxiiClientOptions { Secret = _recordedOn[to].Secret, SignBody = from.Get<INodeSignature>().Sign });
        var posted = await writer.PostObjectsAsync(to.ApiRoot, _recordedOn[to].PartnerId.ToString("D"), Encoding.UTF8.GetBytes($$"""{"objects":[{{string.Join(",", objects)}}]}"""));
        posted.IsSuccess.Should().BeTrue(posted.Failure?.Message);
        return posted.Value!;
    }

    public async Task DisposeAsync()
    {
        foreach (var node in new IAsyncLifetime?[] { A, B })
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }
    }
}

public sealed class TwoCooperatingNodesSqlite() : TwoCooperatingNodes(postgres: false);

public sealed class TwoCooperatingNodesPostgres() : TwoCooperatingNodes(postgres: true);
