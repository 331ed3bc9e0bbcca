namespace Ribat.Core.Common;

/// <summary>What kind of expected failure a use case met; the host maps each kind to one HTTP status.</summary>
public enum ErrorKind
{
    Validation,
    NotFound,
    Forbidden,
    Conflict,
    Unauthorized,

    /// <summary>The node ran out of disk space for what it was asked to keep.</summary>
    InsufficientStorage,
}

/// <summary>An expected failure: a result, not an exception.</summary>
public sealed record Error(ErrorKind Kind, string Code, string Message, IReadOnlyDictionary<string, string[]>? Fields = null)
{
    public static Error Validation(string field, string message) =>
        new(ErrorKind.Validation, "validation", message, new Dictionary<string, string[]> { [field] = [message] });

    public static Error Validation(IReadOnlyDictionary<string, string[]> fields) =>
        new(ErrorKind.Validation, "validation", string.Join(" ", fields.SelectMany(f => f.Value)), fields);

    public static Error NotFound(string what) => new(ErrorKind.NotFound, "not-found", $"{what} was not found.");

    public static Error Forbidden(string message) => new(ErrorKind.Forbidden, "forbidden", message);

    public static Error Conflict(string message) => new(ErrorKind.Conflict, "conflict", message);
}

public readonly struct Result<T>
{
    private Result(T? value, Error? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public Error? Error { get; }

    public bool IsSuccess => Error is null;

    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(Error error) => new(default, error);

    public TOut Match<TOut>(Func<T, TOut> ok, Func<Error, TOut> fail) => Error is null ? ok(Value!) : fail(Error);
}

/// <summary>Collects field errors so a request reports every problem at once, not the first.</summary>
public sealed class Validation
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public Validation Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
        return this;
    }

    public Validation Require(bool condition, string field, string message) => condition ? this : Add(field, message);

    /// <summary>
    /// Names and labels are one line of printable text: control characters (NUL above all, which PostgreSQL
    /// cannot store) are refused rather than stored.
    /// </summary>
    public Validation RequirePrintable(string? text, string field) =>
        Require(text is null || !text.Any(char.IsControl), field, $"{field} must not contain control characters (line breaks, tabs, NUL).");

    public Error ToError() => Error.Validation(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
}
