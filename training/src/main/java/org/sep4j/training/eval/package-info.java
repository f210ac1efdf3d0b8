/** Two-stage pipelines that run trained models over a dataset and hand the outputs to the metrics. */
package org.sep4j.training.eval;
