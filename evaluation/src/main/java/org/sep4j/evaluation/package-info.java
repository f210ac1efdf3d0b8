/**
 * Metrics on waveforms and labels (SDR family, CA-SDRi, PESQ, tagging), reports, tables and plots.
 * Depends on core only: metrics never run models. Filled in by the metrics issue.
 */
package org.sep4j.evaluation;
