using Ribat.Core.Federation.Sync;
using Ribat.Stix.Signing;
namespace Ribat.Hosting;

/// <summary>
/// Where the node's analyses find their Sigma rules (<c>Ribat:SigmaDirectory</c> or <c>RIBAT_SIGMA</c>, default
/// <c>&lt;data&gt;/sigma</c>) and GeoIP databases (<c>Ribat:GeoIpAsn</c>/<c>Country</c>/<c>City</c> or
/// <c>RIBAT_GEOIP_ASN</c>/<c>COUNTRY</c>/<c>CITY</c>, as <c>ribat enrich</c> reads them).
/// </summary>
internal static class JobSettings
{
    public static void Apply(Core.Jobs.JobOptions options, NodeSettings node, IConfiguration configuration)
    {
        options.SigmaDirectory ??= Setting(configuration, "Ribat:SigmaDirectory", "RIBAT_SIGMA") is { } sigma
            ? Path.GetFullPath(sigma)
            : Path.Combine(Path.GetFullPath(node.DataDirectory), "sigma");
        options.AsnDatabase ??= Setting(configuration, "Ribat:GeoIpAsn", Cli.GeoDatabaseOptions.AsnVariable);
        options.CountryDatabase ??= Setting(configuration, "Ribat:GeoIpCountry", Cli.GeoDatabaseOptions.CountryVariable);
        options.CityDatabase ??= Setting(configuration, "Ribat:GeoIpCity", Cli.GeoDatabaseOptions.CityVariable);
    }

    // An empty value counts as unset, as the CLI's GeoIP options do.
    private static string? Setting(IConfiguration configuration, string key, string variable) =>
        configuration[key] is { Length: > 0 } given ? given
        : Environment.GetEnvironmentVariable(variable) is { Length: > 0 } set ? set
        : null;
}
