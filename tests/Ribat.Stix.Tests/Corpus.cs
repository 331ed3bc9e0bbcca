namespace Ribat.Stix.Tests;

/// <summary>
/// The STIX files of the shared corpus: OASIS examples (oasis-open/cti-stix2-json-schemas @ 3bf9e69d, BSD-3) and MITRE
/// ATT&amp;CK for ICS 18.1 (mitre-attack/attack-stix-data @ 7ad8a86f).
/// </summary>
internal static class Corpus
{
    public static readonly string[] Files =
    [
        "apt1.json", "poisonivy.json", "ics-attack-18.1.json", "indicator-for-c2-ip-address.json",
        "indicator-to-campaign-relationship.json", "indicators-for-C2-with-COA.json", "infrastructure.json",
        "interop-objectmarking-test.json", "malicious-email-indicator-with-attachment.json",
    ];

    public static byte[] Read(string name) => System.IO.File.ReadAllBytes(SharedCorpus.Path("stix", name));
}
