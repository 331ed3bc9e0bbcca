using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Cooperation;

/// <summary>A clock tests move by hand: it starts at the real time and only goes forward when told.</summary>
public sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>A node whose every use case reads the time from one <see cref="ManualClock"/>.</summary>
public abstract class ClockedFactory(bool postgres) : RibatFactory(postgres)
{
    public ManualClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

public sealed class ClockedSqliteFactory() : ClockedFactory(postgres: false);

public sealed class ClockedPostgresFactory() : ClockedFactory(postgres: true);
