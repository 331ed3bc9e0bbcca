using System.Diagnostics.CodeAnalysis;

namespace Ribat.Forensics.Evtx;

/// <summary>
/// Binary XML that cannot be read. It never leaves the parser: the record it came from is skipped and counted with
/// <see cref="Exception.Message"/> as the reason, so messages are short fixed texts (no offsets or content).
/// </summary>
internal sealed class BinXmlFormatException(string reason) : Exception(reason)
{
    [DoesNotReturn]
    public static void Throw(string reason) => throw new BinXmlFormatException(reason);

    [DoesNotReturn]
    public static T Throw<T>(string reason) => throw new BinXmlFormatException(reason);
}
