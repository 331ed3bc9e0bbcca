namespace Ribat.Core.Data;

/// <summary>
/// A compiled query for each database provider, made on first use (from the same expression, or from one spelled for
/// the provider when the constructor is told which it compiles for). EF binds a compiled query to the model of the
/// first context that runs it; a node has one provider, but a process may hold both (the tests do), so each
/// provider's contexts get their own.
/// </summary>
/// <remarks>
/// A query run on every request is compiled so that EF does not rebuild, funcletize and hash its expression each
/// time; the sharing predicate of the context's scope applies to it as to any other query.
/// </remarks>
internal sealed class PerProvider<TQuery>(Func<bool, TQuery> compile)
    where TQuery : class
{
    /// <summary>The same query for both providers.</summary>
    public PerProvider(Func<TQuery> compile)
        : this(_ => compile())
    {
    }

    private readonly Lazy<TQuery> _sqlite = new(() => compile(false));
    private readonly Lazy<TQuery> _postgres = new(() => compile(true));

    public TQuery For(RibatDbContext db) => db.IsPostgres ? _postgres.Value : _sqlite.Value;
}
