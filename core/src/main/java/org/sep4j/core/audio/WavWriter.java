package org.sep4j.core.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.sep4j.core.io.AtomicFiles;

/**
 * Writes RIFF/WAVE files atomically (temp file in the same folder, then a move), so a killed run
 * never leaves a half-written file under the final name.
 *
 * <p>Integer PCM: the float sample is scaled by 2^(bits−1), rounded to nearest and clipped to the
 * integer range (a sample of exactly 1.0 becomes the largest positive code). More than two channels,
 * or more than 16 bits, use WAVE_FORMAT_EXTENSIBLE as the format specification asks.
 */
public final class WavWriter {

    private WavWriter() {
    }

    /** Writes 16-bit PCM. */
    public static void write(Path file, Audio audio) throws IOException {
        write(file, audio, WavEncoding.PCM_16);
    }

    public static void write(Path file, Audio audio, WavEncoding encoding) throws IOException {
        if (encoding == WavEncoding.PCM_U8 || encoding == WavEncoding.FLOAT_64) {
            throw new WavException(file, "writing " + encoding + " is not supported (use PCM_16, PCM_24, PCM_32 or FLOAT_32)");
        }
        int channels = audio.channels();
        int frames = audio.length();
        int bytesPerSample = encoding.bytesPerSample();
        long dataBytes = (long) frames * channels * bytesPerSample;
        boolean extensible = channels > 2 || encoding.bitsPerSample() > 16;
        int fmtSize = extensible ? 40 : 16;
        long riffSize = 4 + (8 + fmtSize) + (8 + dataBytes) + (dataBytes & 1);
        if (riffSize > 0xFFFFFFFFL) {
            throw new WavException(file, "audio needs " + dataBytes + " bytes of samples; a WAV file holds at most 4 GiB");
        }
        ByteBuffer header = ByteBuffer.allocate(12 + 8 + fmtSize + 8).order(ByteOrder.LITTLE_ENDIAN);
        header.put(ascii("RIFF")).putInt((int) riffSize).put(ascii("WAVE"));
        header.put(ascii("fmt ")).putInt(fmtSize);
        header.putShort((short) (extensible ? 0xFFFE : encoding.formatTag()));
        header.putShort((short) channels);
        header.putInt(audio.sampleRate());
        header.putInt(audio.sampleRate() * channels * bytesPerSample);
        header.putShort((short) (channels * bytesPerSample));
        header.putShort((short) encoding.bitsPerSample());
        if (extensible) {
            header.putShort((short) 22);
            header.putShort((short) encoding.bitsPerSample());
            header.putInt(0); // no speaker mask: channels are not loudspeaker feeds
            // Sub-format GUID: the format tag followed by the fixed KSDATAFORMAT suffix.
            header.putInt(encoding.formatTag()).putShort((short) 0x0000).putShort((short) 0x0010);
            header.put(new byte[] {(byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71});
        }
        header.put(ascii("data")).putInt((int) dataBytes);
        header.flip();

        AtomicFiles.write(file, tmp -> {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(header);
                int blockFrames = Math.max(1, (1 << 16) / (channels * bytesPerSample));
                ByteBuffer block = ByteBuffer.allocate(blockFrames * channels * bytesPerSample).order(ByteOrder.LITTLE_ENDIAN);
                float[][] s = audio.samples();
                for (int start = 0; start < frames; start += blockFrames) {
                    int end = Math.min(frames, start + blockFrames);
                    block.clear();
                    encode(s, start, end, encoding, block);
                    block.flip();
                    while (block.hasRemaining()) {
                        ch.write(block);
                    }
                }
                if ((dataBytes & 1) == 1) {
                    ch.write(ByteBuffer.wrap(new byte[1]));
                }
            }
        });
    }

    private static void encode(float[][] s, int start, int end, WavEncoding encoding, ByteBuffer out) {
        int channels = s.length;
        switch (encoding) {
            case PCM_16 -> {
                for (int n = start; n < end; n++) {
                    for (int c = 0; c < channels; c++) {
                        out.putShort((short) quantize(s[c][n], 32768.0, 32767));
                    }
                }
            }
            case PCM_24 -> {
                for (int n = start; n < end; n++) {
                    for (int c = 0; c < channels; c++) {
                        int v = (int) quantize(s[c][n], 8388608.0, 8388607);
                        out.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
                    }
                }
            }
            case PCM_32 -> {
                for (int n = start; n < end; n++) {
                    for (int c = 0; c < channels; c++) {
                        out.putInt((int) quantize(s[c][n], 2147483648.0, 2147483647L));
                    }
                }
            }
            case FLOAT_32 -> {
                for (int n = start; n < end; n++) {
                    for (int c = 0; c < channels; c++) {
                        out.putFloat(s[c][n]);
                    }
                }
            }
            default -> throw new IllegalStateException("unreachable: " + encoding);
        }
    }

    /** Scales, rounds to nearest (ties to even) and clips to [−full, max]; NaN becomes 0. */
    private static long quantize(float x, double full, long max) {
        double v = Math.rint(x * full);
        if (v >= max) {
            return max;
        }
        if (v <= -full) {
            return (long) -full;
        }
        return (long) v;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
