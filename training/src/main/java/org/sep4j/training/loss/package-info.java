/**
 * Training losses as SameDiff graph pieces, defined like the metrics they optimise
 * (evaluation.metrics): negative SNR and SI-SDR with silent-slot masks, L1/L2, binary cross-entropy
 * with logits, mean squared error.
 */
package org.sep4j.training.loss;
