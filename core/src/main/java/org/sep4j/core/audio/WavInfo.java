package org.sep4j.core.audio;

import java.nio.file.Path;

/**
 * What a WAV header says about its samples, read without decoding them.
 *
 * @param file       the file the header came from
 * @param channels   interleaved channels per frame
 * @param sampleRate frames per second
 * @param encoding   sample encoding
 * @param frames     samples per channel
 */
public record WavInfo(Path file, int channels, int sampleRate, WavEncoding encoding, long frames) {

    /** Duration in seconds, derived from the integer frame count. */
    public double seconds() {
        return (double) frames / sampleRate;
    }
}
