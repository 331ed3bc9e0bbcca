namespace Ribat.Forensics.Ioc;

/// <summary>
/// Monero's base58: the Bitcoin alphabet, but the data is cut into 8-byte blocks, each written as exactly 11
/// characters (a short last block as 2, 3, 5, 6, 7, 9 or 10), so the text length alone tells the byte length.
/// </summary>
internal static class MoneroBase58
{
    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private const int FullBlockChars = 11;

    /// <summary>Characters for a block of 0..8 bytes; -1 marks lengths no block can have.</summary>
    private static readonly int[] BytesForChars = [0, -1, 1, 2, -1, 3, 4, 5, -1, 6, 7, 8];

    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] data, out string reason)
    {
        data = [];
        var lastChars = text.Length % FullBlockChars;
        var lastBytes = BytesForChars[lastChars];
        if (text.IsEmpty || lastBytes < 0)
        {
            reason = $"{text.Length} characters is not a length Monero's base58 can produce.";
            return false;
        }

        var fullBlocks = text.Length / FullBlockChars;
        data = new byte[(fullBlocks * 8) + lastBytes];
        for (var block = 0; block <= fullBlocks; block++)
        {
            var chars = block < fullBlocks ? FullBlockChars : lastChars;
            var bytes = block < fullBlocks ? 8 : lastBytes;
            if (chars == 0)
            {
                break;
            }

            if (!TryDecodeBlock(text.Slice(block * FullBlockChars, chars), data.AsSpan(block * 8, bytes), out reason))
            {
                data = [];
                return false;
            }
        }

        reason = string.Empty;
        return true;
    }

    private static bool TryDecodeBlock(ReadOnlySpan<char> chars, Span<byte> output, out string reason)
    {
        // 11 base58 digits can exceed 2^64: accumulate in 128 bits and check the value fits the block.
        UInt128 value = 0;
        foreach (var c in chars)
        {
            var digit = Alphabet.IndexOf(c);
            if (digit < 0)
            {
                reason = $"'{c}' is not a base58 character (0, O, I and l are excluded).";
                return false;
            }

            value = (value * 58) + (uint)digit;
        }

        if (output.Length < 8 && value >> (output.Length * 8) != 0)
        {
            reason = "a base58 block holds more than its length allows.";
            return false;
        }

        if (output.Length == 8 && value > ulong.MaxValue)
        {
            reason = "a base58 block holds more than 8 bytes.";
            return false;
        }

        for (var i = output.Length - 1; i >= 0; i--)
        {
            output[i] = (byte)(value & 0xFF);
            value >>= 8;
        }

        reason = string.Empty;
        return true;
    }
}
