using System.Diagnostics;
using Xunit.Sdk;

namespace Ribat.Tests.Infrastructure;

/// <summary>
/// A <see cref="DbFactAttribute"/> that mounts a small file system of its own (tmpfs) to run a node's storage out of
/// space for real. It needs Linux and the right to mount (root); it is skipped, with the reason, elsewhere. Asked for
/// with RIBAT_TEST_MOUNT=1 where mounting is refused, it runs and fails loudly.
/// </summary>
[XunitTestCaseDiscoverer("Ribat.Tests.Infrastructure.DbFactDiscoverer", "Ribat.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class MountDbFactAttribute : FactAttribute
{
    public MountDbFactAttribute()
    {
        if (!Requested && !(OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess))
        {
            Skip = "Full-disk tests mount a small tmpfs, which needs Linux and root (or set RIBAT_TEST_MOUNT=1 to require them).";
        }
    }

    public static bool Requested => Environment.GetEnvironmentVariable("RIBAT_TEST_MOUNT") == "1";
}

/// <summary>A tmpfs of a fixed size mounted on a directory until disposed: writes past its size fail with ENOSPC, as on a full disk.</summary>
public sealed class SmallFileSystem : IDisposable
{
    private SmallFileSystem(string directory, long bytes)
    {
        Directory = directory;
        Bytes = bytes;
    }

    public string Directory { get; }

    public long Bytes { get; }

    public static SmallFileSystem Mount(string directory, long bytes)
    {
        System.IO.Directory.CreateDirectory(directory);
        Run("mount", "-t", "tmpfs", "-o", $"size={bytes},mode=0700", "tmpfs", directory);
        return new SmallFileSystem(directory, bytes);
    }

    /// <summary>Bytes still free on the file system, as the kernel counts them.</summary>
    public long Free => new DriveInfo(Directory).AvailableFreeSpace;

    public void Dispose() => Run("umount", "--lazy", Directory);

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Trim()}");
        }
    }
}
