/**
 * BiSep (ICLR 2024): the conditional attention U-Net that separates a mixture's magnitude
 * spectrogram by a text query, conditioned on CLAP's text tokens (self- and cross-attention at the
 * deepest levels) and its text embedding (Sound-of-Pixels mask head).
 */
package org.sep4j.models.bisep;
