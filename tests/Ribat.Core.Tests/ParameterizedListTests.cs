using Microsoft.EntityFrameworkCore;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Tests;

/// <summary>
/// A list a query tests a column against is one parameter, whatever its length, so that the statement's SQL is made
/// once and kept: on a real SQLite file, two lists of different lengths give the same SQL and the right rows.
/// </summary>
public sealed class ParameterizedListTests : IAsyncLifetime
{
    private MigratedSqlite _sqlite = null!;

    public async Task InitializeAsync() => _sqlite = await MigratedSqlite.CreateAsync("ribat-core-lists-");

    public async Task DisposeAsync() => await _sqlite.DisposeAsync();

    [Fact]
    public async Task A_list_of_ids_is_one_parameter_whatever_its_length()
    {
        await using var db = _sqlite.Database.Open(TenantScope.NodeWide("test"));
        var named = new[] { Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7() };
        foreach (var id in named)
        {
            db.NodeSettings.Add(new Data.NodeSetting { Key = id.ToString(), Value = "x" });
        }

        await db.SaveChangesAsync();
        var keys = named.Select(id => id.ToString()).ToArray();
        string[] two = [keys[0], keys[1]];
        string[] five = [keys[0], keys[2], "a", "b", "c"];

        var sqlOfTwo = In(db, two).ToQueryString();
        var sqlOfFive = In(db, five).ToQueryString();
        Strip(sqlOfTwo).Should().Be(Strip(sqlOfFive), "the SQL must not depend on the list's length");
        sqlOfTwo.Should().Contain("json_each");

        (await In(db, two).ToListAsync()).Should().BeEquivalentTo(two);
        (await In(db, five).ToListAsync()).Should().BeEquivalentTo([keys[0], keys[2]]);
    }

    private static IQueryable<string> In(Data.RibatDbContext db, string[] keys) => db.NodeSettings.Where(s => keys.Contains(s.Key)).Select(s => s.Key);

    /// <summary>The statement without the parameter declarations EF prints above it, which carry the values.</summary>
    private static string Strip(string sql) => string.Join('\n', sql.Split('\n').Where(line => !line.StartsWith(".param", StringComparison.Ordinal)));
}
