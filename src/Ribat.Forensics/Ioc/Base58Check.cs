using System.Security.Cryptography;

namespace Ribat.Forensics.Ioc;

/// <summary>Bitcoin's base58 alphabet and the base58check checksum (first four bytes of double SHA-256).</summary>
internal static class Base58Check
{
    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    /// <summary>Decodes and verifies a base58check string into <paramref name="payload"/> (version byte first, no checksum).</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] payload, out string reason)
    {
        payload = [];
        if (text.Length is 0 or > 64)
        {
            reason = "base58check text must be 1 to 64 characters.";
            return false;
        }

        // Big-endian base-256 accumulator; 64 base58 digits fit in 48 bytes.
        Span<byte> number = stackalloc byte[48];
        number.Clear();
        foreach (var c in text)
        {
            var digit = Alphabet.IndexOf(c);
            if (digit < 0)
            {
                reason = $"'{c}' is not a base58 character (0, O, I and l are excluded).";
                return false;
            }

            var carry = digit;
            for (var i = number.Length - 1; i >= 0; i--)
            {
                carry += number[i] * 58;
                number[i] = (byte)carry;
                carry >>= 8;
            }
        }

        var leadingOnes = 0;
        while (leadingOnes < text.Length && text[leadingOnes] == '1')
        {
            leadingOnes++;
        }

        var firstNonZero = number.IndexOfAnyExcept((byte)0);
        var significant = firstNonZero < 0 ? ReadOnlySpan<byte>.Empty : number[firstNonZero..];
        var decoded = new byte[leadingOnes + significant.Length];
        significant.CopyTo(decoded.AsSpan(leadingOnes));
        if (decoded.Length < 5)
        {
            reason = "base58check payload is too short to hold a checksum.";
            return false;
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(decoded.AsSpan(0, decoded.Length - 4), hash);
        SHA256.HashData(hash, hash);
        if (!hash[..4].SequenceEqual(decoded.AsSpan(decoded.Length - 4)))
        {
            reason = "the base58check checksum does not match (a mistyped character?).";
            return false;
        }

        payload = decoded[..^4];
        reason = string.Empty;
        return true;
    }
}
