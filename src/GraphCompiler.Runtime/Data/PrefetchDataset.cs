using System.Runtime.ExceptionServices;

namespace GraphCompiler.Runtime.Data;

/// <summary>Background prefetch; see <see cref="Dataset{T}.Prefetch"/>.</summary>
internal sealed class PrefetchDataset<T>(Dataset<T> source, int bufferSize, CancellationToken cancellationToken) : Dataset<T>
{
    public override IEnumerator<T> GetEnumerator() => new Enumerator(source, bufferSize, cancellationToken);

    /// <summary>
    /// A producer thread fills a fixed ring buffer; the consumer drains it. All shared state is guarded by
    /// <see cref="_gate"/>, and both sides wait on it with Monitor, so nothing is allocated per element.
    /// </summary>
    private sealed class Enumerator(Dataset<T> source, int bufferSize, CancellationToken cancellationToken) : IEnumerator<T>
    {
        private readonly object _gate = new();
        private readonly T[] _ring = new T[bufferSize];
        private int _head;
        private int _count;
        private bool _producerDone;
        private bool _stopRequested;
        private ExceptionDispatchInfo? _error;
        private Thread? _thread;
        private CancellationTokenRegistration _registration;
        private T _current = default!;

        // The fill level at which a waiting producer is woken: half the ring (0 for a ring of one).
        private int RefillBelow => _ring.Length / 2;

        public T Current => _current;

        object? System.Collections.IEnumerator.Current => _current;

        public bool MoveNext()
        {
            if (_thread == null) Start();
            lock (_gate)
            {
                while (_count == 0 && !_producerDone && !cancellationToken.IsCancellationRequested)
                    Monitor.Wait(_gate);
                cancellationToken.ThrowIfCancellationRequested();
                if (_count > 0)
                {
                    _current = _ring[_head];
                    _ring[_head] = default!;
                    _head = (_head + 1) % _ring.Length;
                    _count--;
                    if (_count == RefillBelow) Monitor.PulseAll(_gate);
                    return true;
                }
                _current = default!;
                if (_error != null)
                {
                    var error = _error;
                    _error = null;
                    // Rethrows the producer's exception object with its original stack trace preserved.
                    error.Throw();
                }
                return false;
            }
        }

        public void Reset() => throw new NotSupportedException("a prefetching enumerator cannot be reset; start a new pass instead");

        public void Dispose()
        {
            lock (_gate)
            {
                _stopRequested = true;
                Monitor.PulseAll(_gate);
            }
            // Waiting makes disposal deterministic: once Dispose returns, the upstream enumerators are disposed
            // (files closed) and nothing runs in the background.
            if (_thread != null && _thread != Thread.CurrentThread) _thread.Join();
            _registration.Dispose();
            lock (_gate)
            {
                Array.Clear(_ring);
                _count = 0;
            }
        }

        private void Start()
        {
            if (_stopRequested) throw new ObjectDisposedException(nameof(PrefetchDataset<T>), "the prefetching enumerator was disposed");
            if (cancellationToken.CanBeCanceled)
                _registration = cancellationToken.Register(WakeAll);
            _thread = new Thread(Produce)
            {
                IsBackground = true,
                Name = "GraphCompiler dataset prefetch",
            };
            _thread.Start();
        }

        private void WakeAll()
        {
            lock (_gate) Monitor.PulseAll(_gate);
        }

        private void Produce()
        {
            try
            {
                using var input = source.GetEnumerator();
                while (true)
                {
                    lock (_gate)
                    {
                        // Once the ring is full, sleep until the consumer has taken half of it: the
                        // producer then refills in a burst instead of waking for every element (a
                        // wake-up per element costs a context switch on each, which a consumer that
                        // keeps every core busy pays for).
                        if (_count == _ring.Length)
                            while (_count > RefillBelow && !_stopRequested && !cancellationToken.IsCancellationRequested)
                                Monitor.Wait(_gate);
                        if (_stopRequested || cancellationToken.IsCancellationRequested) return;
                    }
                    // Pull outside the lock: the upstream work is what runs in parallel with the consumer.
                    if (!input.MoveNext()) return;
                    var item = input.Current;
                    lock (_gate)
                    {
                        if (_stopRequested) return;
                        _ring[(_head + _count) % _ring.Length] = item;
                        _count++;
                        Monitor.PulseAll(_gate);
                    }
                }
            }
            catch (Exception e)
            {
                lock (_gate) _error = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                lock (_gate)
                {
                    _producerDone = true;
                    Monitor.PulseAll(_gate);
                }
            }
        }
    }
}
