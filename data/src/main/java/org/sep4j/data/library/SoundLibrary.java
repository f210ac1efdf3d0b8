package org.sep4j.data.library;

import java.util.List;

/**
 * Clips by class. Clip {@code index} of a class is always the same waveform (for a given library),
 * so datasets built from a seed are reproducible.
 */
public interface SoundLibrary {

    /** Sample rate of every clip. */
    int sampleRate();

    /** The classes this library has, in a fixed order. */
    List<String> classes();

    /** How many distinct clips a class has (Integer.MAX_VALUE for procedural ones). */
    int size(String cls);

    /** Clip {@code index} of a class, mono, peak-normalised to 1 unless silent. */
    float[] clip(String cls, int index);
}
