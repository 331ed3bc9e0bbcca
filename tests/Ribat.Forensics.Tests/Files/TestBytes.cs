using System.Text;

namespace Ribat.Forensics.Tests.Files;

/// <summary>
/// Deterministic inputs (xorshift64*), byte for byte the same as the small generator the expected peer-tool figures
/// were measured on, so the figures can be hard-coded.
/// </summary>
internal static class TestBytes
{
    private static readonly string[] Words =
        ["the", "evidence", "packet", "http://example.com/a", "malware", "192.0.2.15", "kernel32.dll", "GetProcAddress", "\r\n", "    ", "report", "CERT", "0x41414141"];

    public static byte[] Random(int size, ulong seed)
    {
        var state = seed == 0 ? 1 : seed;
        var bytes = new byte[size];
        for (var i = 0; i < size; i++)
        {
            bytes[i] = (byte)(Next(ref state) >> 56);
        }

        return bytes;
    }

    public static byte[] Text(int size, ulong seed)
    {
        var state = seed == 0 ? 1 : seed;
        var text = new StringBuilder(size + 32);
        while (text.Length < size)
        {
            text.Append(Words[(Next(ref state) >> 33) % (ulong)Words.Length]).Append(' ');
        }

        return Encoding.ASCII.GetBytes(text.ToString(0, size));
    }

    private static ulong Next(ref ulong x)
    {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        return x * 0x2545F4914F6CDD1DUL;
    }
}
