using System.Security.Cryptography;
using Ribat.Core.Common;

namespace Ribat.Core.Node;

/// <summary>
/// The node's ECDSA P-256 identity key, generated at first start and kept in the data directory
/// (<c>node-key.pem</c>, owner-readable only). Its public key is what partners pin.
/// </summary>
public sealed class NodeKey : IDisposable
{
    public const string FileName = "node-key.pem";

    private NodeKey(ECDsa key, bool created)
    {
        Key = key;
        Created = created;
        Fingerprint = Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
    }

    public ECDsa Key { get; }

    public bool Created { get; }

    /// <summary>SHA-256 of the SubjectPublicKeyInfo, in hex: what an operator reads out to a partner.</summary>
    public string Fingerprint { get; }

    public string PublicKeyPem => Key.ExportSubjectPublicKeyInfoPem();

    public static Result<NodeKey> LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        var key = ECDsa.Create();
        try
        {
            if (File.Exists(path))
            {
                return Load(key, path);
            }

            key.GenerateKey(ECCurve.NamedCurves.nistP256);
            var temporary = $"{path}.{Environment.ProcessId}.tmp";
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                using var writer = new StreamWriter(stream);
                writer.Write(key.ExportPkcs8PrivateKeyPem());
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another instance sharing this data directory created the key first: use that one.
                File.Delete(temporary);
                return Load(key, path);
            }

            return new NodeKey(key, created: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            key.Dispose();
            return Error.Validation("node-key", $"Cannot load or create the node key {path}: {ex.Message}");
        }
    }

    public void Dispose() => Key.Dispose();

    private static Result<NodeKey> Load(ECDsa key, string path)
    {
        key.ImportFromPem(File.ReadAllText(path));
        if (key.KeySize != 256)
        {
            key.Dispose();
            return Error.Validation("node-key", $"{path} is not a P-256 key.");
        }

        return new NodeKey(key, created: false);
    }
}
