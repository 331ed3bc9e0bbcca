using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Exchange;

/// <summary>
/// Writes block lists for sensors, resolvers and firewalls from (type, value, message) entries. Every value is
/// canonicalised again (an invalid one is counted, not written), each value is written once, and a type the format
/// cannot express is counted per type in the result. Rule sids run from <see cref="BlocklistOptions.FirstSid"/> in
/// the order of the entries, so the same list gives the same file.
/// </summary>
public static class BlocklistWriter
{
    public static bool Supports(BlocklistFormat format, ObservableType type) => BlocklistLines.Supports(format, type);

    public static BlocklistResult Write(IEnumerable<BlocklistEntry> entries, BlocklistFormat format, TextWriter output, BlocklistOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(output);
        var list = new Builder(format, options ?? BlocklistOptions.Default);
        output.Write(list.Head);
        foreach (var entry in entries)
        {
            if (list.Next(entry) is { } text)
            {
                output.Write(text);
            }
        }

        return list.Result();
    }

    public static async Task<BlocklistResult> WriteAsync(IEnumerable<BlocklistEntry> entries, BlocklistFormat format, TextWriter output, BlocklistOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(output);
        var list = new Builder(format, options ?? BlocklistOptions.Default);
        await output.WriteAsync(list.Head.AsMemory(), cancellationToken).ConfigureAwait(false);
        foreach (var entry in entries)
        {
            if (list.Next(entry) is { } text)
            {
                await output.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
            }
        }

        return list.Result();
    }

    private sealed class Builder(BlocklistFormat format, BlocklistOptions options)
    {
        private readonly HashSet<(bool Host, ObservableType Type, string Value)> _seen = [];
        private readonly Dictionary<ObservableType, int> _unsupported = [];
        private int _written;
        private int _duplicates;
        private int _invalid;

        public string Head { get; } = BlocklistLines.Head(format, options);

        public string? Next(BlocklistEntry entry)
        {
            if (entry is null || !Observables.TryCanonicalise(entry.Type, entry.Value, out var value, out _))
            {
                _invalid++;
                return null;
            }

            if (!BlocklistLines.Supports(format, value.Type))
            {
                _unsupported[value.Type] = _unsupported.GetValueOrDefault(value.Type) + 1;
                return null;
            }

            // A domain and a host name with the same spelling block the same thing.
            if (!_seen.Add((value.Type.IsHost(), value.Type.IsHost() ? ObservableType.Domain : value.Type, value.Value)))
            {
                _duplicates++;
                return null;
            }

            return BlocklistLines.Entry(format, value, entry.Message, options.FirstSid + _written++, options);
        }

        public BlocklistResult Result() => new(_written, _duplicates, _invalid, _unsupported);
    }
}
