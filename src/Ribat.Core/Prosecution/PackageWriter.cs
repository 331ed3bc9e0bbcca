using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Ribat.Core.Common;
using Ribat.Core.Evidence;

namespace Ribat.Core.Prosecution;

/// <summary>
/// Writes a package into a seekable stream, recording each file's size and digests as it goes so the manifest is
/// written last, from what was actually written. Evidence is copied through one pooled buffer and stored
/// uncompressed: a file of any size passes through without being held in memory, and the verifier can treat a
/// highly compressed member as hostile.
/// </summary>
internal sealed class PackageWriter(Stream target) : IDisposable
{
    private readonly ZipArchive _zip = new(target, ZipArchiveMode.Create, leaveOpen: true);
    private readonly List<PackageFile> _files = [];

    public IReadOnlyList<PackageFile> Files => _files;

    public async Task<Result<FileDigests>> AddFileAsync(string path, Guid item, Stream content, CancellationToken cancellationToken)
    {
        var entry = _zip.CreateEntry(path, CompressionLevel.NoCompression);
        await using var output = entry.Open();
        var copied = await ContentStore.CopyHashingAsync(content, output, cancellationToken);
        if (copied.Value is { } d)
        {
            _files.Add(new PackageFile(path, PackageFormat.EvidenceRole, item, d.Size, d.Md5, d.Sha1, d.Sha256));
        }

        return copied;
    }

    public void AddJson<T>(string path, string role, Guid? item, T value) =>
        AddBytes(path, role, item, JsonSerializer.SerializeToUtf8Bytes(value, PackageFormat.Json));

    /// <summary>Signs the manifest's exact bytes and closes the archive.</summary>
    public void Seal(PackageManifest manifest, ECDsa key)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, PackageFormat.Json);
        Write(PackageFormat.ManifestPath, bytes);
        var signature = key.SignData(bytes, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var publicKey = key.ExportSubjectPublicKeyInfo();
        Write(PackageFormat.SignaturePath, JsonSerializer.SerializeToUtf8Bytes(
            new PackageSignature(
                PackageFormat.SignatureAlgorithm, PackageFormat.SignatureEncoding, Convert.ToBase64String(signature),
                key.ExportSubjectPublicKeyInfoPem(), Convert.ToHexStringLower(SHA256.HashData(publicKey))),
            PackageFormat.Json));
        _zip.Dispose();
    }

    public void Dispose() => _zip.Dispose();

    private void AddBytes(string path, string role, Guid? item, byte[] bytes)
    {
        Write(path, bytes);
        _files.Add(new PackageFile(
            path, role, item, bytes.LongLength,
            Convert.ToHexStringLower(MD5.HashData(bytes)), Convert.ToHexStringLower(SHA1.HashData(bytes)), Convert.ToHexStringLower(SHA256.HashData(bytes))));
    }

    private void Write(string path, byte[] bytes)
    {
        using var output = _zip.CreateEntry(path, CompressionLevel.Optimal).Open();
        output.Write(bytes);
    }
}
