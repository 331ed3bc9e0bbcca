using System.Globalization;
using System.CommandLine;
using System.Net;
using System.Text.Json;
using Ribat.Forensics.Enrichment;

namespace Ribat.Cli;

/// <summary><c>ribat enrich IP…</c>: AS, country and city of addresses from local MaxMind-format databases.</summary>
internal static class EnrichCommand
{
    public static Command Create()
    {
        var addresses = new Argument<string[]>("IP") { Description = "IPv4 or IPv6 addresses.", Arity = ArgumentArity.OneOrMore };
        var format = new Option<string>("--format") { Description = "table (default) or json.", DefaultValueFactory = _ => "table", HelpName = "FORMAT" };
        var databases = new GeoDatabaseOptions();
        var enrich = new Command("enrich",
            "Show the AS number and organisation, country and city of each address, and the network that matched, from " +
            "MaxMind-format databases on this machine. At least one database is needed. Unknown fields are empty (null in JSON).")
        {
            addresses, format,
        };
        databases.AddTo(enrich);
        enrich.SetAction(parsed =>
        {
            var output = parsed.GetValue(format)!.ToLowerInvariant();
            if (output is not ("table" or "json"))
            {
                return CliOutput.Fail($"--format must be table or json, not '{parsed.GetValue(format)}'.");
            }

            var parsedAddresses = new List<IPAddress>();
            foreach (var text in parsed.GetValue(addresses)!)
            {
                // IPAddress.TryParse also takes "1" or "0x7f.1"; only the usual spellings are addresses here.
                if (!IPAddress.TryParse(text, out var address) || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && text.Count(c => c == '.') != 3))
                {
                    return CliOutput.Fail($"'{text}' is not an IP address.");
                }

                parsedAddresses.Add(address);
            }

            var (enricher, error) = databases.Open(parsed);
            if (error is not null)
            {
                return CliOutput.Fail(error);
            }

            if (enricher is null)
            {
                return CliOutput.Fail($"no database given: use --asn-db, --country-db or --city-db (or {GeoDatabaseOptions.AsnVariable}, {GeoDatabaseOptions.CountryVariable}, {GeoDatabaseOptions.CityVariable}).");
            }

            using (enricher)
            {
                var rows = parsedAddresses.Select(a => (Address: a, Origin: enricher.Lookup(a))).ToList();
                if (output == "json")
                {
                    WriteJson(rows, Console.OpenStandardOutput());
                }
                else
                {
                    CliOutput.Write(OutputFormat.Table, rows,
                    [
                        ("ADDRESS", r => r.Address.ToString()),
                        ("ASN", r => r.Origin.Asn),
                        ("AS ORGANIZATION", r => r.Origin.AsOrganization),
                        ("COUNTRY", r => r.Origin.CountryCode),
                        ("COUNTRY NAME", r => r.Origin.CountryName),
                        ("CITY", r => r.Origin.City),
                        ("NETWORK", r => r.Origin.Network?.ToString()),
                    ]);
                }

                if (DamageNote(enricher) is { } damage)
                {
                    Console.Error.WriteLine($"warning: {damage}");
                }
            }

            return ExitCodes.Ok;
        });
        return enrich;
    }

    internal static string? DamageNote(AddressEnricher? enricher) => AddressOriginJson.DamageNote(enricher);

    private static void WriteJson(List<(IPAddress Address, AddressOrigin Origin)> rows, Stream output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartArray();
        foreach (var (address, origin) in rows)
        {
            json.WriteStartObject();
            json.WriteString("address", address.ToString());
            WriteOrigin(json, origin);
            json.WriteString("network", origin.Network?.ToString());
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.Flush();
        output.Write("\n"u8);
    }

    /// <summary>The fields every enriched address carries in JSON, shared with <c>ribat analyze pcap</c> and the server.</summary>
    internal static void WriteOrigin(Utf8JsonWriter json, AddressOrigin origin) => AddressOriginJson.Write(json, origin);
}
