using System.Text;
using MimeKit;
using MimeKit.Cryptography;

namespace Ribat.Forensics.Email;

/// <summary>
/// Reads Authentication-Results, Received-SPF, ARC-Seal and DKIM-Signature headers, and verifies each DKIM signature
/// whose key the operator gave. The summary results come from the topmost Authentication-Results header written by an
/// internal server (any server when no internal domain is listed): lower ones were written before the message reached
/// the recipient and may have been added by the sender.
/// </summary>
internal static class AuthenticationReader
{
    public static AuthenticationSummary Read(MimeMessage message, EmailAnalysisOptions options, List<HeaderAnomaly> anomalies)
    {
        var results = new List<AuthenticationResultEntry>();
        var receivedSpf = new List<string>();
        var signatures = new List<DkimSignatureCheck>();
        var arcSets = 0;
        string? spf = null, dkim = null, dmarc = null, arc = null;
        var summarised = false;
        foreach (var header in message.Headers)
        {
            switch (header.Id)
            {
                case HeaderId.AuthenticationResults:
                    var before = results.Count;
                    if (!TryRead(header, results))
                    {
                        anomalies.Add(new HeaderAnomaly("damaged-header", Severity.Info, $"an Authentication-Results header cannot be read: '{Shorten(header.Value)}'."));
                        break;
                    }

                    if (!summarised && Trusted(results[before..], options.Internal))
                    {
                        summarised = true;
                        Summarise(results, before, ref spf, ref dkim, ref dmarc, ref arc);
                    }

                    break;
                case HeaderId.ReceivedSPF:
                    var word = header.Value.TrimStart().Split([' ', '\t', '('], 2)[0].ToLowerInvariant();
                    receivedSpf.Add(word);
                    break;
                case HeaderId.ArcSeal:
                    arcSets++;
                    break;
                case HeaderId.DkimSignature:
                    signatures.Add(DkimCheck.Verify(message, header, options.DkimKeys));
                    break;
            }
        }

        spf ??= receivedSpf.Count > 0 ? receivedSpf[0] : null;
        return new AuthenticationSummary(spf, dkim, dmarc, arc, results, receivedSpf, signatures, arcSets);
    }

    private static bool TryRead(Header header, List<AuthenticationResultEntry> results)
    {
        if (!AuthenticationResults.TryParse(Encoding.UTF8.GetBytes(header.Value), out var parsed))
        {
            return false;
        }

        foreach (var method in parsed.Results)
        {
            var properties = new List<KeyValuePair<string, string>>(method.Properties.Count);
            foreach (var property in method.Properties)
            {
                properties.Add(new($"{property.PropertyType}.{property.Property}", property.Value));
            }

            results.Add(new AuthenticationResultEntry(parsed.AuthenticationServiceIdentifier, method.Method.ToLowerInvariant(), method.Result.ToLowerInvariant(), properties));
        }

        return true;
    }

    private static bool Trusted(List<AuthenticationResultEntry> entries, InternalNetworks internalNetworks) =>
        internalNetworks.Domains.Count == 0 || entries.Count == 0 || internalNetworks.IsInternalHost(entries[0].AuthServId);

    private static void Summarise(List<AuthenticationResultEntry> results, int from, ref string? spf, ref string? dkim, ref string? dmarc, ref string? arc)
    {
        for (var i = from; i < results.Count; i++)
        {
            var entry = results[i];
            switch (entry.Method)
            {
                case "spf":
                    spf ??= entry.Result;
                    break;
                case "dkim":
                    // One passing signature is enough for DKIM (RFC 6376 §6.1): any pass wins.
                    dkim = dkim is null || entry.Result == "pass" ? entry.Result : dkim;
                    break;
                case "dmarc":
                    dmarc ??= entry.Result;
                    break;
                case "arc":
                    arc ??= entry.Result;
                    break;
            }
        }
    }

    internal static string Shorten(string text) => text.Length <= 120 ? text : text[..117] + "...";
}
