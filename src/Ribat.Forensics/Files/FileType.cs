namespace Ribat.Forensics.Files;

/// <summary>What a file is for the one who receives it; the table's <c>kind</c> column.</summary>
public enum FileKind
{
    Data,
    Text,
    Document,
    Image,
    Message,
    Archive,
    DiskImage,
    Executable,
    Script,
    Shortcut,
}

/// <summary>
/// What a file is by its first bytes: a stable type name, a description, the media type it is reported as and its
/// kind. <paramref name="Refines"/> names the type this one narrows (<c>docx</c> refines <c>zip</c>).
/// </summary>
public sealed record FileType(string Type, string Description, string MediaType, FileKind Kind, string? Refines = null)
{
    /// <summary>Whether opening it runs code: a program (native or for a virtual machine), a script, a shortcut.</summary>
    public bool IsExecutable => Kind is FileKind.Executable or FileKind.Script or FileKind.Shortcut;
}
