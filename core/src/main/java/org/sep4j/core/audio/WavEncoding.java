package org.sep4j.core.audio;

/** Sample encodings sep4j reads and writes in RIFF/WAVE files. */
public enum WavEncoding {
    /** Unsigned 8-bit PCM (offset 128). Read only. */
    PCM_U8(8, false),
    PCM_16(16, false),
    PCM_24(24, false),
    PCM_32(32, false),
    FLOAT_32(32, true),
    /** 64-bit IEEE float. Read only. */
    FLOAT_64(64, true);

    private final int bits;
    private final boolean floating;

    WavEncoding(int bits, boolean floating) {
        this.bits = bits;
        this.floating = floating;
    }

    public int bitsPerSample() {
        return bits;
    }

    public int bytesPerSample() {
        return bits / 8;
    }

    public boolean isFloat() {
        return floating;
    }

    /** The WAVE format tag: 1 for integer PCM, 3 for IEEE float. */
    int formatTag() {
        return floating ? 3 : 1;
    }

    static WavEncoding of(int formatTag, int bits) {
        if (formatTag == 1) {
            return switch (bits) {
                case 8 -> PCM_U8;
                case 16 -> PCM_16;
                case 24 -> PCM_24;
                case 32 -> PCM_32;
                default -> null;
            };
        }
        if (formatTag == 3) {
            return switch (bits) {
                case 32 -> FLOAT_32;
                case 64 -> FLOAT_64;
                default -> null;
            };
        }
        return null;
    }
}
