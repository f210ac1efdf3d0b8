/**
 * Audio values and files: {@link org.sep4j.core.audio.Audio} (channels × samples at a sample
 * rate), RIFF/WAVE reading and writing, and band-limited resampling.
 *
 * <p>Conventions: samples are {@code float} in [-1, 1) for integer PCM (divided by 2^(bits-1), as
 * soundfile and torchaudio do), channel-major {@code [channel][sample]}. Integer sample counts are
 * the truth; durations in seconds are derived, never stored.
 */
package org.sep4j.core.audio;
