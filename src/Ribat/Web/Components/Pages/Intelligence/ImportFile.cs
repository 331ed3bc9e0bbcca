using Microsoft.AspNetCore.Components.Forms;

namespace Ribat.Web.Components.Pages.Intelligence;

/// <summary>
/// An uploaded import file, kept in a temporary file for the page's lifetime: the CSV preview and the import
/// each read it from the start, and a large file never sits in the circuit's memory.
/// </summary>
public sealed class ImportFile : IAsyncDisposable
{
    private readonly FileStream _content;

    private ImportFile(string name, FileStream content, string guessedFormat)
    {
        Name = name;
        _content = content;
        GuessedFormat = guessedFormat;
    }

    public string Name { get; }

    public long Length => _content.Length;

    /// <summary>misp, csv or text, from the first bytes and the file name.</summary>
    public string GuessedFormat { get; }

    public static async Task<ImportFile> CopyAsync(IBrowserFile file, long maxBytes, CancellationToken cancellationToken = default)
    {
        var content = new FileStream(Path.Combine(Path.GetTempPath(), "ribat-import-" + Path.GetRandomFileName()), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await using (var upload = file.OpenReadStream(maxBytes, cancellationToken))
            {
                await upload.CopyToAsync(content, cancellationToken);
            }

            var head = new byte[4096];
            content.Position = 0;
            var read = await content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
            return new ImportFile(file.Name, content, Guess(file.Name, head.AsSpan(0, read)));
        }
        catch
        {
            await content.DisposeAsync();
            throw;
        }
    }

    /// <summary>The content from its first byte; the caller must not dispose it.</summary>
    public Stream Rewound()
    {
        _content.Position = 0;
        return _content;
    }

    /// <summary>JSON is a MISP event; a first line with separators is CSV; anything else is a list of values.</summary>
    public static string Guess(string fileName, ReadOnlySpan<byte> head)
    {
        var text = System.Text.Encoding.UTF8.GetString(head).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (text.StartsWith('{') || text.StartsWith('[') || fileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return "misp";
        }

        if (fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase))
        {
            return "csv";
        }

        var firstLine = text.AsSpan(0, text.IndexOfAny(['\r', '\n']) is var end and >= 0 ? end : text.Length);
        return firstLine.IndexOfAny(',', ';', '\t') >= 0 ? "csv" : "text";
    }

    public ValueTask DisposeAsync() => _content.DisposeAsync();
}
