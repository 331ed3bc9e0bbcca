using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Ribat.Api;
using Ribat.Taxii;
using Ribat.Core;
using Ribat.Core.Data;
using Ribat.Core.Jobs;
using Ribat.Core.Tenancy;
using Ribat.Web;
using Scalar.AspNetCore;

namespace Ribat.Hosting;

/// <summary>Builds the node's web host: UI, REST API, health, OpenAPI. Start-up work runs in <see cref="NodeStartup"/>.</summary>
public static class RibatWebHost
{
    public const string SignInRateLimit = "sign-in";

    public static WebApplication Build(string[] hostArgs, IReadOnlyDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = hostArgs,
            ApplicationName = typeof(RibatWebHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseStaticWebAssets();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 10 * 1024 * 1024);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Authentication", LogLevel.Warning);

        // Four lines per request ("starting", "executing", "executed", "finished") cost a TAXII page more than its
        // query; failures still log, and the audit log already records who read what.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Routing.EndpointMiddleware", LogLevel.Warning);

        // A failed start is reported by the CLI as one line; the host's own "Hosting failed to start" entry
        // would print the whole stack trace to the operator's terminal first.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        ConfigureServices(builder.Services);

        var app = builder.Build();
        ConfigurePipeline(app);
        return app;
    }

    private static void ConfigureServices(IServiceCollection services)
    {
        // Read lazily: tests and the CLI both supply settings through configuration.
        services.AddSingleton(sp => NodeSettings.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => new RibatDatabase(sp.GetRequiredService<NodeSettings>().Database));
        services.AddSingleton<NodeIdentity>();
        services.AddHostedService<NodeStartup>();
        services.AddRibatCore();
        services.Replace(ServiceDescriptor.Singleton<Core.Federation.Sync.INodeSignature, NodeKeySignature>());
        services.AddOptions<Core.Federation.Sync.FederationSyncOptions>().Configure<IConfiguration>(FederationSyncSettings.Apply);

        // Background work that belongs to a serving node only, not to the CLI commands that also build the core.
        services.AddHostedService<Core.Cooperation.ClockSweepService>();
        services.AddHostedService<Core.Notifications.NotificationWorker>();
        services.AddHostedService<Core.Federation.Sync.PartnerSyncWorker>();
        services.AddJobWorker();
        services.TryAddSingleton<Core.Jobs.ITrafficChart, Cli.TrafficChartPicture>();
        services.AddOptions<Core.Jobs.JobOptions>().Configure<NodeSettings, IConfiguration>(JobSettings.Apply);
        services.AddHostedService<Core.Evidence.UnfinishedUploads>();
        services.TryAddSingleton<Core.Capture.IPageCapturer, Capture.ChromiumPageCapturer>();
        services.AddTaxiiServer();
        services.AddOptions<Core.Evidence.EvidenceStoreOptions>()
            .Configure<NodeSettings>((o, node) => o.Directory = Core.Evidence.EvidenceStore.DirectoryIn(node.DataDirectory));
        services.AddOptions<Core.Findings.AnalysisOptions>()
            .Configure<NodeSettings>((o, node) => o.YaraDirectory ??= Path.Combine(Path.GetFullPath(node.DataDirectory), "yara"));

        services.AddHttpContextAccessor();
        new IdentityBuilder(typeof(RibatUser), typeof(IdentityRole<Guid>), services)
            .AddSignInManager<RibatSignInManager>()
            .AddClaimsPrincipalFactory<RibatClaimsFactory>();
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = "ribat";
                o.DefaultChallengeScheme = "ribat";
            })
            .AddPolicyScheme("ribat", "Session cookie for the UI, API token for /api", o =>
                o.ForwardDefaultSelector = context => context.Request.Path.StartsWithSegments(RibatApi.Prefix)
                    ? ApiTokenAuthenticationHandler.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "ribat.session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/denied";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
        });
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(SignInRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 20, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });

        services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.AddTraceId);
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o => o.SerializerOptions.MaxDepth = 32);
        services.AddOpenApi(o => o.AddDocumentTransformer(ApiDocument.Describe));
        services.AddHealthChecks().AddCheck<ReadinessCheck>("database", tags: ["ready"]);
        services.AddRibatWeb();
    }

    private static void ConfigurePipeline(WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseWhen(c => c.Request.Path.StartsWithSegments(RibatApi.Prefix), api => api.UseStatusCodePages());
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseSecurityHeaders();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseBodyLimits();
        app.UseAntiforgery();
        app.UseRibatWeb();

        app.MapStaticAssets().AllowAnonymous();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference(o => o.WithTitle("Ribat API")).AllowAnonymous();
        app.MapRibatApi();
        app.MapTaxiiServer();
        app.MapRibatWeb();
    }
}

/// <summary>Ready once start-up finished and the database is reachable with every migration applied.</summary>
internal sealed class ReadinessCheck(RibatDatabase database, NodeIdentity identity) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!identity.Ready)
        {
            return HealthCheckResult.Unhealthy("The node is still starting.");
        }

        return await database.IsReadyAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The database is unreachable or not migrated.");
    }
}
