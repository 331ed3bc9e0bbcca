using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Text;
using Ribat.Stix.Signing;

using Ribat.Stix.Model;

namespace Ribat.Stix.Taxii.Client;

/// <summary>
/// A TAXII 2.1 client (OASIS TAXII 2.1, sections 3–5): discovery, API roots, collections, objects with paging and
/// filters, manifests, versions, single objects, POST of envelopes with status polling, and DELETE. Every answer
/// is a <see cref="TaxiiResult{T}"/>: HTTP errors, TAXII error messages, timeouts, unreachable hosts and bodies that
/// are not TAXII are failures with a sentence, never exceptions. Cancellation is the caller's and does throw.
/// </summary>
public sealed class TaxiiClient
{
    public const string DateAddedFirstHeader = "X-TAXII-Date-Added-First";
    public const string DateAddedLastHeader = "X-TAXII-Date-Added-Last";

    private readonly HttpClient _http;
    private readonly TaxiiClientOptions _options;

    /// <param name="http">The caller's client (its handler decides proxies and TLS); its own timeout should be infinite, this client applies <see cref="TaxiiClientOptions.Timeout"/>.</param>
    public TaxiiClient(HttpClient http, TaxiiClientOptions? options = null)
    {
        _http = http;
        _options = options ?? new TaxiiClientOptions();
    }

    public TaxiiClientOptions Options => _options;

    /// <summary>GET the discovery resource, e.g. <c>https://taxii.example/taxii2/</c>.</summary>
    public async Task<TaxiiResult<TaxiiDiscovery>> DiscoverAsync(string discoveryUrl, CancellationToken cancellationToken = default) =>
        Resource(await SendAsync<TaxiiDiscovery>(HttpMethod.Get, discoveryUrl, null, null, cancellationToken));

    /// <summary>GET an API root; a URL given without its closing slash gets one, as TAXII URLs end with one.</summary>
    public async Task<TaxiiResult<TaxiiApiRoot>> GetApiRootAsync(string apiRoot, CancellationToken cancellationToken = default) =>
        Resource(await SendAsync<TaxiiApiRoot>(HttpMethod.Get, apiRoot, string.Empty, null, cancellationToken));

    public async Task<TaxiiResult<TaxiiCollections>> GetCollectionsAsync(string apiRoot, CancellationToken cancellationToken = default) =>
        Resource(await SendAsync<TaxiiCollections>(HttpMethod.Get, apiRoot, "collections/", null, cancellationToken));

    public async Task<TaxiiResult<TaxiiCollection>> GetCollectionAsync(string apiRoot, string collectionId, CancellationToken cancellationToken = default) =>
        Resource(await SendAsync<TaxiiCollection>(HttpMethod.Get, apiRoot, $"collections/{Segment(collectionId)}/", null, cancellationToken));

    /// <summary>One page of objects; follow <see cref="TaxiiEnvelope.Next"/> while <see cref="TaxiiEnvelope.More"/> is true, or use <see cref="PullAsync"/>.</summary>
    public Task<TaxiiResult<TaxiiResponse<TaxiiEnvelope>>> GetObjectsAsync(string apiRoot, string collectionId, ObjectsQuery? query = null, CancellationToken cancellationToken = default) =>
        SendAsync<TaxiiEnvelope>(HttpMethod.Get, apiRoot, $"collections/{Segment(collectionId)}/objects/{(query ?? new ObjectsQuery()).ToQueryString()}", null, cancellationToken);

    /// <summary>
    /// Every page of objects from <paramref name="query"/> on, following <c>next</c> while the server says <c>more</c>.
    /// A server that pages without <c>next</c> is followed by <c>added_after</c> = the page's <c>X-TAXII-Date-Added-Last</c>.
    /// Stops at the first failure, which is the last item yielded.
    /// </summary>
    public async IAsyncEnumerable<TaxiiResult<TaxiiResponse<TaxiiEnvelope>>> PullAsync(
        string apiRoot, string collectionId, ObjectsQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var current = query ?? new ObjectsQuery();
        for (var page = 0; page < _options.MaxPages; page++)
        {
            var result = await GetObjectsAsync(apiRoot, collectionId, current, cancellationToken);
            yield return result;
            if (result.Value is not { } response || response.Resource.More != true)
            {
                yield break;
            }

            if (!string.IsNullOrEmpty(response.Resource.Next))
            {
                current = current with { Next = response.Resource.Next };
            }
            else if (response.DateAddedLast is { } last && last != current.AddedAfter)
            {
                current = current with { AddedAfter = last, Next = null };
            }
            else
            {
                yield return new TaxiiFailure(TaxiiFailureKind.NotTaxii, 200, "The server says more objects follow but gives neither a next token nor an X-TAXII-Date-Added-Last header to ask for them.");
                yield break;
            }
        }

        yield return new TaxiiFailure(TaxiiFailureKind.Rejected, null, $"Stopped after {_options.MaxPages} pages: the server keeps answering that more follow.");
    }

    public Task<TaxiiResult<TaxiiResponse<TaxiiManifest>>> GetManifestAsync(string apiRoot, string collectionId, ObjectsQuery? query = null, CancellationToken cancellationToken = default) =>
        SendAsync<TaxiiManifest>(HttpMethod.Get, apiRoot, $"collections/{Segment(collectionId)}/manifest/{(query ?? new ObjectsQuery()).ToQueryString()}", null, cancellationToken);

    /// <summary>One object (by default its latest version) as an envelope; <c>match[version]</c> asks for others.</summary>
    public Task<TaxiiResult<TaxiiResponse<TaxiiEnvelope>>> GetObjectAsync(string apiRoot, string collectionId, string objectId, ObjectsQuery? query = null, CancellationToken cancellationToken = default) =>
        SendAsync<TaxiiEnvelope>(HttpMethod.Get, apiRoot, $"collections/{Segment(collectionId)}/objects/{Segment(objectId)}/{(query ?? new ObjectsQuery()).ToQueryString()}", null, cancellationToken);

    public Task<TaxiiResult<TaxiiResponse<TaxiiVersions>>> GetVersionsAsync(string apiRoot, string collectionId, string objectId, ObjectsQuery? query = null, CancellationToken cancellationToken = default) =>
        SendAsync<TaxiiVersions>(HttpMethod.Get, apiRoot, $"collections/{Segment(collectionId)}/objects/{Segment(objectId)}/versions/{(query ?? new ObjectsQuery()).ToQueryString()}", null, cancellationToken);

    /// <summary>Deletes an object (or, with <c>match[version]</c>, some of its versions); true on 200.</summary>
    public async Task<TaxiiResult<bool>> DeleteObjectAsync(string apiRoot, string collectionId, string objectId, ObjectsQuery? query = null, CancellationToken cancellationToken = default)
    {
        var result = await SendAsync<TaxiiEnvelope>(HttpMethod.Delete, apiRoot, $"collections/{Segment(collectionId)}/objects/{Segment(objectId)}/{(query ?? new ObjectsQuery()).ToQueryString()}", null, cancellationToken, bodyExpected: false);
        return result.Failure is { } failure ? failure : true;
    }

    /// <summary>POSTs an envelope to a collection; the server answers 202 with a status resource (pending or complete).</summary>
    public Task<TaxiiResult<TaxiiStatus>> PostObjectsAsync(string apiRoot, string collectionId, TaxiiEnvelope envelope, CancellationToken cancellationToken = default) =>
        PostObjectsAsync(apiRoot, collectionId, TaxiiJson.Write(envelope), cancellationToken);

    /// <summary>POSTs an envelope already serialised (e.g. read from a file) as it is.</summary>
    public async Task<TaxiiResult<TaxiiStatus>> PostObjectsAsync(string apiRoot, string collectionId, ReadOnlyMemory<byte> envelope, CancellationToken cancellationToken = default) =>
        Resource(await SendAsync<TaxiiStatus>(HttpMethod.Post, apiRoot, $"collections/{Segment(collectionId)}/objects/", envelope, cancellationToken));

    public async Task<TaxiiResult<TaxiiStatus>> GetStatusAsync(string apiRoot, string statusId, CancellationToken cancellationToken = default) =>
        Resource(await SendAsync<TaxiiStatus>(HttpMethod.Get, apiRoot, $"status/{Segment(statusId)}/", null, cancellationToken));

    /// <summary>Asks for a status until it is no longer pending or <paramref name="maxWait"/> has passed; the last status either way.</summary>
    public async Task<TaxiiResult<TaxiiStatus>> WaitForStatusAsync(string apiRoot, TaxiiStatus status, TimeSpan maxWait, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        clock ??= TimeProvider.System;
        var deadline = clock.GetUtcNow() + maxWait;
        var current = status;
        while (current.Status == TaxiiStatus.Pending && clock.GetUtcNow() < deadline)
        {
            await Task.Delay(_options.StatusPollInterval, clock, cancellationToken);
            var next = await GetStatusAsync(apiRoot, current.Id, cancellationToken);
            if (next.Failure is { } failure)
            {
                return failure;
            }

            current = next.Value!;
        }

        return current;
    }

    private static TaxiiResult<T> Resource<T>(TaxiiResult<TaxiiResponse<T>> result) =>
        result.Failure is { } failure ? failure : result.Value!.Resource;

    /// <summary>An id as one path segment: escaped, so an id cannot step outside its collection.</summary>
    private static string Segment(string id) => Uri.EscapeDataString(id);

    private async Task<TaxiiResult<TaxiiResponse<T>>> SendAsync<T>(
        HttpMethod method, string baseUrl, string? relative, ReadOnlyMemory<byte>? body, CancellationToken cancellationToken, bool bodyExpected = true)
        where T : class
    {
        if (Resolve(baseUrl, relative) is not { } uri)
        {
            return new TaxiiFailure(TaxiiFailureKind.BadUrl, null, $"'{Shorten(baseUrl)}' is not an absolute http or https URL.");
        }

        using var request = new HttpRequestMessage(method, uri);
        // Written as the specification spells it: MediaTypeHeaderValue would add a space before the parameter,
        // which servers matching the media type as text refuse with 406/415.
        request.Headers.TryAddWithoutValidation("Accept", TaxiiMediaTypes.Taxii21);
        request.Headers.UserAgent.ParseAdd(_options.UserAgent);
        if (Authorization() is { } authorization)
        {
            request.Headers.Authorization = authorization;
        }

        if (body is { } content)
        {
            request.Content = new ReadOnlyMemoryContent(content);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", TaxiiMediaTypes.Taxii21);
            if (_options.SignBody is { } sign)
            {
                request.Headers.TryAddWithoutValidation(PayloadSignature.HeaderName, sign(content));
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var bytes = await ReadBodyAsync(response.Content, timeout.Token);
            if (bytes is null)
            {
                return new TaxiiFailure(TaxiiFailureKind.NotTaxii, (int)response.StatusCode, $"{uri} answered more than {_options.MaxResponseBytes} bytes; that is not a TAXII page.");
            }

            if (!response.IsSuccessStatusCode)
            {
                return Failure(uri, response, bytes);
            }

            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (!bodyExpected && bytes.Length == 0)
            {
                return new TaxiiResponse<T>(null!, null, null, bytes, null);
            }

            if (!string.Equals(mediaType, "application/taxii+json", StringComparison.OrdinalIgnoreCase))
            {
                return new TaxiiFailure(TaxiiFailureKind.NotTaxii, (int)response.StatusCode,
                    $"{uri} answered {(int)response.StatusCode} with {(mediaType ?? "no media type")}, not {TaxiiMediaTypes.Taxii21}: it is not a TAXII 2.1 endpoint.");
            }

            if (!TaxiiJson.TryRead<T>(bytes, out var resource, out var error))
            {
                return new TaxiiFailure(TaxiiFailureKind.NotTaxii, (int)response.StatusCode, $"{uri} answered a body that is not a TAXII {Name<T>()}: {error}");
            }

            return new TaxiiResponse<T>(resource!, DateHeader(response, DateAddedFirstHeader), DateHeader(response, DateAddedLastHeader), bytes, Header(response, PayloadSignature.HeaderName));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new TaxiiFailure(TaxiiFailureKind.Timeout, null, $"{uri} did not answer within {_options.Timeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException ex)
        {
            return new TaxiiFailure(TaxiiFailureKind.Unreachable, null, $"{uri} cannot be reached: {Reason(ex)}");
        }
    }

    private static Uri? Resolve(string baseUrl, string? relative)
    {
        if (!Uri.TryCreate(baseUrl?.Trim(), UriKind.Absolute, out var root) || root.Scheme is not ("http" or "https") || root.UserInfo.Length > 0)
        {
            return null;
        }

        if (relative is null)
        {
            return root;
        }

        // API roots end with a slash; without one, a relative path would replace the root's last segment.
        var withSlash = root.AbsolutePath.EndsWith('/') ? root : new Uri(root.GetLeftPart(UriPartial.Path) + "/");
        return new Uri(withSlash, relative);
    }

    private AuthenticationHeaderValue? Authorization()
    {
        if (string.IsNullOrEmpty(_options.Secret))
        {
            return null;
        }

        return _options.UserName is { Length: > 0 } user
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{_options.Secret}")))
            : new AuthenticationHeaderValue("Bearer", _options.Secret);
    }

    private async Task<byte[]?> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > _options.MaxResponseBytes)
        {
            return null;
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > _options.MaxResponseBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static TaxiiFailure Failure(Uri uri, HttpResponseMessage response, byte[] body)
    {
        var status = (int)response.StatusCode;
        TaxiiError? error = null;
        if (response.Content.Headers.ContentType?.MediaType is { } type && type.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            TaxiiJson.TryRead(body, out error, out _);
        }

        var kind = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => TaxiiFailureKind.Unauthorized,
            HttpStatusCode.Forbidden => TaxiiFailureKind.Forbidden,
            HttpStatusCode.NotFound => TaxiiFailureKind.NotFound,
            HttpStatusCode.NotAcceptable or HttpStatusCode.UnsupportedMediaType => TaxiiFailureKind.MediaType,
            HttpStatusCode.RequestEntityTooLarge => TaxiiFailureKind.TooLarge,
            _ when status >= 500 => TaxiiFailureKind.ServerError,
            _ => TaxiiFailureKind.Rejected,
        };
        var what = kind switch
        {
            TaxiiFailureKind.Unauthorized => "refused the credentials (401)",
            TaxiiFailureKind.Forbidden => "does not allow this with these credentials (403)",
            TaxiiFailureKind.NotFound => "has nothing at this address, or nothing these credentials may see (404)",
            TaxiiFailureKind.MediaType => $"does not accept {TaxiiMediaTypes.Taxii21} ({status})",
            TaxiiFailureKind.TooLarge => "refused the request as too large (413)",
            TaxiiFailureKind.ServerError => $"failed ({status})",
            _ => $"refused the request ({status})",
        };
        var detail = error is null ? string.Empty : $": {error.Title}{(string.IsNullOrWhiteSpace(error.Description) ? string.Empty : $" — {error.Description}")}";
        return new TaxiiFailure(kind, status, $"{uri} {what}{Shorten(detail, 300)}", error);
    }

    private static StixTimestamp? DateHeader(HttpResponseMessage response, string name) =>
        Header(response, name) is { } value && StixTimestamp.TryParse(value, out var time, out _) ? time : null;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static string Reason(HttpRequestException ex) => ex.InnerException switch
    {
        SocketException socket => socket.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "the connection was refused",
            SocketError.HostNotFound or SocketError.NoData => "the host name is unknown",
            SocketError.TimedOut => "the connection timed out",
            _ => socket.Message,
        },
        AuthenticationException tls => $"TLS failed ({tls.Message})",
        _ => ex.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "the host name is unknown",
            HttpRequestError.ConnectionError => "the connection failed",
            HttpRequestError.SecureConnectionError => "TLS failed",
            HttpRequestError.InvalidResponse => "the answer is not HTTP",
            HttpRequestError.ResponseEnded => "the answer ended early",
            _ => ex.Message,
        },
    };

    private static string Name<T>() => typeof(T).Name.Replace("Taxii", string.Empty, StringComparison.Ordinal).ToLowerInvariant();

    private static string Shorten(string text, int max = 120) => text.Length > max ? text[..max] + "…" : text;
}
