package org.sep4j.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ByteBudgetMemoTest {

    @Test
    void keepsUntilTheBudgetAndTheFirstValueWins() {
        ByteBudgetMemo<Integer, String> m = new ByteBudgetMemo<>(10);
        assertThat(m.keep(1, "a", 4)).isEqualTo("a");
        assertThat(m.keep(1, "b", 4)).as("the first kept value wins").isEqualTo("a");
        assertThat(m.bytes()).isEqualTo(4);
        assertThat(m.keep(2, "c", 6)).isEqualTo("c");
        assertThat(m.get(2)).as("fills the budget exactly").isEqualTo("c");
        assertThat(m.keep(3, "d", 1)).isEqualTo("d");
        assertThat(m.get(3)).as("over the budget: handed back, not kept").isNull();
        assertThat(m.bytes()).isEqualTo(10);
    }

    @Test
    void concurrentKeepsNeverExceedTheBudget() {
        ByteBudgetMemo<Integer, Integer> m = new ByteBudgetMemo<>(1000);
        IntStream.range(0, 10_000).parallel().forEach(i -> m.keep(i % 500, i, 7));
        long kept = IntStream.range(0, 500).filter(k -> m.get(k) != null).count();
        assertThat(m.bytes()).as("the bytes of what is kept, within the budget").isEqualTo(7 * kept).isLessThanOrEqualTo(1000);
        assertThat(kept).isPositive();
    }
}
