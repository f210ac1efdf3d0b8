/** Benchmarks of the evaluation metrics: BSS Eval, SI-SDR, CA-SDRi. */
package org.sep4j.benchmarks.evaluation;
