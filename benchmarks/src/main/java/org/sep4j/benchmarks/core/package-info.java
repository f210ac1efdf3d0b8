/** Benchmarks of core: STFT/ISTFT, mel and Kaldi filterbanks, resampling, FFT convolution. */
package org.sep4j.benchmarks.core;
