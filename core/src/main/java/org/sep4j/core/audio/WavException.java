package org.sep4j.core.audio;

import java.io.IOException;
import java.nio.file.Path;

/** A WAV file that cannot be read or written: the message names the file and what was found. */
public final class WavException extends IOException {

    private static final long serialVersionUID = 1L;

    public WavException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
