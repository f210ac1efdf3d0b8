package org.sep4j.core.tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sep4j.core.io.AtomicFiles;
import org.sep4j.core.io.Json;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
 * mapping each name to {dtype, shape, data_offsets} (plus optional string {@code __metadata__}),
 * then the raw data. Tensors come back in file order.
 */
public final class Safetensors {

    private static final long MAX_HEADER = 100L << 20;

    /** Tensors and metadata of one file. */
    public record Contents(Map<String, TensorData> tensors, Map<String, String> metadata) {

        /** The tensor of that name, or an error listing the names the file has. */
        public TensorData get(String name) {
            TensorData t = tensors.get(name);
            if (t == null) {
                throw new IllegalArgumentException("no tensor '" + name + "' (have " + tensors.keySet() + ")");
            }
            return t;
        }
    }

    private Safetensors() {
    }

    public static Contents read(Path file) throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        }
        return parse(all, file.toString());
    }

    /** Parses a safetensors image; {@code source} names it in errors. */
    @SuppressWarnings("unchecked")
    public static Contents parse(byte[] all, String source) throws IOException {
        if (all.length < 8) {
            throw new IOException(source + ": not a safetensors file (" + all.length + " bytes)");
        }
        long headerLen = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > all.length) {
            throw new IOException(source + ": not a safetensors file (header length " + headerLen + ", file "
                    + all.length + " bytes)");
        }
        Object parsed;
        try {
            parsed = Json.parse(new String(all, 8, (int) headerLen, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": corrupt safetensors header: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> header)) {
            throw new IOException(source + ": corrupt safetensors header: not a JSON object");
        }
        int base = 8 + (int) headerLen;
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : header.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals("__metadata__")) {
                ((Map<String, Object>) e.getValue()).forEach((k, v) -> metadata.put(k, String.valueOf(v)));
                continue;
            }
            try {
                Map<String, Object> spec = (Map<String, Object>) e.getValue();
                String dtype = (String) spec.get("dtype");
                List<Object> shapeList = (List<Object>) spec.get("shape");
                List<Object> offsets = (List<Object>) spec.get("data_offsets");
                long[] shape = new long[shapeList.size()];
                for (int k = 0; k < shape.length; k++) {
                    shape[k] = ((Number) shapeList.get(k)).longValue();
                }
                long begin = ((Number) offsets.get(0)).longValue();
                long end = ((Number) offsets.get(1)).longValue();
                if (begin < 0 || end < begin || base + end > all.length) {
                    throw new IOException(source + ": tensor '" + name + "' has data offsets [" + begin + ", " + end
                            + "] outside the " + (all.length - base) + "-byte data section (truncated file?)");
                }
                byte[] bytes = new byte[(int) (end - begin)];
                System.arraycopy(all, base + (int) begin, bytes, 0, bytes.length);
                tensors.put(name, new TensorData(dtype, shape, bytes));
            } catch (ClassCastException | NullPointerException | IndexOutOfBoundsException ex) {
                throw new IOException(source + ": corrupt entry for tensor '" + name + "' in the safetensors header");
            } catch (IllegalArgumentException ex) {
                throw new IOException(source + ": tensor '" + name + "': " + ex.getMessage());
            }
        }
        return new Contents(tensors, metadata);
    }

    /** Writes atomically. */
    public static void write(Path file, Map<String, TensorData> tensors, Map<String, String> metadata)
            throws IOException {
        AtomicFiles.writeBytes(file, encode(tensors, metadata));
    }

    public static byte[] encode(Map<String, TensorData> tensors, Map<String, String> metadata) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            header.put("__metadata__", new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
            TensorData t = e.getValue();
            List<Object> shape = new ArrayList<>();
            for (long d : t.shape()) {
                shape.add(d);
            }
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("dtype", t.dtype());
            spec.put("shape", shape);
            spec.put("data_offsets", List.of(offset, offset + t.bytes().length));
            header.put(e.getKey(), spec);
            offset += t.bytes().length;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(8 + padded + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded);
        out.put(json);
        for (int k = json.length; k < padded; k++) {
            out.put((byte) ' ');
        }
        for (TensorData t : tensors.values()) {
            out.put(t.bytes());
        }
        return out.array();
    }
}
