/**
 * Runs as Hydra organises them: one folder per run under {@code <run.root>/<experiment>/<name>}
 * holding the resolved {@code config.yaml}, {@code overrides.txt}, the git commit, provenance, the
 * full log and whatever the trackers write.
 */
package org.sep4j.training.experiment;
