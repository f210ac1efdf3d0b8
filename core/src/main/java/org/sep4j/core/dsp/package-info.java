/**
 * Signal processing shared by models, metrics and data generation: windows, the short-time Fourier
 * transform and its inverse, mel filterbanks, Kaldi filterbank features and FFT convolution.
 *
 * <p>Conventions follow PyTorch/torchaudio unless a class says otherwise: {@code torch.stft}
 * framing (center padding of n_fft/2 with reflect by default, frames = 1 + L/hop), the
 * e^(−j2πkn/N) kernel, onesided n_fft/2 + 1 bins, spectrogram layout {@code [channel][freq][frame]}.
 * Each transform has a stateless static form taking every parameter explicitly, and a configured
 * wrapper that holds the defaults and precomputes its window or filterbank once.
 */
package org.sep4j.core.dsp;
