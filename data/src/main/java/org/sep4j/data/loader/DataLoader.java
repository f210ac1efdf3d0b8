package org.sep4j.data.loader;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Batches of a dataset, made by background worker threads with at most {@code prefetch} batches
 * waiting. The order (shuffled per epoch from a seed, or sequential) and the batch contents depend
 * only on the seed and epoch, never on the number of workers or their timing. Close it (or exhaust
 * it) to stop the workers.
 *
 * @param <T> item type
 * @param <B> batch type, made from a list of items by the collate function
 */
public final class DataLoader<T, B> implements Iterator<B>, AutoCloseable {

    private final Dataset<T> dataset;
    private final int batchSize;
    private final Function<List<T>, B> collate;
    private final long[] order;
    private final ExecutorService workers;
    private final BlockingQueue<Future<B>> ready;
    private final Thread feeder;
    private int delivered;
    private final int batches;

    /**
     * @param shuffleSeed null for the dataset order, else the seed of this epoch's permutation
     * @param dropLast    drop a final partial batch
     */
    public DataLoader(Dataset<T> dataset, int batchSize, Function<List<T>, B> collate, Long shuffleSeed,
            boolean dropLast, int workerCount, int prefetch) {
        if (batchSize < 1 || workerCount < 1 || prefetch < 1) {
            throw new IllegalArgumentException("batch size, workers and prefetch must be at least 1");
        }
        if (dataset.size() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("datasets over 2^31 items are not supported");
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.collate = collate;
        int n = (int) dataset.size();
        int[] perm = shuffleSeed == null ? java.util.stream.IntStream.range(0, n).toArray()
                : permutation(n, new SplittableRandom(shuffleSeed));
        order = new long[n];
        for (int i = 0; i < n; i++) {
            order[i] = perm[i];
        }
        batches = dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
        workers = Executors.newFixedThreadPool(workerCount, r -> {
            Thread t = new Thread(r, "sep4j-loader");
            t.setDaemon(true);
            return t;
        });
        ready = new ArrayBlockingQueue<>(prefetch);
        feeder = new Thread(this::feed, "sep4j-loader-feed");
        feeder.setDaemon(true);
        feeder.start();
    }

    public int batches() {
        return batches;
    }

    private void feed() {
        try {
            for (int b = 0; b < batches; b++) {
                int from = b * batchSize;
                int to = Math.min(order.length, from + batchSize);
                ready.put(workers.submit(() -> {
                    List<T> items = new ArrayList<>(to - from);
                    for (int i = from; i < to; i++) {
                        items.add(dataset.get(order[i]));
                    }
                    return collate.apply(items);
                }));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed while feeding
        }
    }

    @Override
    public boolean hasNext() {
        return delivered < batches;
    }

    @Override
    public B next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the epoch has " + batches + " batches");
        }
        try {
            B b = ready.take().get();
            delivered++;
            if (delivered == batches) {
                close();
            }
            return b;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        } catch (java.util.concurrent.ExecutionException e) {
            close();
            Throwable c = e.getCause();
            throw c instanceof RuntimeException re ? re : new IllegalStateException("a data worker failed: " + c, c);
        }
    }

    @Override
    public void close() {
        feeder.interrupt();
        workers.shutdownNow();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A uniformly random permutation of {@code 0..n-1} (Fisher–Yates, from the last position down), the same for the same draws. */
    public static int[] permutation(int n, SplittableRandom r) {
        int[] p = java.util.stream.IntStream.range(0, n).toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
