using System.Text;
using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Tests.Logs;

/// <summary>Reads logs held in memory, as a user's file would be read.</summary>
internal static class LogText
{
    public static (List<LogEvent> Events, LogReadReport Report) Read(string text, LogReadOptions? options = null) =>
        Read(Encoding.UTF8.GetBytes(text), options);

    public static (List<LogEvent> Events, LogReadReport Report) Read(byte[] bytes, LogReadOptions? options = null, string name = "test.log")
    {
        var reader = LogFileReader.Open(new MemoryStream(bytes), name, options);
        var events = reader.ReadEvents().ToList();
        return (events, reader.Report);
    }

    public static string? Get(this LogEvent logEvent, string name) => logEvent.TryGet(name, out var value) ? value : null;

    public static bool Has(this LogEvent logEvent, string name) => logEvent.TryGet(name, out _);
}
