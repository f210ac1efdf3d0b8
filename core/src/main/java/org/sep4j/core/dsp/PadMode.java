package org.sep4j.core.dsp;

/** How {@link Stft} pads the signal ends when {@code center} is on (torch.stft's {@code pad_mode}). */
public enum PadMode {
    /** Mirror without repeating the edge sample (torch's default, numpy's "reflect"). */
    REFLECT,
    /** Zeros (librosa's default since 0.9). */
    CONSTANT;

    /** Parses a config name: reflect or constant (or zeros). */
    public static PadMode parse(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "reflect" -> REFLECT;
            case "constant", "zeros", "zero" -> CONSTANT;
            default -> throw new IllegalArgumentException("unknown pad mode '" + name + "' (expected reflect or constant)");
        };
    }
}
