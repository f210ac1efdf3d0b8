package org.sep4j.training.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Versions fixed at build time (sep4j and its native engines), read without loading any native code. */
final class Versions {

    private static final Properties PROPS = load();

    private Versions() {
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("/org/sep4j/training/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    static String sep4j() {
        return PROPS.getProperty("sep4j.version", "unknown");
    }

    static String nd4j() {
        return PROPS.getProperty("nd4j.version", "unknown") + " (" + PROPS.getProperty("nd4j.classifier", "?") + ")";
    }

    static String onnxRuntime() {
        return PROPS.getProperty("onnxruntime.version", "unknown");
    }
}
