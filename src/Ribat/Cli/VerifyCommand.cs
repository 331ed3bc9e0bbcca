using System.CommandLine;
using System.Security.Cryptography;
using Ribat.Core.Prosecution;

namespace Ribat.Cli;

/// <summary><c>ribat verify PACKAGE.zip [--public-key FILE | --fingerprint HEX]</c>: needs nothing but the package.</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var package = new Argument<string>("PACKAGE.zip") { Description = "The prosecution package to check." };
        var publicKey = new Option<string?>("--public-key") { Description = "The node's published public key (PEM) the package must be signed with.", HelpName = "FILE" };
        var fingerprint = new Option<string?>("--fingerprint")
        {
            Description = "The node key's published SHA-256 fingerprint (hex, colons allowed) the package must be signed with.",
            HelpName = "HEX",
        };
        var verify = new Command("verify",
            "Check a prosecution package offline: the node's signature over its manifest, every file's size and hashes, no file missing or added, every custody chain, " +
            "and the CASE/UCO hashes. Exit 0 with a summary when all hold; 1 naming each thing that does not.") { package, publicKey, fingerprint };
        verify.SetAction(parsed => Run(parsed.GetValue(package)!, parsed.GetValue(publicKey), parsed.GetValue(fingerprint)));
        return verify;
    }

    private static int Run(string path, string? publicKeyFile, string? fingerprint)
    {
        if (publicKeyFile is not null && fingerprint is not null)
        {
            return CliOutput.Fail("give --public-key or --fingerprint, not both.");
        }

        if (fingerprint is not null && PackageVerifier.NormaliseFingerprint(fingerprint) is var hex && (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit)))
        {
            return CliOutput.Fail("--fingerprint is a SHA-256 in hex (64 digits, colons allowed).");
        }

        byte[]? published = null;
        if (publicKeyFile is not null)
        {
            try
            {
                using var key = ECDsa.Create();
                key.ImportFromPem(File.ReadAllText(publicKeyFile));
                published = key.ExportSubjectPublicKeyInfo();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException)
            {
                return CliOutput.Fail($"--public-key {publicKeyFile}: not a readable PEM public key ({ex.Message.TrimEnd('.')}).");
            }
        }

        if (!File.Exists(path))
        {
            return CliOutput.Fail($"{path}: no such file.");
        }

        var result = PackageVerifier.Verify(path, new PackageTrust(published, fingerprint));
        if (result.Error is { } error)
        {
            return CliOutput.Fail(error.Message);
        }

        var report = result.Value!;
        foreach (var problem in report.Problems)
        {
            Console.Out.WriteLine($"FAILED {problem}");
        }

        if (!report.Intact)
        {
            Console.Out.WriteLine($"Package BROKEN: {report.Problems.Count} problem(s) in {path}.");
            return ExitCodes.Refused;
        }

        var signer = report.KeyPinned
            ? $"signed by node key {report.Fingerprint}, which matches the key given"
            : $"signed by node key {report.Fingerprint} (not checked against a published key: pass --fingerprint or --public-key)";
        Console.Out.WriteLine($"Package intact: case \"{report.CaseTitle}\" ({report.CaseId}), {report.EvidenceFiles} evidence file(s), " +
            $"{report.CustodyEntries} custody entries; every file matches the manifest, every custody chain links; {signer}.");
        return ExitCodes.Ok;
    }
}
