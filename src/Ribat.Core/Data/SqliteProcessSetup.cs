using SQLitePCL;

namespace Ribat.Core.Data;

/// <summary>
/// SQLite's process-wide settings. SQLite accepts them only before it is first used in the process, so they are made
/// when the first SQLite store is set up, before any of its connections opens.
/// </summary>
internal static class SqliteProcessSetup
{
    private static readonly Lock Gate = new();
    private static bool? _applied;

    /// <summary>
    /// Memory statistics off: with them on, every allocation SQLite makes takes one mutex that every connection in the
    /// process shares, to count the bytes, so connections working on different threads wait for each other. Nothing in
    /// Ribat reads those statistics or sets a heap limit that needs them.
    /// </summary>
    /// <returns>
    /// Whether the settings are in effect. They are not when something else in the process used SQLite first (a host
    /// that opened a connection of its own): SQLite then refuses them and keeps its defaults, which are correct, only
    /// slower.
    /// </returns>
    public static bool Apply()
    {
        lock (Gate)
        {
            if (_applied is { } applied)
            {
                return applied;
            }

            Batteries_V2.Init();
            _applied = raw.sqlite3_config(raw.SQLITE_CONFIG_MEMSTATUS, 0) == raw.SQLITE_OK;
            return _applied.Value;
        }
    }
}
