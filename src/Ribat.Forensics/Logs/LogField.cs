namespace Ribat.Forensics.Logs;

/// <summary>
/// One named value of an event. Names are flat (<c>Image</c>, <c>EventID</c>, <c>c-ip</c>); a value the log
/// holds as null or absent-but-named is <see langword="null"/>. Numbers are kept in their invariant text form
/// so that every matcher sees the same string the log showed.
/// </summary>
public readonly record struct LogField(string Name, string? Value);
