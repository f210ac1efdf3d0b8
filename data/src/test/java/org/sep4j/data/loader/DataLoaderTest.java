package org.sep4j.data.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class DataLoaderTest {

    /** Items that take a random time, so workers finish out of order. */
    private static final Dataset<Long> SLOW = new Dataset<>() {
        @Override
        public long size() {
            return 23;
        }

        @Override
        public Long get(long index) {
            try {
                Thread.sleep(ThreadLocalRandom.current().nextInt(3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return index * 10;
        }
    };

    private static List<List<Long>> epoch(int workers, Long seed, boolean dropLast) {
        List<List<Long>> out = new ArrayList<>();
        try (DataLoader<Long, List<Long>> l = new DataLoader<>(SLOW, 5, List::copyOf, seed, dropLast, workers, 2)) {
            while (l.hasNext()) {
                out.add(l.next());
            }
        }
        return out;
    }

    @Test
    void batchesDependOnTheSeedNotOnWorkers() {
        List<List<Long>> one = epoch(1, 9L, false);
        assertThat(epoch(4, 9L, false)).isEqualTo(one);
        assertThat(one).hasSize(5);
        assertThat(one.get(4)).hasSize(3);
        assertThat(one.stream().flatMap(List::stream).sorted().toList()).hasSize(23).doesNotHaveDuplicates();
        assertThat(epoch(2, 10L, false)).isNotEqualTo(one);
        assertThat(epoch(2, null, true)).hasSize(4).first().isEqualTo(List.of(0L, 10L, 20L, 30L, 40L));
    }

    @Test
    void workerFailuresSurfaceAndStopTheLoader() {
        Dataset<Long> broken = new Dataset<>() {
            @Override
            public long size() {
                return 10;
            }

            @Override
            public Long get(long index) {
                if (index == 7) {
                    throw new IllegalStateException("item 7 is corrupt");
                }
                return index;
            }
        };
        try (DataLoader<Long, List<Long>> l = new DataLoader<>(broken, 4, List::copyOf, null, false, 2, 2)) {
            l.next();
            assertThatThrownBy(l::next).hasMessageContaining("item 7 is corrupt");
        }
    }
}
