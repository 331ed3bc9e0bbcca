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
}
