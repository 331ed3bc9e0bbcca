namespace Ribat.Forensics.Email;

/// <summary>
/// Orders Received headers the way the message travelled and finds its origin. Each server prepends its header, so
/// the topmost header is the last hop; the chain is reversed so the sender's side comes first.
/// </summary>
internal static class ReceivedChain
{
    /// <summary>Hops in travel order; <paramref name="topFirst"/> are the header values as they appear in the message.</summary>
    public static List<ReceivedHop> Build(IReadOnlyList<string> topFirst)
    {
        var hops = new List<ReceivedHop>(topFirst.Count);
        DateTimeOffset? previous = null;
        for (var i = topFirst.Count - 1; i >= 0; i--)
        {
            var hop = ReceivedParser.Parse(hops.Count + 1, topFirst[i]);
            if (hop.Timestamp is { } time)
            {
                if (previous is { } before)
                {
                    hop = hop with { DelaySeconds = (time - before).TotalSeconds };
                }

                previous = time;
            }

            hops.Add(hop);
        }

        return hops;
    }

    /// <summary>
    /// The origin is found from the recipient's end, where the headers can be trusted: walking back from the last
    /// hop, the first hop whose sending side has an address outside the internal networks (and whose host is not
    /// an internal name). Headers further back were written by servers the recipient does not run and may be forged.
    /// </summary>
    public static ReceivedHop? FindOrigin(List<ReceivedHop> hops, InternalNetworks internalNetworks)
    {
        for (var i = hops.Count - 1; i >= 0; i--)
        {
            var hop = hops[i];
            if (hop.FromIp is null || internalNetworks.IsInternalAddress(hop.FromIp) || internalNetworks.IsInternalHost(hop.FromHost))
            {
                continue;
            }

            return hop;
        }

        return null;
    }
}
