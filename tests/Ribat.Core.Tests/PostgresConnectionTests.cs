using Npgsql;
using Ribat.Core.Data;

namespace Ribat.Core.Tests;

public sealed class PostgresConnectionTests
{
    [Fact]
    public void Statements_a_connection_repeats_are_prepared_unless_the_operator_says_otherwise()
    {
        var chosen = new NpgsqlConnectionStringBuilder(RibatDatabase.WithPreparedStatements("Host=db.internal;Database=ribat;Username=ribat"));

        chosen.MaxAutoPrepare.Should().BeGreaterThan(0, "PostgreSQL should plan the sharing predicate once per connection");
        chosen.Host.Should().Be("db.internal");
        chosen.Database.Should().Be("ribat");
    }

    [Theory]
    [InlineData("Host=pgbouncer;Database=ribat;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;Database=ribat;maxautoprepare=20", 20)]
    public void An_explicit_choice_wins(string connectionString, int expected) =>
        new NpgsqlConnectionStringBuilder(RibatDatabase.WithPreparedStatements(connectionString)).MaxAutoPrepare.Should().Be(expected);
}
