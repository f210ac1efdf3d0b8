/**
 * The {@code sep4j} command line (picocli). {@link org.sep4j.training.cli.Main} is the entry point
 * the {@code ./sep4j} launcher runs. Exit codes: 0 ok, 1 run failed, 2 usage or config error.
 */
package org.sep4j.training.cli;
