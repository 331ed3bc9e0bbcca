using System.Globalization;
using System.Text;
using System.Text.Json;
using Ribat.Core.Common;

namespace Ribat.Cli;

/// <summary>Exit codes: 0 ok, 1 refused or verification failed, 2 usage, input or environment error.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Refused = 1;

    /// <summary>An analysis found something: a YARA match, a suspicious or malicious message.</summary>
    public const int Findings = 1;
    public const int Usage = 2;

    public static int For(Error error) => error.Kind is ErrorKind.Conflict or ErrorKind.Forbidden ? Refused : Usage;
}

internal enum OutputFormat
{
    Table,
    Json,
    Csv,
}

/// <summary>Prints rows as an aligned table, JSON or CSV; errors as one line on stderr.</summary>
internal static class CliOutput
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static int Fail(string message, int code = ExitCodes.Usage)
    {
        Console.Error.WriteLine($"ribat: {message.ReplaceLineEndings(" ")}");
        return code;
    }

    public static int Fail(Error error) => Fail(error.Message, ExitCodes.For(error));

    public static void Write<T>(OutputFormat format, IReadOnlyList<T> rows, IReadOnlyList<(string Header, Func<T, object?> Value)> columns)
    {
        switch (format)
        {
            case OutputFormat.Json:
                Console.Out.WriteLine(JsonSerializer.Serialize(rows, Json));
                break;
            case OutputFormat.Csv:
                Console.Out.WriteLine(string.Join(',', columns.Select(c => Csv(c.Header))));
                foreach (var row in rows)
                {
                    Console.Out.WriteLine(string.Join(',', columns.Select(c => Csv(Text(c.Value(row))))));
                }

                break;
            default:
                var cells = rows.Select(r => columns.Select(c => Text(c.Value(r))).ToArray()).ToList();
                var widths = columns.Select((c, i) => Math.Max(c.Header.Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length))).ToArray();
                Console.Out.WriteLine(string.Join("  ", columns.Select((c, i) => c.Header.PadRight(widths[i]))).TrimEnd());
                foreach (var row in cells)
                {
                    Console.Out.WriteLine(string.Join("  ", row.Select((v, i) => v.PadRight(widths[i]))).TrimEnd());
                }

                break;
        }
    }

    private static string Text(object? value) => value switch
    {
        null => string.Empty,
        DateTimeOffset time => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture),
        bool b => b ? "yes" : "no",
        IEnumerable<string> list => string.Join(' ', list),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    /// <summary>RFC 4180 quoting, and a leading quote on formula-like cells so spreadsheets do not run them.</summary>
    private static string Csv(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
