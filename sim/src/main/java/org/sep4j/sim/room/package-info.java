/**
 * Shoebox room acoustics by the image-source method (Allen &amp; Berkley 1979): per-wall
 * absorption, a maximum reflection order, fractional-delay taps (Hann-windowed sinc), RT60 →
 * absorption by Sabine or Eyring, an optional exponential diffuse tail beyond the image order,
 * microphone arrays with directivity, a spherical-head binaural receiver, and parallel batches.
 *
 * <p>Conventions: positions in metres, room corner at the origin, x/y/z along length/width/height;
 * a room impulse response is {@code [channel][sample]} at the room's sample rate, sample 0 = the
 * source's emission time; the direct path has amplitude 1/(4πr).
 */
package org.sep4j.sim.room;
