package org.sep4j.core.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads RIFF/WAVE files: integer PCM 8/16/24/32-bit, IEEE float 32/64-bit, plain and
 * WAVE_FORMAT_EXTENSIBLE headers, any channel count.
 *
 * <p>Integer samples are scaled by 1/2^(bits−1) (8-bit: (b − 128)/128), as soundfile and
 * torchaudio do, so 16-bit files round-trip bit-exactly through {@link WavWriter}. Every problem —
 * not RIFF, not WAVE, a missing chunk, a truncated data chunk, an unsupported encoding — is a
 * {@link WavException} naming the file and what was found. Nothing is resampled or truncated.
 */
public final class WavReader {

    private static final int WAVE_FORMAT_EXTENSIBLE = 0xFFFE;

    private WavReader() {
    }

    /** Reads the whole file. */
    public static Audio read(Path file) throws IOException {
        Parsed p = parse(file, true);
        return new Audio(decode(p), p.info.sampleRate());
    }

    /** The {@code .wav} files of a folder (with {@code recursive}, of its sub-folders too), sorted by path. */
    public static List<Path> list(Path dir, boolean recursive) throws IOException {
        try (Stream<Path> s = recursive ? Files.walk(dir) : Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav"))
                    .sorted().toList();
        }
    }

    /** Reads only the header. */
    public static WavInfo info(Path file) throws IOException {
        return parse(file, false).info;
    }

    private record Parsed(WavInfo info, ByteBuffer data) {
    }

    private static Parsed parse(Path file, boolean withData) throws IOException {
        ByteBuffer buf;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE - 8) {
                throw new WavException(file, "file is " + size + " bytes; WAV files over 2 GiB are not supported");
            }
            buf = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // fill
            }
            buf.flip();
        } catch (NoSuchFileException e) {
            throw new WavException(file, "no such file");
        }
        if (buf.remaining() < 12) {
            throw new WavException(file, "not a WAV file: " + buf.remaining() + " bytes is shorter than a RIFF header");
        }
        String riff = fourCc(buf);
        buf.getInt(); // RIFF size: often wrong in the wild; chunk sizes are checked instead
        String wave = fourCc(buf);
        if (!riff.equals("RIFF")) {
            throw new WavException(file, "not a WAV file: expected 'RIFF' at byte 0, found '" + printable(riff) + "'");
        }
        if (!wave.equals("WAVE")) {
            throw new WavException(file, "not a WAV file: RIFF form type is '" + printable(wave) + "', expected 'WAVE'");
        }
        int channels = -1;
        int sampleRate = -1;
        WavEncoding encoding = null;
        ByteBuffer data = null;
        long dataBytes = -1;
        while (buf.remaining() >= 8) {
            String id = fourCc(buf);
            long chunkSize = Integer.toUnsignedLong(buf.getInt());
            int start = buf.position();
            if (id.equals("fmt ")) {
                if (chunkSize < 16 || chunkSize > buf.remaining()) {
                    throw new WavException(file, "corrupt 'fmt ' chunk: size " + chunkSize + " (need at least 16, "
                            + buf.remaining() + " bytes left)");
                }
                int tag = Short.toUnsignedInt(buf.getShort());
                channels = Short.toUnsignedInt(buf.getShort());
                sampleRate = buf.getInt();
                buf.getInt(); // byte rate, derived
                int blockAlign = Short.toUnsignedInt(buf.getShort());
                int bits = Short.toUnsignedInt(buf.getShort());
                if (tag == WAVE_FORMAT_EXTENSIBLE) {
                    if (chunkSize < 40) {
                        throw new WavException(file, "corrupt WAVE_FORMAT_EXTENSIBLE header: fmt chunk is "
                                + chunkSize + " bytes, expected 40");
                    }
                    // cbSize, valid bits, channel mask; valid bits < container bits needs no care because
                    // samples are left-justified, so scaling by the container width is already right.
                    buf.getShort();
                    buf.getShort();
                    buf.getInt();
                    tag = Short.toUnsignedInt(buf.getShort()); // first two bytes of the sub-format GUID
                }
                encoding = WavEncoding.of(tag, bits);
                if (encoding == null) {
                    throw new WavException(file, "unsupported encoding: format tag " + tag + " with " + bits
                            + " bits per sample (supported: PCM 8/16/24/32-bit, IEEE float 32/64-bit)");
                }
                if (channels == 0) {
                    throw new WavException(file, "corrupt 'fmt ' chunk: 0 channels");
                }
                if (sampleRate <= 0) {
                    throw new WavException(file, "corrupt 'fmt ' chunk: sample rate " + sampleRate);
                }
                if (blockAlign != channels * encoding.bytesPerSample()) {
                    throw new WavException(file, "corrupt 'fmt ' chunk: block align " + blockAlign + " but "
                            + channels + " channels × " + encoding.bytesPerSample() + " bytes = "
                            + channels * encoding.bytesPerSample());
                }
            } else if (id.equals("data")) {
                if (encoding == null) {
                    throw new WavException(file, "corrupt WAV: 'data' chunk comes before the 'fmt ' chunk");
                }
                // 0xFFFFFFFF (and 0) mark a header written before the length was known (streaming writers).
                boolean unknown = chunkSize == 0xFFFFFFFFL || chunkSize == 0 && buf.remaining() > 0;
                long available = buf.remaining();
                if (unknown) {
                    chunkSize = available - available % ((long) channels * encoding.bytesPerSample());
                } else if (chunkSize > available) {
                    throw new WavException(file, "truncated: 'data' chunk declares " + chunkSize + " bytes but only "
                            + available + " follow");
                }
                int frameBytes = channels * encoding.bytesPerSample();
                if (chunkSize % frameBytes != 0) {
                    throw new WavException(file, "corrupt 'data' chunk: " + chunkSize
                            + " bytes is not a whole number of " + frameBytes + "-byte frames");
                }
                dataBytes = chunkSize;
                if (withData) {
                    data = buf.slice(start, (int) chunkSize).order(ByteOrder.LITTLE_ENDIAN);
                }
                break;
            }
            long next = start + chunkSize + (chunkSize & 1); // chunks are word-aligned
            if (next > buf.limit()) {
                break;
            }
            buf.position((int) next);
        }
        if (encoding == null) {
            throw new WavException(file, "corrupt WAV: no 'fmt ' chunk");
        }
        if (dataBytes < 0) {
            throw new WavException(file, "corrupt WAV: no 'data' chunk");
        }
        long frames = dataBytes / ((long) channels * encoding.bytesPerSample());
        return new Parsed(new WavInfo(file, channels, sampleRate, encoding, frames), data);
    }

    private static float[][] decode(Parsed p) {
        WavInfo info = p.info;
        int channels = info.channels();
        int frames = (int) info.frames();
        float[][] out = new float[channels][frames];
        ByteBuffer d = p.data;
        switch (info.encoding()) {
            case PCM_U8 -> {
                for (int n = 0; n < frames; n++) {
                    for (int c = 0; c < channels; c++) {
                        out[c][n] = ((d.get() & 0xFF) - 128) / 128f;
                    }
                }
            }
            case PCM_16 -> {
                final float scale = 1f / 32768f;
                for (int n = 0; n < frames; n++) {
                    for (int c = 0; c < channels; c++) {
                        out[c][n] = d.getShort() * scale;
                    }
                }
            }
            case PCM_24 -> {
                final float scale = 1f / 8388608f;
                for (int n = 0; n < frames; n++) {
                    for (int c = 0; c < channels; c++) {
                        int v = (d.get() & 0xFF) | (d.get() & 0xFF) << 8 | d.get() << 16;
                        out[c][n] = v * scale;
                    }
                }
            }
            case PCM_32 -> {
                for (int n = 0; n < frames; n++) {
                    for (int c = 0; c < channels; c++) {
                        out[c][n] = (float) (d.getInt() / 2147483648.0);
                    }
                }
            }
            case FLOAT_32 -> {
                for (int n = 0; n < frames; n++) {
                    for (int c = 0; c < channels; c++) {
                        out[c][n] = d.getFloat();
                    }
                }
            }
            case FLOAT_64 -> {
                for (int n = 0; n < frames; n++) {
                    for (int c = 0; c < channels; c++) {
                        out[c][n] = (float) d.getDouble();
                    }
                }
            }
        }
        return out;
    }

    private static String fourCc(ByteBuffer b) {
        byte[] id = new byte[4];
        b.get(id);
        return new String(id, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char ch : s.toCharArray()) {
            sb.append(ch >= 32 && ch < 127 ? String.valueOf(ch) : String.format("\\x%02x", (int) ch));
        }
        return sb.toString();
    }
}
