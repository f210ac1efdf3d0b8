/**
 * Experiment tracking: a {@link org.sep4j.core.track.Tracker} receives a run's resolved config,
 * scalar metrics by step, summary values, files and the final status. {@link
 * org.sep4j.core.track.LocalTracker} always writes metrics.jsonl/csv, summary.json and PNG curves
 * into the run folder; {@link org.sep4j.core.track.WandbTracker} speaks the Weights &amp; Biases HTTP
 * API, keeps an offline log for {@code sep4j wandb sync}, and never lets a remote failure stop
 * training.
 */
package org.sep4j.core.track;
