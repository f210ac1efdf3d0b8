package org.sep4j.core.cache;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Values kept by key until their sizes reach a byte budget; past it, values are handed back without
 * being kept. Nothing is evicted, so what was kept stays valid for the memo's lifetime. Safe for
 * concurrent use: two threads may compute one key, the first kept value wins and the budget is never
 * exceeded. No {@code computeIfAbsent}: computing a value may run a parallel stream, and a pool thread
 * waiting on another's entry while helping with its own could deadlock.
 */
public final class ByteBudgetMemo<K, V> {

    private final ConcurrentHashMap<K, V> kept = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final long maxBytes;

    public ByteBudgetMemo(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("a memo's byte budget must be at least 0, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** The kept value of a key, or null. */
    public V get(K key) {
        return kept.get(key);
    }

    /** Keeps {@code value} ({@code size} bytes) when it fits the budget; returns the value kept for the key, else {@code value}. */
    public V keep(K key, V value, long size) {
        if (bytes.addAndGet(size) > maxBytes) {
            bytes.addAndGet(-size);
            return value;
        }
        V prior = kept.putIfAbsent(key, value);
        if (prior != null) {
            bytes.addAndGet(-size);
            return prior;
        }
        return value;
    }

    /** Bytes kept. */
    public long bytes() {
        return bytes.get();
    }
}
