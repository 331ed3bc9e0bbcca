using System.Globalization;
using Ribat.Forensics.Pcap;

namespace Ribat.Cli;

/// <summary>The vectors and reflectors section of the table output, kept apart so the report stays readable.</summary>
internal static class VectorReport
{
    /// <summary>Reflectors listed in the table; the JSON carries the full top list.</summary>
    private const int TableReflectors = 10;

    public static void WriteTable(TrafficSummary summary, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine(summary.Vectors.Count == 0 ? "Vectors    none past the thresholds" : "Vector                          Packets        Bytes    Share");
        foreach (var vector in summary.Vectors)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{vector.Name,-28}{vector.Packets,11:N0}{vector.Bytes,13:N0}{vector.Share,9:P1}"));
            output.WriteLine($"  {string.Join("; ", vector.Evidence)}");
        }

        foreach (var carpet in summary.CarpetBombing)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Carpet bombing of {carpet.Prefix}: {carpet.Destinations:N0} addresses, {carpet.Share:P1} of bytes, busiest address {carpet.TopDestinationShare:P1} of the prefix"));
        }

        var spoofing = summary.Spoofing;
        if (spoofing.Reasons.Count > 0)
        {
            output.WriteLine(spoofing.Likely ? "Sources are likely spoofed:" : "Sign of spoofed sources:");
            output.WriteLine($"  {string.Join("; ", spoofing.Reasons)}");
        }

        if (summary.Reflectors.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine("Reflectors");
        for (var i = 0; i < Math.Min(TableReflectors, summary.Reflectors.Count); i++)
        {
            var r = summary.Reflectors[i];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {r.Address,-40}{r.Vector,-28}{r.Packets,9:N0}{r.Bytes,13:N0}  TTL {r.MinTtl}-{r.MaxTtl}"));
        }
    }
}
