using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ribat.Core.Access;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;
using Ribat.Core.Tenancy.Organisations;
using Ribat.Core.Tenancy.Users;
using Ribat.Testing;

namespace Ribat.Tests.Infrastructure;

/// <summary>
/// One node on a fresh data directory and a fresh database (SQLite in the directory, or a uniquely named
/// PostgreSQL database dropped afterwards), served through the real HTTP pipeline.
/// </summary>
public abstract class RibatFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminPassword = "correct horse battery staple";

    protected RibatFactory(bool postgres)
    {
        IsPostgres = postgres;
        DataDirectory = Directory.CreateTempSubdirectory("ribat-tests-").FullName;
        if (postgres && DbFactAttribute.Postgres is { } maintenance)
        {
            DatabaseName = $"ribat_test_{Guid.NewGuid():N}";
            ConnectionString = new NpgsqlConnectionStringBuilder(maintenance) { Database = DatabaseName }.ConnectionString;
        }
    }

    public bool IsPostgres { get; }

    /// <summary>False for the PostgreSQL variant when no server was given: its tests are skipped.</summary>
    public bool Enabled => !IsPostgres || ConnectionString is not null;

    public string DataDirectory { get; }

    public string? DatabaseName { get; }

    /// <summary>The PostgreSQL connection string, or null for SQLite.</summary>
    public string? ConnectionString { get; }

    public string SqlitePath => Path.Combine(DataDirectory, DatabaseOptions.SqliteFileName);

    /// <summary>Command-line arguments that point the CLI at this node's storage.</summary>
    public string[] StorageArgs => ConnectionString is null ? ["--data", DataDirectory] : ["--data", DataDirectory, "--database", ConnectionString];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Ribat:Data", DataDirectory);
        builder.UseSetting("Ribat:Database", ConnectionString ?? string.Empty);
        builder.UseSetting("Ribat:AdminPassword", AdminPassword);

        // The tests' webhook receivers listen on loopback, which a node refuses unless its operator allows it.
        builder.UseSetting("Ribat:Notifications:WebhookAllowLoopback", "true");
        builder.UseEnvironment("Development");
    }

    public async Task InitializeAsync()
    {
        if (!Enabled)
        {
            return;
        }

        if (DatabaseName is not null)
        {
            await ScratchDatabase.CreateAsync(DbFactAttribute.Postgres!, DatabaseName);
        }

        _ = Server; // start now: migrations and the first admin, before any test
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (DatabaseName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await ScratchDatabase.DropAsync(DbFactAttribute.Postgres!, DatabaseName);
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A subprocess may still hold a file for a moment; the temp directory is cleaned by the OS.
        }
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public RibatDatabase Database => Get<RibatDatabase>();

    public async Task<OrganisationDto> CreateOrganisationAsync(string? name = null, string country = "FR", string kind = "cert")
    {
        var created = await Get<CreateOrganisation>().HandleAsync(Actor.Operator, new CreateOrganisationRequest(name ?? Unique("Org"), country, kind));
        created.Error.Should().BeNull();
        return created.Value!;
    }

    public async Task<UserDto> CreateUserAsync(Guid organisationId, params string[] roles)
    {
        var created = await Get<CreateUser>().HandleAsync(Actor.Operator,
            new CreateUserRequest(organisationId, $"{Guid.NewGuid():N}@agency.example", null, roles.Length == 0 ? [Roles.Analyst] : roles, AdminPassword));
        created.Error.Should().BeNull();
        return created.Value!.User;
    }

    public async Task<(Guid Id, string Secret)> CreateTokenAsync(Guid userId, string scope = "write", int days = 30)
    {
        var created = await Get<CreateApiToken>().HandleAsync(Actor.Operator, new CreateApiTokenRequest("test", scope, days, userId));
        created.Error.Should().BeNull();
        return (created.Value!.Token.Id, created.Value.Secret);
    }

    /// <summary>An organisation with an org admin, an analyst and a write token for each.</summary>
    public async Task<Tenant> CreateTenantAsync(string? name = null)
    {
        var org = await CreateOrganisationAsync(name);
        var admin = await CreateUserAsync(org.Id, Roles.OrgAdmin);
        var analyst = await CreateUserAsync(org.Id, Roles.Analyst);
        var adminToken = await CreateTokenAsync(admin.Id);
        var analystToken = await CreateTokenAsync(analyst.Id);
        return new Tenant(org, admin, analyst, adminToken.Id, adminToken.Secret, analystToken.Id, analystToken.Secret);
    }

    /// <summary>A node administrator (not the bootstrap one) with a write token.</summary>
    public async Task<HttpClient> NodeAdminClientAsync()
    {
        var operators = await Get<ListOrganisations>().FindByNameAsync(Actor.Operator, Core.Node.NodeBootstrap.OperatorsOrganisation);
        var admin = await CreateUserAsync(operators!.Id, Roles.NodeAdmin, Roles.OrgAdmin);
        return ClientWith((await CreateTokenAsync(admin.Id)).Secret);
    }

    public HttpClient ClientWith(string? secret)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (secret is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        }

        return client;
    }

    /// <summary>A browser-like client signed in through the real login form (session cookie, antiforgery).</summary>
    public async Task<HttpClient> SignedInClientAsync(string email)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var form = await client.GetStringAsync("/account/login");
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        token.Should().NotBeEmpty("the login form carries an antiforgery token");
        var signedIn = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = AdminPassword,
        }));
        signedIn.StatusCode.Should().Be(System.Net.HttpStatusCode.Redirect, "the login form redirects once signed in");
        return client;
    }

    public static string Unique(string prefix) => $"{prefix} {Guid.NewGuid():N}"[..(prefix.Length + 13)];
}

public sealed record Tenant(OrganisationDto Organisation, UserDto Admin, UserDto Analyst, Guid AdminTokenId, string AdminSecret, Guid AnalystTokenId, string AnalystSecret);

public sealed class SqliteFactory() : RibatFactory(postgres: false);

public sealed class PostgresFactory() : RibatFactory(postgres: true);
