using System.Net;
using Microsoft.AspNetCore.Routing;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests;

public abstract class HealthAndOpenApiTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    [DbFact]
    public async Task Live_and_ready_answer_200_without_a_token()
    {
        var client = factory.ClientWith(null);

        (await client.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
        var ready = await client.GetAsync("/health/ready");
        ready.StatusCode.Should().Be(HttpStatusCode.OK, await ready.Content.ReadAsStringAsync());
    }

    [DbFact]
    public async Task OpenApi_document_lists_every_api_path()
    {
        var client = factory.ClientWith(null);
        var document = await (await client.GetAsync("/openapi/v1.json")).ReadJsonAsync();
        var documented = document["paths"]!.AsObject().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);

        var mapped = factory.Get<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(p => p.StartsWith("/api/", StringComparison.Ordinal))
            .Select(p => p.TrimEnd('/'))
            .ToHashSet(StringComparer.Ordinal);

        mapped.Should().NotBeEmpty();
        documented.Should().BeEquivalentTo(mapped);
    }

    [DbFact]
    public async Task Api_reference_page_is_served() =>
        (await factory.ClientWith(null).GetAsync("/scalar/v1")).StatusCode.Should().Be(HttpStatusCode.OK);

    [DbFact]
    public async Task Api_without_a_token_is_a_401_problem()
    {
        var response = await factory.ClientWith(null).GetAsync("/api/v1/me");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().Should().Contain("Bearer");
        problem["detail"]!.GetValue<string>().Should().Contain("Bearer");
    }

    [DbFact]
    public void Node_keeps_its_data_where_configured()
    {
        File.Exists(Path.Combine(factory.DataDirectory, "node-key.pem")).Should().BeTrue();
        File.Exists(factory.SqlitePath).Should().Be(!factory.IsPostgres);
        factory.Database.Options.Provider.Should().Be(factory.IsPostgres ? Core.Data.DatabaseProvider.Postgres : Core.Data.DatabaseProvider.Sqlite);
        Directory.Exists(Path.Combine(AppContext.BaseDirectory, "ribat-data")).Should().BeFalse("the test host must not fall back to ./ribat-data");
    }
}

public sealed class HealthAndOpenApiTestsSqlite(SqliteFactory factory) : HealthAndOpenApiTests<SqliteFactory>(factory);

public sealed class HealthAndOpenApiTestsPostgres(PostgresFactory factory) : HealthAndOpenApiTests<PostgresFactory>(factory);
