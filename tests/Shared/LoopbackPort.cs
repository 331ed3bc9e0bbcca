using System.Net;
using System.Net.Sockets;

namespace Ribat.Testing;

/// <summary>A loopback port free now, for a node started as its own process. Every project that starts nodes links this file.</summary>
internal static class LoopbackPort
{
    public static int Free()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>
    /// The first of <paramref name="count"/> consecutive loopback ports that are all free now, for a command that binds a
    /// run of ports from one it is given (<c>ribat demo</c>). Chosen below the range the system hands out for outgoing
    /// connections, so that a connection made meanwhile by another test cannot take one of them.
    /// </summary>
    public static int FreeRun(int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var first = Random.Shared.Next(20_000, 32_000 - count);
            var listeners = new List<TcpListener>(count);
            try
            {
                for (var port = first; port < first + count; port++)
                {
                    var listener = new TcpListener(IPAddress.Loopback, port);
                    listener.Start();
                    listeners.Add(listener);
                }

                return first;
            }
            catch (SocketException)
            {
                // One of them is taken: try another run.
            }
            finally
            {
                listeners.ForEach(l => l.Stop());
            }
        }

        throw new InvalidOperationException($"No run of {count} free loopback ports found.");
    }
}
