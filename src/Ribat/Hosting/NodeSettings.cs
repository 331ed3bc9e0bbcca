using Microsoft.Extensions.Configuration;
using Ribat.Core.Data;

namespace Ribat.Hosting;

/// <summary>
/// Where a node keeps its data and how it starts. Read from configuration keys <c>Ribat:*</c>, which the
/// CLI fills from its options and the <c>RIBAT_*</c> environment variables (options win).
/// </summary>
public sealed record NodeSettings(string DataDirectory, string? DatabaseConnection, bool Migrate, string AdminEmail, string? AdminPassword)
{
    public const string DataKey = "Ribat:Data";
    public const string DatabaseKey = "Ribat:Database";
    public const string MigrateKey = "Ribat:Migrate";
    public const string AdminEmailKey = "Ribat:AdminEmail";
    public const string AdminPasswordKey = "Ribat:AdminPassword";
    public const string DefaultUrls = "http://127.0.0.1:5080";
    public const string DefaultAdminEmail = "admin@ribat.local";

    public DatabaseOptions Database => DatabaseOptions.Resolve(Path.GetFullPath(DataDirectory), DatabaseConnection);

    public static NodeSettings From(IConfiguration configuration) => new(
        configuration[DataKey] ?? Environment.GetEnvironmentVariable("RIBAT_DATA") ?? Core.Node.DataDirectory.Default,
        NullIfEmpty(configuration[DatabaseKey] ?? Environment.GetEnvironmentVariable("RIBAT_DATABASE")),
        !string.Equals(configuration[MigrateKey], "false", StringComparison.OrdinalIgnoreCase),
        NullIfEmpty(configuration[AdminEmailKey] ?? Environment.GetEnvironmentVariable("RIBAT_ADMIN_EMAIL")) ?? DefaultAdminEmail,
        NullIfEmpty(configuration[AdminPasswordKey] ?? Environment.GetEnvironmentVariable("RIBAT_ADMIN_PASSWORD")));

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
