using System.Security.Cryptography;
using System.Text;

namespace Ribat.Forensics.Files;

/// <summary>
/// The import hash (Mandiant's imphash, as <c>pefile</c> computes it): MD5 of <c>dll.function</c> pairs in import
/// order, lower case, with a <c>.dll</c>, <c>.ocx</c> or <c>.sys</c> extension dropped.
/// </summary>
/// <remarks>
/// pefile names ordinal imports of ws2_32, wsock32 and oleaut32 from its own ordinal table; here they stay
/// <c>ord123</c>, so an imphash of a file importing those by ordinal differs from pefile's.
/// </remarks>
internal static class PeImphash
{
    public static string? Of(IReadOnlyList<PeImport> imports)
    {
        var text = new StringBuilder();
        foreach (var import in imports)
        {
            var dll = import.Dll.ToLowerInvariant();
            var dot = dll.LastIndexOf('.');
            if (dot >= 0 && dll[(dot + 1)..] is "dll" or "ocx" or "sys")
            {
                dll = dll[..dot];
            }

            foreach (var function in import.Functions)
            {
                if (text.Length > 0)
                {
                    text.Append(',');
                }

                text.Append(dll).Append('.').Append(function.ToLowerInvariant());
            }
        }

        return text.Length == 0 ? null : Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
