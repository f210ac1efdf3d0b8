/**
 * JMH benchmarks of sep4j's hot paths, one class per concept. Run them with {@code ./sep4j bench}
 * (all) or {@code ./sep4j bench Stft} (a regex over benchmark names); results land in
 * {@code results/bench/}. Never timed inside unit tests.
 */
package org.sep4j.benchmarks;
