/**
 * SSLAM (ICLR 2025) and the EAT encoder it trains: a post-LN ViT over 16×16 patches of the 128-bin
 * Kaldi fbank, with fairseq's parameter names so the official checkpoints import by name.
 */
package org.sep4j.models.sslam;
