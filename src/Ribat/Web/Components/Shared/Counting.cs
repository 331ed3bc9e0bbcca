using Ribat.Core.Common;

namespace Ribat.Web.Components.Shared;

/// <summary>Counts a listing by walking its pages: Core offers no count, and the numbers on a node are small.</summary>
public static class Counting
{
    public static async Task<Result<int>> CountAsync<T>(Func<string?, CancellationToken, Task<Result<Page<T>>>> page, CancellationToken cancellationToken = default)
    {
        var total = 0;
        string? cursor = null;
        do
        {
            var result = await page(cursor, cancellationToken);
            if (result.Error is { } error)
            {
                return error;
            }

            total += result.Value!.Items.Count;
            cursor = result.Value.NextCursor;
        }
        while (cursor is not null);
        return total;
    }
}
