using System.Collections.Concurrent;

namespace Ribat.Core.Federation;

/// <summary>
/// JSON rendered lately, by a key under which it never changes: two generations of at most <paramref name="budget"/>
/// characters each bound the memory; when the newer fills, the older is dropped. What every partner and TAXII client
/// polls for (the newest versions) is then rendered once.
/// </summary>
internal sealed class RenderedLately<TKey, TValue>(long budget, Func<TValue, long> size)
    where TKey : notnull
{
    private readonly Lock _gate = new();
    private ConcurrentDictionary<TKey, TValue> _newer = new();
    private ConcurrentDictionary<TKey, TValue> _older = new();
    private long _size;

    public bool TryGet(TKey key, out TValue value) =>
        _newer.TryGetValue(key, out value!) || _older.TryGetValue(key, out value!);

    public void Add(TKey key, TValue value)
    {
        if (!_newer.TryAdd(key, value) || Interlocked.Add(ref _size, size(value)) <= budget)
        {
            return;
        }

        lock (_gate)
        {
            if (Interlocked.Read(ref _size) > budget)
            {
                _older = _newer;
                _newer = new();
                Interlocked.Exchange(ref _size, 0);
            }
        }
    }
}
