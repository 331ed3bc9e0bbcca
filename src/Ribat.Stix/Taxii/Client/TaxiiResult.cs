using Ribat.Stix.Model;

namespace Ribat.Stix.Taxii.Client;

/// <summary>Why a TAXII call failed, in the terms a caller acts on.</summary>
public enum TaxiiFailureKind
{
    /// <summary>The URL is not an absolute http(s) URL the client can call.</summary>
    BadUrl,

    /// <summary>No answer: the host is unknown, refuses the connection, or TLS failed.</summary>
    Unreachable,

    /// <summary>No complete answer within the client's timeout.</summary>
    Timeout,

    /// <summary>401: no or wrong credentials.</summary>
    Unauthorized,

    /// <summary>403: the credentials may not do this (e.g. a collection that cannot be written).</summary>
    Forbidden,

    /// <summary>404: no such API root, collection, object or status, or not one the credentials may see.</summary>
    NotFound,

    /// <summary>406 or 415: the server does not speak TAXII 2.1's media type.</summary>
    MediaType,

    /// <summary>413: the request is larger than the API root's <c>max_content_length</c>.</summary>
    TooLarge,

    /// <summary>Another 4xx: the server refused the request (a bad filter, an invalid envelope).</summary>
    Rejected,

    /// <summary>5xx: the server failed.</summary>
    ServerError,

    /// <summary>A 2xx whose body is not the TAXII resource asked for (an HTML login page, another API, a truncated body).</summary>
    NotTaxii,
}

/// <summary>A failed TAXII call: the kind, the HTTP status if one came, a sentence, and the server's TAXII error if it sent one.</summary>
public sealed record TaxiiFailure(TaxiiFailureKind Kind, int? HttpStatus, string Message, TaxiiError? Error = null)
{
    public override string ToString() => Message;
}

/// <summary>The outcome of a TAXII call: the value, or a <see cref="TaxiiFailure"/>. Expected failures are never exceptions.</summary>
public readonly struct TaxiiResult<T>
{
    private TaxiiResult(T? value, TaxiiFailure? failure)
    {
        Value = value;
        Failure = failure;
    }

    public T? Value { get; }

    public TaxiiFailure? Failure { get; }

    public bool IsSuccess => Failure is null;

    public static implicit operator TaxiiResult<T>(T value) => new(value, null);

    public static implicit operator TaxiiResult<T>(TaxiiFailure failure) => new(default, failure);
}

/// <summary>
/// A resource as answered, with what came beside it: the <c>X-TAXII-Date-Added-First/Last</c> headers (the
/// paging cursor for <c>added_after</c>), the raw body and its <c>Ribat-Signature</c> header, so the caller can
/// verify a partner's signature over exactly what was received.
/// </summary>
public sealed record TaxiiResponse<T>(T Resource, StixTimestamp? DateAddedFirst, StixTimestamp? DateAddedLast, ReadOnlyMemory<byte> Body, string? Signature);
