/**
 * A small CLAP (contrastive language-audio pre-training) that sep4j trains itself: a convolutional
 * audio tower on an in-graph log-mel (so gradients reach the waveform, as BiSep's contrastive loss
 * needs) and a transformer text tower over a byte-level BPE, both ending in unit-norm embeddings of
 * one joint space.
 */
package org.sep4j.models.clap;
