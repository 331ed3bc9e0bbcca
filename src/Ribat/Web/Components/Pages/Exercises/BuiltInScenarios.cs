namespace Ribat.Web.Components.Pages.Exercises;

/// <summary>Scenarios shipped with Ribat (docs/exercises), offered on the Exercises page.</summary>
internal static class BuiltInScenarios
{
    private static readonly Lazy<string> WannaCryText = new(() =>
    {
        using var stream = typeof(BuiltInScenarios).Assembly.GetManifestResourceStream("Ribat.Exercises.wannacry.yaml")
            ?? throw new InvalidOperationException("The WannaCry scenario is not embedded in the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static string WannaCry => WannaCryText.Value;
}
