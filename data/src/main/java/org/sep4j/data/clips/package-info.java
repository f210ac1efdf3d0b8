/**
 * Labelled clips for tagging evaluation (linear probes, fine-tuning): a user's
 * {@code <class>/*.wav} folder or an AudioSet-style CSV, read as 16-kHz-style mono waveforms with
 * multi-hot labels.
 */
package org.sep4j.data.clips;
