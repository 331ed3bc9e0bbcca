namespace Ribat.Forensics.Tests.Pcap;

/// <summary>
/// A test that compares Ribat with tshark run on the spot. It runs when tshark is installed or RIBAT_TEST_TSHARK=1
/// (CI sets it and installs tshark), and is skipped with the reason otherwise; asked for without tshark, it fails.
/// </summary>
public sealed class TsharkTheoryAttribute : TheoryAttribute
{
    public const string TsharkPath = "/usr/bin/tshark";

    public TsharkTheoryAttribute()
    {
        if (!File.Exists(TsharkPath) && Environment.GetEnvironmentVariable("RIBAT_TEST_TSHARK") != "1")
        {
            Skip = $"Needs tshark at {TsharkPath} (or set RIBAT_TEST_TSHARK=1 to require it).";
        }
    }
}
