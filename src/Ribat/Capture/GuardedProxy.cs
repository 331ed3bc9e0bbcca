using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Ribat.Core.Capture;
using Ribat.Core.Common;

namespace Ribat.Capture;

/// <summary>
/// The only way out for the capture browser: an HTTP proxy on loopback that resolves every host itself, checks each
/// address against <see cref="NetworkReach"/>, and connects to an allowed address only. Chromium never resolves a
/// name, so a page cannot reach an internal address by a redirect, a subresource, or a name that resolves to a public
/// address when checked and an internal one when used. Tunnels (CONNECT, for https and wss) are piped as they are;
/// a plain http request is sent on in origin form with <c>Connection: close</c>, one request per connection.
/// A refused request is answered 403 with <c>X-Ribat-Refused</c>, an unreachable one 502 with
/// <c>X-Ribat-Unreachable</c>, and each is recorded.
/// </summary>
internal sealed class GuardedProxy : IAsyncDisposable
{
    public const string RefusedHeader = "X-Ribat-Refused";
    public const string UnreachableHeader = "X-Ribat-Unreachable";

    private const int MaxHead = 64 * 1024;
    private const int MaxRecorded = 500;

    private readonly TcpListener _listener;
    private readonly bool _allowLoopback;
    private readonly bool _allowPrivate;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<BlockedRequest> _blocked = new();
    private readonly ConcurrentDictionary<Task, byte> _connections = new();
    private readonly Task _accepting;
    private int _recorded;

    private GuardedProxy(bool allowLoopback, bool allowPrivate)
    {
        _allowLoopback = allowLoopback;
        _allowPrivate = allowPrivate;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>Starts a proxy on a free loopback port.</summary>
    public static GuardedProxy Start(CaptureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new GuardedProxy(options.AllowLoopback, options.AllowPrivateNetworks);
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>What was refused so far (at most 500 requests are recorded).</summary>
    public IReadOnlyList<BlockedRequest> Blocked => [.. _blocked];

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var serving = ServeAsync(client);
            _connections.TryAdd(serving, 0);
            _ = serving.ContinueWith(t => _connections.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        await Task.Yield();
        using var _ = client;
        var ct = _stop.Token;
        try
        {
            var browser = client.GetStream();
            var (head, rest) = await ReadHeadAsync(browser, ct);
            if (head is null)
            {
                await AnswerAsync(browser, "431 Request Header Fields Too Large", null, null, ct);
                return;
            }

            var lines = head.Split("\r\n");
            var request = lines[0].Split(' ');
            if (request.Length != 3)
            {
                await AnswerAsync(browser, "400 Bad Request", null, null, ct);
                return;
            }

            var tunnel = request[0] == "CONNECT";
            string host;
            int port;
            string target;
            Uri? url = null;
            if (tunnel)
            {
                if (!TrySplitAuthority(request[1], out host, out port))
                {
                    await AnswerAsync(browser, "400 Bad Request", null, null, ct);
                    return;
                }

                target = request[1];
            }
            else if (Uri.TryCreate(request[1], UriKind.Absolute, out url) && url.Scheme is "http" or "ws" && url.IdnHost.Length > 0)
            {
                host = url.IdnHost;
                port = url.Port;
                target = url.AbsoluteUri;
            }
            else
            {
                await AnswerAsync(browser, "400 Bad Request", null, null, ct);
                return;
            }

            var (allowed, refusal) = await NetworkReach.ResolveAsync(host, _allowLoopback, _allowPrivate, ct);
            if (allowed.Length == 0)
            {
                var unresolved = refusal!.EndsWith("does not resolve", StringComparison.Ordinal) || refusal.EndsWith("no address", StringComparison.Ordinal);
                if (!unresolved)
                {
                    Record(target, refusal);
                }

                await AnswerAsync(browser, unresolved ? "502 Bad Gateway" : "403 Forbidden", unresolved ? UnreachableHeader : RefusedHeader, refusal, ct);
                return;
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, port, ct);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                var why = ex.SocketErrorCode == SocketError.ConnectionRefused ? $"{host} refused the connection" : $"{host} could not be reached ({ex.SocketErrorCode})";
                await AnswerAsync(browser, "502 Bad Gateway", UnreachableHeader, why, ct);
                return;
            }

            await using var server = new NetworkStream(socket, ownsSocket: true);
            if (tunnel)
            {
                await browser.WriteAsync("HTTP/1.1 200 Connection Established\r\n\r\n"u8.ToArray(), ct);
            }
            else
            {
                await server.WriteAsync(Encoding.Latin1.GetBytes(OriginForm(request, url!, lines)), ct);
            }

            await server.WriteAsync(rest, ct);
            using var done = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var up = browser.CopyToAsync(server, done.Token);
            var down = server.CopyToAsync(browser, done.Token);
            await Task.WhenAny(up, down);
            await done.CancelAsync();
            await Task.WhenAll(up, down).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The browser or the server went away, or the capture ended: nothing left to pass on.
        }
    }

    private void Record(string target, string reason)
    {
        if (Interlocked.Increment(ref _recorded) <= MaxRecorded)
        {
            _blocked.Enqueue(new BlockedRequest(target.Length <= 2048 ? target : target[..2045] + "...", reason));
        }
    }

    /// <summary>The request head up to its blank line (Latin-1, as HTTP/1.1 heads are), and the bytes read after it.</summary>
    private static async Task<(string? Head, ReadOnlyMemory<byte> Body)> ReadHeadAsync(Stream browser, CancellationToken ct)
    {
        var buffer = new byte[8192];
        var length = 0;
        while (true)
        {
            var end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                return (Encoding.Latin1.GetString(buffer, 0, end), buffer.AsMemory(end + 4, length - end - 4));
            }

            if (length == MaxHead)
            {
                return (null, default);
            }

            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxHead));
            }

            var read = await browser.ReadAsync(buffer.AsMemory(length), ct);
            if (read == 0)
            {
                throw new IOException("The browser closed the connection before the request head ended.");
            }

            length += read;
        }
    }

    private static string OriginForm(string[] request, Uri url, string[] lines)
    {
        var head = new StringBuilder();
        head.Append(request[0]).Append(' ').Append(url.PathAndQuery).Append(' ').Append(request[2]).Append("\r\n");
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = colon > 0 ? line[..colon].Trim() : line;
            if (name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            head.Append(line).Append("\r\n");
        }

        return head.Append("Connection: close\r\n\r\n").ToString();
    }

    private static bool TrySplitAuthority(string authority, out string host, out int port)
    {
        host = "";
        port = 0;
        var colon = authority.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(authority.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            return false;
        }

        host = authority[..colon].Trim('[', ']');
        return host.Length > 0;
    }

    private static async Task AnswerAsync(Stream browser, string status, string? header, string? reason, CancellationToken ct)
    {
        var body = reason is null ? "" : $"Ribat's capture did not load this: {reason}.\n";
        var text = new StringBuilder().Append("HTTP/1.1 ").Append(status).Append("\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n");
        if (header is not null)
        {
            // Header values are single-line Latin-1; the reason names a host, which has neither line breaks nor more.
            text.Append(header).Append(": ").Append(reason!.Replace('\r', ' ').Replace('\n', ' ')).Append("\r\n");
        }

        var payload = Encoding.UTF8.GetBytes(body);
        text.Append("Content-Length: ").Append(payload.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n");
        await browser.WriteAsync(Encoding.Latin1.GetBytes(text.ToString()), ct);
        await browser.WriteAsync(payload, ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        await Task.WhenAll(_connections.Keys).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _stop.Dispose();
    }
}
