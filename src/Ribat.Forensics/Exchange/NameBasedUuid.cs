using System.Security.Cryptography;
using System.Text;

namespace Ribat.Forensics.Exchange;

/// <summary>
/// RFC 9562 version 5 (SHA-1, name-based) UUIDs: the same name always gives the same UUID, so exporting the same
/// indicator twice gives the same MISP attribute uuid and the receiver updates instead of duplicating.
/// </summary>
internal static class NameBasedUuid
{
    /// <summary>Ribat's namespace for exported MISP records. Never change it: every exported uuid depends on it.</summary>
    public static readonly Guid RibatMisp = new("5d3f1c0e-8a2b-4f6e-9c71-2b8e4a6d9f10");

    public static Guid Create(Guid space, string name) => Create(space, [name]);

    /// <summary>The parts are joined with a line feed, which no canonical value contains.</summary>
    public static Guid Create(Guid space, IEnumerable<string> parts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        Span<byte> bytes = stackalloc byte[20];
        space.TryWriteBytes(bytes, bigEndian: true, out _);
        hash.AppendData(bytes[..16]);
        var first = true;
        foreach (var part in parts)
        {
            if (!first)
            {
                hash.AppendData("\n"u8);
            }

            hash.AppendData(Encoding.UTF8.GetBytes(part));
            first = false;
        }

        hash.GetHashAndReset(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes[..16], bigEndian: true);
    }
}
