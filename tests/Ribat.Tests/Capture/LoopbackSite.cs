using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Ribat.Tests.Capture;

/// <summary>
/// A small web site on a free loopback port, for pages to capture: a redirect to a page with a telling header, a
/// page that never finishes loading, and a 404 page.
/// </summary>
public sealed class LoopbackSite : IAsyncDisposable
{
    public const string Threat = "You will regret this. Pay 0.5 BTC.";

    /// <summary>Where a cloud's metadata service answers: a link-local address no capture may load.</summary>
    public const string MetadataUrl = "http://169.254.169.254/latest/meta-data/";

    private readonly WebApplication _app;

    private LoopbackSite(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public Uri Url(string path) => new(Address, path);

    public static async Task<LoopbackSite> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/start", () => Results.Redirect("/profile/42"));
        app.MapGet("/profile/{id}", (HttpContext http, string id) =>
        {
            http.Response.Headers["X-Served-By"] = "loopback-site";
            return Results.Content($"<!doctype html><html><head><title>Profile {id}</title></head><body style=\"height:3000px\"><h1>{Threat}</h1></body></html>", "text/html; charset=utf-8");
        });
        app.MapGet("/slow", async (HttpContext http) =>
        {
            http.Response.ContentType = "text/html";
            await http.Response.WriteAsync("<!doctype html><html><body><p>loading");
            await http.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        app.MapGet("/leaky", () => Results.Content(
            $"<!doctype html><html><body><h1>{Threat}</h1><img src=\"{MetadataUrl}\"></body></html>", "text/html; charset=utf-8"));
        app.MapGet("/to-metadata", () => Results.Redirect(MetadataUrl));
        app.MapGet("/gone", () => Results.Content("<!doctype html><html><body><h1>This account has been suspended</h1></body></html>", "text/html", statusCode: 404));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackSite(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}

/// <summary>Tests that each start a fresh <see cref="LoopbackSite"/> before every test and stop it after.</summary>
public abstract class LoopbackSiteTests : IAsyncLifetime
{
    private LoopbackSite? _site;

    protected LoopbackSite Site => _site!;

    public async Task InitializeAsync() => _site = await LoopbackSite.StartAsync();

    public async Task DisposeAsync()
    {
        if (_site is not null)
        {
            await _site.DisposeAsync();
        }
    }
}
