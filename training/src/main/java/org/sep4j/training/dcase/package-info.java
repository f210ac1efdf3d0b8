/**
 * The DCASE 2025 Task 4 training tasks: the SED tagger and the query-conditioned separator, each
 * a graph, a loss, batches drawn from the scene generator and a validation that scores with the
 * challenge's metrics.
 */
package org.sep4j.training.dcase;
