namespace Ribat.Forensics.Ioc;

internal static class RegisteredDomains
{
    public static string? Of(Canonical value) => null;
}
