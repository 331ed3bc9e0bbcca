using Ribat.Core.Common;

namespace Ribat.Core.Node;

/// <summary>The node's data directory: SQLite database, node key and (later) the content store.</summary>
public static class DataDirectory
{
    public const string Default = "ribat-data";

    /// <summary>Creates the directory if needed and proves it writable before anything else starts.</summary>
    public static Result<string> Prepare(string path)
    {
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return Error.Validation("data", $"The data directory '{path}' is not a valid path.");
        }

        try
        {
            Directory.CreateDirectory(full);
            var probe = Path.Combine(full, $".write-probe-{Environment.ProcessId}");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
            return full;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Error.Validation("data", $"The data directory '{full}' is not writable: {ex.Message}");
        }
    }
}
