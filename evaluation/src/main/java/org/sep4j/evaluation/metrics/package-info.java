/**
 * Separation and tagging metrics on plain float arrays, defined exactly as the reference
 * implementations the community reports with: torchmetrics (SNR, SI-SDR, SI-SNR), mir_eval 0.7
 * (BSS Eval v3 sources and images), museval (v4 framewise images), the DCASE 2025 Task 4 scorer
 * (CA-SDRi, label accuracy) and scikit-learn (average precision, partial ROC AUC).
 *
 * <p>Arrays are {@code [sample]} for one signal, {@code [source][sample]} or
 * {@code [source][channel][sample]} for sets. Mismatched lengths, channel counts or sample rates
 * are errors that say which operand has what.
 */
package org.sep4j.evaluation.metrics;
