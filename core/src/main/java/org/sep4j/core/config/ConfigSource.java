package org.sep4j.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Where config files come from: a folder on disk or a folder inside the class path (the jar). */
public interface ConfigSource {

    /** The text of {@code relative} (e.g. "model/sed.yaml"), if this source has it. */
    Optional<String> read(String relative);

    /** Option names (file stems) of a group folder, sorted; empty when the folder is absent. */
    List<String> options(String group);

    /** Whether {@code group} is a folder in this source. */
    boolean hasGroup(String group);

    /** A readable name for provenance ("configs/model/sed.yaml" or "/home/me/conf/model/sed.yaml"). */
    String describe(String relative);

    static ConfigSource directory(Path root) {
        return new Directory(root);
    }

    static ConfigSource classpath(String root) {
        return new Classpath(root);
    }

    /** A folder on disk. */
    record Directory(Path root) implements ConfigSource {

        @Override
        public Optional<String> read(String relative) {
            Path p = root.resolve(relative);
            if (!Files.isRegularFile(p)) {
                return Optional.empty();
            }
            try {
                return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public List<String> options(String group) {
            return list(root.resolve(group));
        }

        @Override
        public boolean hasGroup(String group) {
            return !group.isEmpty() && Files.isDirectory(root.resolve(group));
        }

        @Override
        public String describe(String relative) {
            return root.resolve(relative).toString();
        }
    }

    /** A folder of class path resources, e.g. "configs" packaged in the CLI jar. */
    record Classpath(String root) implements ConfigSource {

        @Override
        public Optional<String> read(String relative) {
            try (InputStream in = ConfigSource.class.getResourceAsStream("/" + root + "/" + relative)) {
                return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public List<String> options(String group) {
            URL url = ConfigSource.class.getResource("/" + root + "/" + group);
            if (url == null) {
                return List.of();
            }
            try {
                if (url.getProtocol().equals("file")) {
                    return list(Path.of(url.toURI()));
                }
                if (url.getProtocol().equals("jar")) {
                    String spec = url.toString();
                    String jar = spec.substring(0, spec.indexOf("!/"));
                    try (FileSystem fs = FileSystems.newFileSystem(java.net.URI.create(jar), Map.of())) {
                        return list(fs.getPath("/" + root + "/" + group));
                    }
                }
            } catch (IOException | URISyntaxException e) {
                throw new ConfigError("cannot list config group '" + group + "' in the class path: " + e.getMessage(), e);
            }
            return List.of();
        }

        @Override
        public boolean hasGroup(String group) {
            return !group.isEmpty() && ConfigSource.class.getResource("/" + root + "/" + group + "/") != null;
        }

        @Override
        public String describe(String relative) {
            return root + "/" + relative;
        }
    }

    private static List<String> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> {
                String n = p.getFileName().toString();
                if (n.endsWith(".yaml")) {
                    out.add(n.substring(0, n.length() - 5));
                } else if (Files.isDirectory(p)) {
                    for (String sub : list(p)) {
                        out.add(n + "/" + sub);
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(null);
        return out;
    }
}
