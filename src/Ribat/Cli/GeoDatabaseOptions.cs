using System.CommandLine;
using Ribat.Forensics.Enrichment;

namespace Ribat.Cli;

/// <summary>
/// <c>--asn-db</c>, <c>--country-db</c> and <c>--city-db</c>, falling back to <c>RIBAT_GEOIP_ASN</c>,
/// <c>RIBAT_GEOIP_COUNTRY</c> and <c>RIBAT_GEOIP_CITY</c> so an analyst sets the paths once per shell.
/// </summary>
internal sealed class GeoDatabaseOptions
{
    public const string AsnVariable = "RIBAT_GEOIP_ASN";
    public const string CountryVariable = "RIBAT_GEOIP_COUNTRY";
    public const string CityVariable = "RIBAT_GEOIP_CITY";

    public Option<string?> Asn { get; } = new("--asn-db") { Description = $"MaxMind-format ASN database (.mmdb), or {AsnVariable}.", HelpName = "PATH" };

    public Option<string?> Country { get; } = new("--country-db") { Description = $"MaxMind-format Country database, or {CountryVariable}.", HelpName = "PATH" };

    public Option<string?> City { get; } = new("--city-db") { Description = $"MaxMind-format City database (also answers country), or {CityVariable}.", HelpName = "PATH" };

    public void AddTo(Command command)
    {
        command.Options.Add(Asn);
        command.Options.Add(Country);
        command.Options.Add(City);
    }

    /// <summary>
    /// The enricher the options and environment name; (null, null) when none is named, (null, error) when one is unfit.
    /// </summary>
    public (AddressEnricher? Enricher, string? Error) Open(ParseResult parsed)
    {
        var asn = Path(parsed, Asn, AsnVariable);
        var country = Path(parsed, Country, CountryVariable);
        var city = Path(parsed, City, CityVariable);
        if (asn is null && country is null && city is null)
        {
            return (null, null);
        }

        var opened = AddressEnricher.Open(asn, country, city);
        return (opened.Enricher, opened.Error);
    }

    // An empty variable counts as unset, so 'RIBAT_GEOIP_CITY= ribat …' switches one off.
    private static string? Path(ParseResult parsed, Option<string?> option, string variable) =>
        parsed.GetValue(option) is { Length: > 0 } given ? given
        : Environment.GetEnvironmentVariable(variable) is { Length: > 0 } set ? set
        : null;
}
