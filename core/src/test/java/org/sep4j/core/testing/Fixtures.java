package org.sep4j.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.sep4j.core.tensor.Safetensors;

/**
 * Golden-value fixtures committed under {@code src/test/resources/fixtures/}, made by the scripts
 * in {@code tools/fixtures/} (named in each file's metadata).
 */
public final class Fixtures {

    private Fixtures() {
    }

    /** Loads {@code fixtures/<name>.safetensors} from the test class path. */
    public static Safetensors.Contents load(String name) {
        String resource = "/fixtures/" + name + ".safetensors";
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + resource + ": run the script in tools/fixtures/");
            }
            return Safetensors.parse(in.readAllBytes(), resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
