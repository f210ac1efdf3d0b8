package org.sep4j.models.sslam;

import org.sep4j.core.config.Doc;

/**
 * The EAT/SSLAM encoder's size: ViT-B ({@link #base()}, ~88 M parameters) or a CPU-sized
 * {@link #tiny()}. Patches are 16×16 over 128 mel bins, so every clip has 8 frequency patches and
 * frames/16 time patches.
 */
public record EatConfig(
        @Doc("token width (768 for ViT-B)") int dim,
        @Doc("post-LN transformer blocks") int depth,
        @Doc("attention heads") int heads,
        @Doc("MLP width over the token width") double mlpRatio,
        @Doc("LayerNorm epsilon") double lnEps) {

    /** Patch side in fbank frames and mel bins. */
    public static final int PATCH = 16;
    /** Mel bins of the input fbank. */
    public static final int MEL_BINS = 128;

    public EatConfig {
        if (dim < 4 || dim % 4 != 0 || depth < 1 || heads < 1 || dim % heads != 0 || !(mlpRatio > 0) || !(lnEps > 0)) {
            throw new IllegalArgumentException("EAT encoder: dim must be a positive multiple of 4 and of heads, depth, "
                    + "heads, mlp_ratio and ln_eps positive; got dim " + dim + ", depth " + depth + ", heads " + heads
                    + ", mlp_ratio " + mlpRatio + ", ln_eps " + lnEps);
        }
    }

    /** The published ViT-B: 768 wide, 12 blocks of 12 heads, MLP 3072, LayerNorm eps 1e-6. */
    public static EatConfig base() {
        return new EatConfig(768, 12, 12, 4.0, 1e-6);
    }

    /** A CPU-sized encoder of the same structure. */
    public static EatConfig tiny() {
        return new EatConfig(64, 2, 4, 4.0, 1e-6);
    }

    /** Patches of a clip of {@code frames} fbank frames (a multiple of 16). */
    public int patches(int frames) {
        if (frames < PATCH || frames % PATCH != 0) {
            throw new IllegalArgumentException("EAT encoder: the fbank needs a positive multiple of " + PATCH + " frames, got "
                    + frames);
        }
        return frames / PATCH * (MEL_BINS / PATCH);
    }
}
