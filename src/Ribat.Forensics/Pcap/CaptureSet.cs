namespace Ribat.Forensics.Pcap;

/// <summary>One capture of a <see cref="CaptureSet"/>: the name its summary gives it and how to open it.</summary>
public sealed record CaptureSource(string Name, Func<Stream> Open);

/// <summary>
/// Reads several captures into one <see cref="TrafficTally"/> on several threads, one reader per capture, and gives
/// what reading them one after another would: each capture is tallied in a part of its own (<see cref="TrafficTally.NewPart"/>)
/// whose series starts at the first packet of the first capture, and the parts are merged in the captures' order.
/// ACK-only packets a capture leaves unanswered wait for the merge, where the directions earlier captures saw
/// acknowledge settle them. A large single capture stays on one thread.
/// <para>
/// Two bounded tables can make the merge differ from reading in turn, and only when a capture after the first fills
/// them: a vector's source table (<see cref="VectorCounter.MaxSources"/>; a source an earlier capture tracks can then
/// miss that capture's later packets), and the unanswered directions waiting (<see cref="PendingAcks.MaxDirections"/>;
/// further ones are judged on their own capture). Totals, series, addresses and protocols are always the same.
/// </para>
/// </summary>
public static class CaptureSet
{
    /// <summary>
    /// Reads <paramref name="captures"/> into <paramref name="tally"/> (which must hold no packet yet) on up to
    /// <paramref name="threads"/> threads. Returns null, or one line naming the first capture, in order, that could
    /// not be opened or read; the tally is then incomplete.
    /// </summary>
    public static string? Read(TrafficTally tally, IReadOnlyList<CaptureSource> captures, int threads)
    {
        ArgumentNullException.ThrowIfNull(tally);
        ArgumentNullException.ThrowIfNull(captures);
        if (tally.Packets != 0)
        {
            throw new ArgumentException("The tally must be empty.", nameof(tally));
        }

        if (threads <= 1 || captures.Count <= 1)
        {
            foreach (var capture in captures)
            {
                if (ReadOne(tally, capture) is { } failed)
                {
                    return failed;
                }
            }

            return null;
        }

        var (origin, failure) = FirstPacket(captures);
        if (failure is not null)
        {
            return failure;
        }

        if (origin is { } ticks)
        {
            tally.StartSeriesAt(ticks);
        }

        return ReadInParallel(tally, captures, Math.Min(threads, captures.Count), origin);
    }

    private static string? ReadInParallel(TrafficTally tally, IReadOnlyList<CaptureSource> captures, int threads, long? origin)
    {
        var parts = new TrafficTally?[captures.Count];
        var errors = new string?[captures.Count];
        var faults = new Exception?[captures.Count];
        using var done = new CountdownSlots(captures.Count);
        // Parts wait to be merged in order; at most this many are held at once, so memory does not grow with the count.
        using var window = new SemaphoreSlim(2 * threads);
        var next = -1;
        var stop = 0;
        var workers = new Task[threads];
        for (var w = 0; w < threads; w++)
        {
            workers[w] = Task.Factory.StartNew(() =>
            {
                while (true)
                {
                    window.Wait();
                    var index = Interlocked.Increment(ref next);
                    if (index >= captures.Count || Volatile.Read(ref stop) != 0)
                    {
                        window.Release();
                        return;
                    }

                    // The first capture goes straight into the tally: it is where the others are merged.
                    var part = index == 0 ? tally : tally.NewPart();
                    if (index > 0 && origin is { } ticks)
                    {
                        part.StartSeriesAt(ticks);
                    }

                    try
                    {
                        errors[index] = ReadOne(part, captures[index]);
                        parts[index] = part;
                    }
                    catch (Exception ex)
                    {
                        // Not bad input (that is counted) but a defect: it stops the reading and is thrown where the merge waits.
                        faults[index] = ex;
                        errors[index] = ex.Message;
                    }
                    finally
                    {
                        done.Set(index);
                    }
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        string? error = null;
        Exception? fault = null;
        for (var i = 0; i < captures.Count && error is null; i++)
        {
            done.Wait(i);
            error = errors[i];
            fault = faults[i];
            if (error is null && i > 0)
            {
                tally.Merge(parts[i]!);
            }

            parts[i] = null;
            window.Release();
        }

        if (error is not null)
        {
            Volatile.Write(ref stop, 1);
            window.Release(threads);
        }

        Task.WaitAll(workers);
        if (fault is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(fault);
        }

        return error;
    }

    /// <summary>The first packet's time of the first capture, in order, that has one; or the first capture that failed.</summary>
    private static (long? Ticks, string? Error) FirstPacket(IReadOnlyList<CaptureSource> captures)
    {
        foreach (var capture in captures)
        {
            try
            {
                using var stream = capture.Open();
                var opened = CaptureReader.Open(stream);
                if (opened.Reader is not { } reader)
                {
                    return (null, $"{capture.Name}: {opened.Error}");
                }

                using (reader)
                {
                    if (reader.TryRead(out var packet))
                    {
                        return (packet.TimestampTicks, null);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return (null, $"cannot read {capture.Name}: {ex.Message}");
            }
        }

        return (null, null);
    }

    private static string? ReadOne(TrafficTally tally, CaptureSource capture)
    {
        try
        {
            using var stream = capture.Open();
            var opened = CaptureReader.Open(stream);
            if (opened.Reader is not { } reader)
            {
                return $"{capture.Name}: {opened.Error}";
            }

            using (reader)
            {
                tally.Read(capture.Name, reader);
            }

            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"cannot read {capture.Name}: {ex.Message}";
        }
    }

    /// <summary>One event per capture, set when its part is read.</summary>
    private sealed class CountdownSlots(int count) : IDisposable
    {
        private readonly ManualResetEventSlim[] _slots = [.. Enumerable.Range(0, count).Select(_ => new ManualResetEventSlim())];

        public void Set(int index) => _slots[index].Set();

        public void Wait(int index) => _slots[index].Wait();

        public void Dispose()
        {
            foreach (var slot in _slots)
            {
                slot.Dispose();
            }
        }
    }
}
