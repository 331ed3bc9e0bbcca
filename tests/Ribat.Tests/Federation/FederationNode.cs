using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Ribat.Core.Data;
using Ribat.Testing;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Federation;

/// <summary>
/// One real node for the federation tests: <c>ribat serve</c> as its own process on a loopback port, with its own data
/// directory (and, with <c>RIBAT_TEST_POSTGRES</c>, its own PostgreSQL database), an organisation and a user who is its
/// analyst and node administrator, set up through the CLI. It can be killed and started again on the same storage.
/// </summary>
public sealed class FederationNode : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private RibatProcess? _process;

    private FederationNode(string name, string? connectionString, string? databaseName)
    {
        Name = name;
        ConnectionString = connectionString;
        DatabaseName = databaseName;
        DataDirectory = Directory.CreateTempSubdirectory($"ribat-fed-{name.ToLowerInvariant()}-").FullName;
        Port = LoopbackPort.Free();
    }

    public string Name { get; }

    public string DataDirectory { get; }

    public string? ConnectionString { get; }

    public string? DatabaseName { get; }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public string ApiRoot => $"{Url}/taxii2/ribat/";

    public Guid NodeId { get; private set; }

    public string PublicKeyPem { get; private set; } = string.Empty;

    public Guid OrganisationId { get; private set; }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public bool Running => _process is { HasExited: false };

    private string[] StorageArgs => ConnectionString is null ? ["--data", DataDirectory] : ["--data", DataDirectory, "--database", ConnectionString];

    /// <summary>Creates the node's storage, starts it and sets up its organisation and administrator.</summary>
    public static async Task<FederationNode> CreateAsync(string name)
    {
        string? connection = null;
        string? database = null;
        if (DbFactAttribute.Postgres is { } maintenance)
        {
            database = $"ribat_fed_{name.ToLowerInvariant()}_{Guid.NewGuid():N}";
            connection = await ScratchDatabase.CreateAsync(maintenance, database);
        }

        var node = new FederationNode(name, connection, database);
        await node.StartAsync();
        await node.SetUpAsync();
        return node;
    }

    /// <summary>Starts (or starts again) the server on the same storage and port, syncing every second.</summary>
    public async Task StartAsync()
    {
        var environment = new Dictionary<string, string> { ["RIBAT_SYNC_INTERVAL"] = "1", ["RIBAT_SYNC_MAX_BACKOFF"] = "2" };
        _process = RibatProcess.Start(environment, ["serve", .. StorageArgs, "--urls", Url]);
        var listening = await _process.WaitForLineAsync(l => l.StartsWith("Ribat is listening", StringComparison.Ordinal), StartTimeout);
        listening.Should().NotBeNull($"node {Name} should start.\nstdout: {_process.Stdout}\nstderr: {_process.Stderr}");
    }

    /// <summary>Kills the server process at once, as a crash or a power cut would.</summary>
    public void Kill() => _process?.Kill();

    private async Task SetUpAsync()
    {
        var organisation = $"{Name} Agency";
        var email = $"analyst@{Name.ToLowerInvariant()}.example";
        (await CliAsync("admin", "org", "add", "--name", organisation, "--country", "FR", "--kind", "cert")).ExitCode.Should().Be(0);
        var user = await CliAsync("admin", "user", "add", "--org", organisation, "--email", email, "--role", "analyst", "--role", "org-admin", "--role", "node-admin");
        user.ExitCode.Should().Be(0, user.ToString());
        var token = await CliAsync("admin", "token", "add", "--user", email, "--scope", "write");
        token.ExitCode.Should().Be(0, token.ToString());
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Stdout.Trim());

        var identity = await GetAsync("/api/v1/partners/identity");
        NodeId = identity["nodeId"]!.GetValue<Guid>();
        PublicKeyPem = identity["publicKeyPem"]!.GetValue<string>();
        var me = await GetAsync("/api/v1/me");
        OrganisationId = me["organisationId"]!.GetValue<Guid>();
    }

    public Task<CliResult> CliAsync(params string[] args) => RibatProcess.RunAsync([.. args, .. StorageArgs]);

    public async Task<JsonNode> GetAsync(string path)
    {
        var response = await Http.GetAsync(Url + path);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, $"{Name} GET {path}: {text}");
        return JsonNode.Parse(text)!;
    }

    public async Task<JsonNode> SendAsync(HttpMethod method, string path, object body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, Url + path) { Content = JsonContent.Create(body) };
        var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(expected, $"{Name} {method} {path}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>The node's database as the node itself sees it, for checks no API exposes node-wide (every stored version).</summary>
    public RibatDatabase Database() => new(DatabaseOptions.Resolve(DataDirectory, ConnectionString));

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        Http.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (DatabaseName is not null && DbFactAttribute.Postgres is { } maintenance)
        {
            NpgsqlConnection.ClearAllPools();
            await ScratchDatabase.DropAsync(maintenance, DatabaseName);
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A process may hold a file for a moment; the temp directory is cleaned by the OS.
        }
    }

}
