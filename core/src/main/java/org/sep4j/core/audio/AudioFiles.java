package org.sep4j.core.audio;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.jflac.FLACDecoder;
import org.jflac.frame.Frame;
import org.jflac.metadata.StreamInfo;
import org.jflac.util.ByteData;

/**
 * Reads audio files by what they hold, not by their name: RIFF/WAVE through {@link WavReader},
 * FLAC through jFLAC (integer PCM scaled by 1/2^(bits−1), as for WAV). Anything else — MP3, Ogg,
 * text under a {@code .wav} name — is a {@link WavException} naming the file and what it holds.
 */
public final class AudioFiles {

    private AudioFiles() {
    }

    public static Audio read(Path file) throws IOException {
        byte[] head = new byte[12];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        String magic = new String(head, 0, Math.min(n, 4), java.nio.charset.StandardCharsets.ISO_8859_1);
        if (magic.equals("RIFF") || magic.equals("RIFX") || magic.equals("RF64")) {
            return WavReader.read(file);
        }
        if (magic.equals("fLaC")) {
            return readFlac(file);
        }
        throw new WavException(file, "not a WAV or FLAC file: it holds " + describe(head, n));
    }

    /** The {@code .wav} and {@code .flac} files of a folder (recursively with {@code recursive}), sorted by path. */
    public static List<Path> list(Path dir, boolean recursive) throws IOException {
        try (Stream<Path> s = recursive ? Files.walk(dir) : Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(f -> {
                String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
                return name.endsWith(".wav") || name.endsWith(".flac");
            }).sorted().toList();
        }
    }

    private static String describe(byte[] h, int n) {
        if (n == 0) {
            return "nothing (0 bytes)";
        }
        if (n >= 3 && h[0] == 'I' && h[1] == 'D' && h[2] == '3'
                || n >= 2 && (h[0] & 0xFF) == 0xFF && (h[1] & 0xE0) == 0xE0) {
            return "MP3 data (decode it to WAV or FLAC first, e.g. with ffmpeg or sox)";
        }
        if (n >= 4 && h[0] == 'O' && h[1] == 'g' && h[2] == 'g' && h[3] == 'S') {
            return "an Ogg stream (decode it to WAV or FLAC first)";
        }
        StringBuilder sb = new StringBuilder("bytes");
        for (int i = 0; i < Math.min(n, 8); i++) {
            sb.append(String.format(Locale.ROOT, " %02x", h[i]));
        }
        return sb.toString();
    }

    private static Audio readFlac(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            FLACDecoder decoder = new FLACDecoder(in);
            decoder.readMetadata();
            StreamInfo info = decoder.getStreamInfo();
            if (info == null) {
                throw new WavException(file, "FLAC stream without STREAMINFO");
            }
            int channels = info.getChannels();
            int bits = info.getBitsPerSample();
            int bytes = (bits + 7) / 8;
            long total = info.getTotalSamples();
            if (total > Integer.MAX_VALUE) {
                throw new WavException(file, total + " samples per channel: too long");
            }
            float[][] x = new float[channels][(int) Math.max(total, 0)];
            double scale = 1.0 / (1L << (bits - 1));
            int at = 0;
            ByteData pcm = null;
            Frame frame;
            while ((frame = decoder.readNextFrame()) != null) {
                pcm = decoder.decodeFrame(frame, pcm);
                byte[] d = pcm.getData();
                int frames = pcm.getLen() / (bytes * channels);
                if (at + frames > x[0].length) { // STREAMINFO left the length unknown (0) or short
                    for (int c = 0; c < channels; c++) {
                        x[c] = java.util.Arrays.copyOf(x[c], Math.max(at + frames, 2 * x[c].length));
                    }
                }
                int p = 0;
                for (int i = 0; i < frames; i++) {
                    for (int c = 0; c < channels; c++) {
                        int v;
                        if (bytes == 1) {
                            v = (d[p] & 0xFF) - 128; // jFLAC writes 8-bit PCM unsigned, as WAV does
                        } else {
                            v = 0;
                            for (int b = 0; b < bytes; b++) {
                                v |= (d[p + b] & 0xFF) << (8 * b);
                            }
                            v = (v << (32 - 8 * bytes)) >> (32 - 8 * bytes); // sign-extend
                        }
                        p += bytes;
                        x[c][at + i] = (float) (v * scale);
                    }
                }
                at += frames;
            }
            if (at == 0 && total > 0) {
                throw new WavException(file, "FLAC stream declares " + total + " samples but no frame decoded");
            }
            if (at < x[0].length) {
                if (total > 0 && at < total) {
                    throw new WavException(file, "truncated FLAC stream: " + at + " of " + total + " samples decoded");
                }
                for (int c = 0; c < channels; c++) {
                    x[c] = java.util.Arrays.copyOf(x[c], at);
                }
            }
            return new Audio(x, info.getSampleRate());
        }
    }
}
