using Ribat.Cli;

return await RibatCli.RunAsync(args);

/// <summary>The entry point, named so integration tests can host the same application.</summary>
public partial class Program;
