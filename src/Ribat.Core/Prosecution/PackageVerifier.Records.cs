using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ribat.Core.Evidence;

namespace Ribat.Core.Prosecution;

public static partial class PackageVerifier
{
    /// <summary>The signing key's fingerprint, and whether it matched a key or fingerprint the verifier was given.</summary>
    private static (string? Fingerprint, bool Pinned) CheckSignature(byte[] manifestBytes, PackageManifest? manifest, PackageSignature signature, PackageTrust trust, List<string> problems)
    {
        if (signature.Algorithm != PackageFormat.SignatureAlgorithm || signature.Encoding != PackageFormat.SignatureEncoding)
        {
            problems.Add($"signature forged: {PackageFormat.SignaturePath} names {signature.Algorithm}/{signature.Encoding}, not {PackageFormat.SignatureAlgorithm}/{PackageFormat.SignatureEncoding}");
            return (null, false);
        }

        using var key = ECDsa.Create();
        byte[] spki;
        try
        {
            key.ImportFromPem(signature.PublicKey);
            spki = key.ExportSubjectPublicKeyInfo();
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            problems.Add($"signature forged: {PackageFormat.SignaturePath} holds no usable public key");
            return (null, false);
        }

        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(spki));
        if (!Same(signature.Fingerprint, fingerprint))
        {
            problems.Add($"signature forged: {PackageFormat.SignaturePath} gives fingerprint {signature.Fingerprint}, but its public key's is {fingerprint}");
        }

        if (manifest is not null && !Same(manifest.NodeFingerprint, fingerprint))
        {
            problems.Add($"signature forged: the manifest names node key {manifest.NodeFingerprint}, but the package is signed with key {fingerprint}");
        }

        var signed = false;
        try
        {
            signed = key.VerifyData(manifestBytes, Convert.FromBase64String(signature.Signature), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (FormatException)
        {
        }

        if (!signed)
        {
            problems.Add($"signature forged or manifest.json changed: the signature does not verify with the package's public key {fingerprint}");
        }

        return (fingerprint, Pinned(fingerprint, spki, trust, problems));
    }

    private static bool Pinned(string fingerprint, byte[] spki, PackageTrust trust, List<string> problems)
    {
        if (trust.PublicKey is { } published)
        {
            if (!spki.AsSpan().SequenceEqual(published))
            {
                problems.Add($"key does not match: the package is signed with key {fingerprint}, not with the given public key ({Convert.ToHexStringLower(SHA256.HashData(published))})");
                return false;
            }

            return true;
        }

        if (trust.Fingerprint is { } given)
        {
            var wanted = NormaliseFingerprint(given);
            if (wanted != fingerprint)
            {
                problems.Add($"key does not match the given fingerprint: the package is signed with key {fingerprint}, not {wanted}");
                return false;
            }

            return true;
        }

        return false;
    }

    /// <summary>Fingerprints are read out with colons or spaces and in either case.</summary>
    public static string NormaliseFingerprint(string text) =>
        new(text.Where(c => c is not (':' or ' ' or '-')).Select(char.ToLowerInvariant).ToArray());

    private static int CheckCustody(PackageManifest manifest, Dictionary<string, byte[]> contents, List<string> problems)
    {
        var count = 0;
        var logged = new HashSet<Guid>();
        foreach (var file in manifest.Files.Where(f => f.Role == PackageFormat.CustodyRole && f.ItemId is not null))
        {
            var item = file.ItemId!.Value;
            logged.Add(item);
            var log = Read<PackagedCustody>(contents, file.Path, problems);
            var acquisition = Read<PackagedAcquisition>(contents, PackageFormat.AcquisitionPath(item), problems);
            if (log?.Entries is null)
            {
                continue;
            }

            count += log.Entries.Count;
            CheckChain(item, log, acquisition, problems);
            var evidence = manifest.Files.FirstOrDefault(f => f.Role == PackageFormat.EvidenceRole && f.ItemId == item);
            if (evidence is not null && acquisition is not null && !Same(evidence.Sha256, acquisition.Sha256))
            {
                problems.Add($"item {item}: the evidence file {evidence.Path} is not the file acquired (SHA-256 {evidence.Sha256}, acquired {acquisition.Sha256})");
            }
        }

        foreach (var evidence in manifest.Files.Where(f => f.Role == PackageFormat.EvidenceRole && (f.ItemId is null || !logged.Contains(f.ItemId.Value))))
        {
            problems.Add($"item {evidence.ItemId}: the evidence file {evidence.Path} has no custody log in the package");
        }

        return count;
    }

    private static void CheckChain(Guid item, PackagedCustody log, PackagedAcquisition? acquisition, List<string> problems)
    {
        if (log.ItemId != item || log.Entries.Count == 0)
        {
            problems.Add($"custody log of item {item} is broken: it is empty or names another item");
            return;
        }

        var previous = CustodyChain.Genesis;
        for (var i = 0; i < log.Entries.Count; i++)
        {
            var packaged = log.Entries[i];
            var entry = packaged.ToEntry(item);
            var broken = entry is null ? $"entry {packaged.Sequence} names no custody step ('{packaged.Action}')" : CustodyChain.Check(entry, i + 1, previous);
            if (broken is not null)
            {
                problems.Add($"custody entry {packaged.Sequence} of item {item} is broken: {broken}");
            }

            previous = packaged.Hash;
        }

        var first = log.Entries[0];
        if (acquisition is not null && (first.Action != "acquire" || !Same(first.AcquisitionDigest, CustodyChain.AcquisitionDigest(acquisition.ToItem()))))
        {
            problems.Add($"custody entry 1 of item {item} is broken: the acquisition record ({PackageFormat.AcquisitionPath(item)}) is not the one it covers");
        }
    }

    private static T? Read<T>(Dictionary<string, byte[]> contents, string path, List<string> problems)
        where T : class
    {
        // A file missing from the contents was already named as removed or damaged.
        return contents.TryGetValue(path, out var bytes) ? Complete(Parse<T>(bytes, path, problems), path, problems) : null;
    }

    private static void CheckCaseUco(PackageManifest manifest, Dictionary<string, byte[]> contents, List<string> problems)
    {
        if (!contents.TryGetValue(PackageFormat.CaseUcoPath, out var bytes))
        {
            return;
        }

        JsonNode? document;
        try
        {
            document = JsonNode.Parse(bytes);
        }
        catch (JsonException ex)
        {
            problems.Add($"file {PackageFormat.CaseUcoPath} is not valid JSON-LD: {ex.Message}");
            return;
        }

        var described = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in (document?["@graph"] as JsonArray ?? []).OfType<JsonObject>().Where(n => Text(n["@type"]) == CaseUcoDocument.FileType))
        {
            var facets = (node["uco-core:hasFacet"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            var path = facets.Select(f => Text(f["uco-observable:filePath"])).FirstOrDefault(p => p is not null);
            var listed = manifest.Files.FirstOrDefault(f => f.Path == path && f.Role == PackageFormat.EvidenceRole);
            if (listed is null)
            {
                problems.Add($"{PackageFormat.CaseUcoPath}: file {Text(node["@id"])} names {path ?? "no path"}, which the manifest does not list as evidence");
                continue;
            }

            described.Add(listed.Path);
            var content = facets.FirstOrDefault(f => Text(f["@type"]) == CaseUcoDocument.ContentFacetType);
            var hashes = (content?["uco-observable:hash"] as JsonArray ?? []).OfType<JsonObject>()
                .ToDictionary(h => Text(h["uco-types:hashMethod"]?["@value"]) ?? string.Empty, h => Text(h["uco-types:hashValue"]?["@value"]));
            foreach (var (method, expected) in new[] { ("MD5", listed.Md5), ("SHA1", listed.Sha1), ("SHA256", listed.Sha256) })
            {
                if (!Same(hashes.GetValueOrDefault(method), expected))
                {
                    problems.Add($"{PackageFormat.CaseUcoPath}: the {method} of {listed.Path} is {hashes.GetValueOrDefault(method) ?? "missing"}, the manifest says {expected}");
                }
            }

            if (Text(content?["uco-observable:sizeInBytes"]?["@value"]) != listed.Size.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                problems.Add($"{PackageFormat.CaseUcoPath}: the size of {listed.Path} differs from the manifest's {listed.Size}");
            }
        }

        foreach (var missing in manifest.Files.Where(f => f.Role == PackageFormat.EvidenceRole && !described.Contains(f.Path)))
        {
            problems.Add($"{PackageFormat.CaseUcoPath}: does not describe the evidence file {missing.Path}");
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
