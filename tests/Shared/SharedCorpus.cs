namespace Ribat.Testing;

/// <summary>
/// The public corpus in <c>../shared/corpus/</c> beside the repository, read where it lies and never copied in. Every
/// test project that reads it links this one file.
/// </summary>
internal static class SharedCorpus
{
    /// <summary>The full path of <paramref name="parts"/> under the corpus, e.g. <c>Path("pcap", "amp.UDP.isakmp.pcap")</c>.</summary>
    public static string Path(params string[] parts) =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine([RepositoryRoot(), "..", "shared", "corpus", .. parts]));

    /// <summary>The folder holding <c>Ribat.slnx</c>, found upwards from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "Ribat.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"Ribat.slnx not found above {AppContext.BaseDirectory}: the tests run inside the repository.");
    }
}
