using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;

namespace Ribat.Core.Indicators;

/// <summary>
/// "Another row with the same value" in a query that runs on both databases: PostgreSQL finds it through the value
/// index of <c>indicators</c>, SQLite through the three parts of its value key table (<see cref="KeyTables"/>). A query
/// says it with <see cref="SameValue"/> and is expanded for its database before it runs.
/// </summary>
internal static class ValueIndex
{
    /// <summary>Whether <paramref name="other"/> holds the value key of <paramref name="row"/>. Only inside a query expanded by <see cref="Expand{T}(IQueryable{T}, RibatDbContext)"/>.</summary>
    public static bool SameValue(Indicator other, Indicator row) =>
        throw new InvalidOperationException("ValueIndex.SameValue is a marker for queries expanded by ValueIndex.Expand.");

    /// <summary><paramref name="query"/> with each <see cref="SameValue"/> spelled for <paramref name="db"/>'s database.</summary>
    public static IQueryable<T> Expand<T>(IQueryable<T> query, RibatDbContext db) =>
        query.Provider.CreateQuery<T>(new Expander(db.IsPostgres, Expression.Constant(db)).Visit(query.Expression));

    /// <summary>A query to compile, whose first parameter is the context, with each <see cref="SameValue"/> spelled for one database.</summary>
    public static Expression<TDelegate> Expand<TDelegate>(Expression<TDelegate> query, bool postgres) =>
        (Expression<TDelegate>)new Expander(postgres, query.Parameters[0]).Visit(query);

    private static readonly MethodInfo Marker = typeof(ValueIndex).GetMethod(nameof(SameValue))!;

    private static readonly MethodInfo SetOfHeld = typeof(DbContext).GetMethod(nameof(DbContext.Set), Type.EmptyTypes)!.MakeGenericMethod(typeof(HeldValue));

    private sealed class Expander(bool postgres, Expression db) : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            if (node.Method != Marker)
            {
                return base.VisitMethodCall(node);
            }

            var other = Visit(node.Arguments[0]);
            var row = Visit(node.Arguments[1]);
            var rowKey = Expression.Property(row, nameof(Indicator.ValueKey));
            if (postgres)
            {
                return Expression.Equal(Expression.Property(other, nameof(Indicator.ValueKey)), rowKey);
            }

            // db.Set<HeldValue>().Where(k => k.ValueKey == row.ValueKey).Select(k => k.Seq).Contains(EF.Property<long>(other, "Seq"))
            var entry = Expression.Parameter(typeof(HeldValue), "k");
            var held = Expression.Call(typeof(Queryable), nameof(Queryable.Where), [typeof(HeldValue)],
                Expression.Call(db, SetOfHeld),
                Expression.Quote(Expression.Lambda(Expression.Equal(Expression.Property(entry, nameof(HeldValue.ValueKey)), rowKey), entry)));
            var numbers = Expression.Call(typeof(Queryable), nameof(Queryable.Select), [typeof(HeldValue), typeof(long)],
                held, Expression.Quote(Expression.Lambda(Expression.Property(entry, nameof(HeldValue.Seq)), entry)));
            var number = Expression.Call(typeof(EF), nameof(EF.Property), [typeof(long)], other, Expression.Constant(KeyTables.Sequence));
            return Expression.Call(typeof(Queryable), nameof(Queryable.Contains), [typeof(long)], numbers, number);
        }
    }
}
