using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Ribat.Testing;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests;

/// <summary><c>ribat serve</c> as a subprocess: first start, a second start, and start-up faults.</summary>
public sealed class CliServeTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _data = Directory.CreateTempSubdirectory("ribat-serve-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }


    private static async Task<(RibatProcess Process, string Url)> StartAsync(string data)
    {
        var url = $"http://127.0.0.1:{LoopbackPort.Free()}";
        var process = RibatProcess.Start("serve", "--data", data, "--urls", url);
        var listening = await process.WaitForLineAsync(l => l.StartsWith("Ribat is listening", StringComparison.Ordinal), StartTimeout);
        listening.Should().NotBeNull($"the node should start.\nstdout: {process.Stdout}\nstderr: {process.Stderr}");
        return (process, url);
    }

    [Fact]
    public async Task First_start_prints_the_admin_password_once_and_becomes_ready_and_cli_tokens_work()
    {
        string firstStdout;
        var (first, url) = await StartAsync(_data);
        await using (first)
        {
            firstStdout = first.Stdout;
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.ExpectContinue = true; // the server may refuse a body before it is sent
            (await http.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK);

            // The CLI writes to the same SQLite file while the server runs.
            (await RibatProcess.RunAsync("admin", "org", "add", "--name", "Live Org", "--country", "FR", "--kind", "cert", "--data", _data)).ExitCode.Should().Be(0);
            (await RibatProcess.RunAsync("admin", "user", "add", "--org", "Live Org", "--email", "live@cert.example", "--role", "org-admin", "--data", _data)).ExitCode.Should().Be(0);
            var token = await RibatProcess.RunAsync("admin", "token", "add", "--user", "live@cert.example", "--scope", "write", "--data", _data);
            token.ExitCode.Should().Be(0, token.ToString());

            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Stdout.Trim());
            var me = await http.GetAsync("/api/v1/me");
            me.StatusCode.Should().Be(HttpStatusCode.OK, await me.Content.ReadAsStringAsync());
            (await me.Content.ReadAsStringAsync()).Should().Contain("live@cert.example");

            // Kestrel's 10 MB request limit: a problem detail, not a crash.
            var huge = new StringContent("{\"name\":\"" + new string('x', 11 * 1024 * 1024) + "\"}", Encoding.UTF8, "application/json");
            var refused = await http.PostAsync("/api/v1/organisations", huge);
            refused.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
            refused.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");

            // Each endpoint's own limit: a batch may pass the server-wide 10 MB, a sighting stops at 256 KiB even when its length is not announced.
            var padded = "{\"type\":\"md5\",\"value\":\"" + new string('0', 32) + "\",\"padding\":\"" + new string('x', 12 * 1024 * 1024) + "\"}";
            var batch = await http.PostAsync("/api/v1/indicators", new StringContent(padded, Encoding.UTF8, "application/json"));
            batch.StatusCode.Should().Be(HttpStatusCode.Created, await batch.Content.ReadAsStringAsync());
            var indicator = System.Text.Json.Nodes.JsonNode.Parse(await batch.Content.ReadAsStringAsync())!["ids"]![0]!.GetValue<Guid>();
            var chunked = System.Net.Http.Json.JsonContent.Create(new { comment = new string('x', 300 * 1024) });
            var sighting = await http.PostAsync($"/api/v1/indicators/{indicator}/sightings", chunked);
            sighting.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
            (await sighting.Content.ReadAsStringAsync()).Should().Contain("larger than this endpoint accepts (256 KiB)");
        }

        firstStdout.Should().Contain("Node administrator: admin@ribat.local");
        firstStdout.Should().MatchRegex(@"One-time password:\s+[A-Za-z0-9]{20}\s");
        firstStdout.Split("One-time password").Should().HaveCount(2, "the password is printed exactly once");

        var (second, _) = await StartAsync(_data);
        await using (second)
        {
            second.Stdout.Should().NotContain("One-time password").And.NotContain("Node administrator:");
        }
    }

    [Fact]
    public async Task Port_in_use_is_one_line_and_exit_2()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            await using var process = RibatProcess.Start("serve", "--data", _data, "--urls", $"http://127.0.0.1:{port}");
            var result = await process.WaitAsync(StartTimeout);
            CliAdminTests.ShouldFailWithOneLine(result, 2, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            process.Stdout.Should().NotContain("One-time password", "no administrator is created by a start that could not listen");
        }
        finally
        {
            listener.Stop();
        }

        // The failed start created no administrator, so the next start still shows the one-time password.
        var (next, _) = await StartAsync(_data);
        await using (next)
        {
            (await next.WaitForLineAsync(l => l.StartsWith("One-time password", StringComparison.Ordinal), StartTimeout))
                .Should().NotBeNull($"stdout: {next.Stdout}");
        }
    }

    [Fact]
    public async Task Data_directory_that_cannot_be_created_is_one_line_and_exit_2()
    {
        var file = Path.Combine(_data, "a-regular-file");
        await File.WriteAllTextAsync(file, "not a directory");
        var below = Path.Combine(file, "data");

        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("serve", "--data", below, "--urls", $"http://127.0.0.1:{LoopbackPort.Free()}"), 2, "data directory");
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("admin", "migrate", "--data", below), 2, "data directory");
    }

    [Fact]
    public async Task Unreachable_postgres_is_one_line_and_exit_2()
    {
        const string nowhere = "Host=127.0.0.1;Port=1;Username=x;Database=x;Timeout=3";

        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("serve", "--data", _data, "--database", nowhere, "--urls", $"http://127.0.0.1:{LoopbackPort.Free()}"), 2, "PostgreSQL 127.0.0.1:1/x");
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("admin", "migrate", "--data", _data, "--database", nowhere), 2, "PostgreSQL");
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("admin", "list", "orgs", "--data", _data, "--database", "Host=127.0.0.1;Port=1;Password=secret-pw;Timeout=3"), 2);
        (await RibatProcess.RunAsync("admin", "migrate", "--data", _data, "--database", "Host=127.0.0.1;Port=1;Password=secret-pw;Timeout=3")).Stderr.Should().NotContain("secret-pw");
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("admin", "migrate", "--data", _data, "--database", "this is not a connection string"), 2, "--database");
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("ftp://127.0.0.1:21")]
    [InlineData("http://127.0.0.1:5080/sub/path")]
    [InlineData("http://127.0.0.1:99999")]
    public async Task Invalid_urls_are_one_line_and_exit_2(string urls) =>
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("serve", "--data", _data, "--urls", urls), 2, "urls");
}
