package org.sep4j.sim.room;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Room impulse responses by the image-source method.
 *
 * <p>Images (nx, ny, nz, px, py, pz) sit at ((1 − 2px)·xs + 2nx·Lx, ...); the path meets the x=0
 * wall |nx − px| times and the x=Lx wall |nx| times, and likewise in y and z; only images whose
 * reflection count is at most {@code maxOrder} are used. Each arrival adds
 * gain·directivity/(4πr) as a Hann-windowed sinc of {@value #TAPS} taps at the fractional delay
 * r/c·fs (kernels tabulated at 1/{@value #FRACTIONS} sample). An optional diffuse tail continues
 * the response after the time up to which the image set is complete, as exponentially decaying
 * noise at the room's Eyring RT60, level-matched to the last 10 ms of the image response before it.
 */
public final class ImageSourceRir {

    /** Taps of the fractional-delay kernel. */
    public static final int TAPS = 81;
    private static final int HALF = TAPS / 2;
    private static final int FRACTIONS = 1024;
    private static final float[][] KERNELS = kernels();

    /**
     * @param maxOrder    highest reflection order of the image set
     * @param length      samples per impulse response
     * @param diffuseTail add the exponential tail after the image set is complete
     * @param seed        seed of the tail noise
     */
    public record Options(int maxOrder, int length, boolean diffuseTail, long seed) {
        public Options {
            if (maxOrder < 0) {
                throw new IllegalArgumentException("max order must be >= 0, got " + maxOrder);
            }
            if (length <= 0) {
                throw new IllegalArgumentException("RIR length must be positive, got " + length);
            }
        }
    }

    private final ShoeboxRoom room;
    private final Options options;
    private final double[] beta;

    public ImageSourceRir(ShoeboxRoom room, Options options) {
        this.room = room;
        this.options = options;
        this.beta = new double[6];
        for (int w = 0; w < 6; w++) {
            beta[w] = Math.sqrt(1 - room.absorption()[w]);
        }
    }

    public ShoeboxRoom room() {
        return room;
    }

    private static float[][] kernels() {
        float[][] k = new float[FRACTIONS][TAPS];
        for (int f = 0; f < FRACTIONS; f++) {
            double frac = (double) f / FRACTIONS;
            for (int j = 0; j < TAPS; j++) {
                double t = j - HALF - frac;
                double sinc = t == 0 ? 1 : Math.sin(Math.PI * t) / (Math.PI * t);
                double w = 0.5 * (1 + Math.cos(Math.PI * t / (HALF + 1)));
                k[f][j] = (float) (sinc * w);
            }
        }
        return k;
    }

    /**
     * The impulse response from a source to every microphone of an array.
     *
     * @return {@code [microphone][sample]}
     */
    public float[][] compute(Vec3 source, Vec3 centre, MicArray array) {
        room.checkInside(source, "source");
        Vec3[] mics = new Vec3[array.channels()];
        for (int m = 0; m < mics.length; m++) {
            mics[m] = centre.plus(array.offsets().get(m));
            room.checkInside(mics[m], "microphone " + m);
        }
        int n = options.length();
        float[][] h = new float[mics.length][n];
        double fs = room.sampleRate();
        double c = room.soundSpeed();
        forEachImage(source, (order, ix, iy, iz, g) -> {
            for (int m = 0; m < mics.length; m++) {
                double dx = ix - mics[m].x();
                double dy = iy - mics[m].y();
                double dz = iz - mics[m].z();
                double d = Math.sqrt(dx * dx + dy * dy + dz * dz);
                double dir = array.directivity() == Directivity.OMNI ? 1.0
                        : array.directivity().gain(array.axes().get(m), new Vec3(dx / d, dy / d, dz / d));
                add(h[m], d / c * fs, g * dir / (4 * Math.PI * d));
            }
        });
        if (options.diffuseTail()) {
            addTail(h, source);
        }
        return h;
    }

    /** Receives each image source: its reflection order, position and wall-reflection gain. */
    @FunctionalInterface
    interface ImageVisitor {
        void image(int order, double x, double y, double z, double gain);
    }

    /** Enumerates the images of a source with reflection order ≤ maxOrder. */
    void forEachImage(Vec3 source, ImageVisitor visitor) {
        Vec3 l = room.size();
        int order = options.maxOrder();
        for (int nx = -order; nx <= order; nx++) {
            for (int px = 0; px <= 1; px++) {
                int ox = Math.abs(nx - px) + Math.abs(nx);
                if (ox > order) {
                    continue;
                }
                double ix = (1 - 2 * px) * source.x() + 2 * nx * l.x();
                double gx = Math.pow(beta[0], Math.abs(nx - px)) * Math.pow(beta[1], Math.abs(nx));
                for (int ny = -order; ny <= order; ny++) {
                    for (int py = 0; py <= 1; py++) {
                        int oy = Math.abs(ny - py) + Math.abs(ny);
                        if (ox + oy > order) {
                            continue;
                        }
                        double iy = (1 - 2 * py) * source.y() + 2 * ny * l.y();
                        double gy = gx * Math.pow(beta[2], Math.abs(ny - py)) * Math.pow(beta[3], Math.abs(ny));
                        for (int nz = -order; nz <= order; nz++) {
                            for (int pz = 0; pz <= 1; pz++) {
                                int oz = Math.abs(nz - pz) + Math.abs(nz);
                                if (ox + oy + oz > order) {
                                    continue;
                                }
                                double iz = (1 - 2 * pz) * source.z() + 2 * nz * l.z();
                                double g = gy * Math.pow(beta[4], Math.abs(nz - pz)) * Math.pow(beta[5], Math.abs(nz));
                                visitor.image(ox + oy + oz, ix, iy, iz, g);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Adds amp·kernel centred at the fractional sample position tau. */
    static void add(float[] h, double tau, double amp) {
        int base = (int) Math.floor(tau);
        int f = (int) Math.round((tau - base) * FRACTIONS);
        if (f == FRACTIONS) {
            f = 0;
            base++;
        }
        float[] k = KERNELS[f];
        int start = base - HALF;
        int j0 = Math.max(0, -start);
        int j1 = Math.min(TAPS, h.length - start);
        float a = (float) amp;
        for (int j = j0; j < j1; j++) {
            h[start + j] += a * k[j];
        }
    }

    /**
     * The sample from which the image set stops being complete. Images of order ≤ K fill an
     * octahedron |nx| + |ny| + |nz| ≤ K/2 of the image lattice (cells of 2L); the largest sphere
     * inside it has radius K·min(L)/√3, so every arrival earlier than that distance is present.
     */
    int tailStart() {
        Vec3 l = room.size();
        double shortest = Math.min(l.x(), Math.min(l.y(), l.z()));
        return (int) Math.round(options.maxOrder() * shortest / Math.sqrt(3) / room.soundSpeed() * room.sampleRate());
    }

    private void addTail(float[][] h, Vec3 source) {
        int n0 = tailStart();
        int n = options.length();
        if (n0 >= n) {
            return;
        }
        int window = Math.max(1, room.sampleRate() / 100); // 10 ms
        double rt60 = room.eyringRt60();
        double decayPerSample = Math.log(1e-3) / (rt60 * room.sampleRate()); // amplitude: −60 dB over RT60
        for (int m = 0; m < h.length; m++) {
            double energy = 0;
            for (int i = Math.max(0, n0 - window); i < n0; i++) {
                energy += (double) h[m][i] * h[m][i];
            }
            double level = Math.sqrt(energy / window);
            // seed per channel and source position: different mics decorrelated, reruns identical
            SplittableRandom rnd = new SplittableRandom(options.seed() * 1_000_003L + m * 7919L
                    + Double.hashCode(source.x() * 31 + source.y() * 17 + source.z()));
            for (int i = n0; i < n; i++) {
                double u = 1.0 - rnd.nextDouble();
                double v = rnd.nextDouble();
                double g = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
                h[m][i] += (float) (level * g * Math.exp(decayPerSample * (i - n0)));
            }
        }
    }

    /**
     * The two-ear impulse response of a spherical head: per image source, the path to each ear
     * bends around the head (Woodworth: −a·cos θ on the lit side, a·(θ − π/2) in the shadow) and
     * passes the ear's first-order head-shadow filter ({@link BinauralHead#shadow}).
     *
     * @return {@code [2][sample]}: left, right
     */
    public float[][] binaural(Vec3 source, Vec3 headCentre, BinauralHead head) {
        room.checkInside(source, "source");
        Vec3[] ears = {head.left(), head.left().times(-1)};
        for (Vec3 e : ears) {
            room.checkInside(headCentre.plus(e.times(head.radius())), "ear");
        }
        int n = options.length();
        float[][] h = new float[2][n];
        double fs = room.sampleRate();
        double c = room.soundSpeed();
        forEachImage(source, (order, ix, iy, iz, g) -> {
            Vec3 d = new Vec3(ix, iy, iz).minus(headCentre);
            double r = d.norm();
            Vec3 u = d.times(1 / r);
            for (int e = 0; e < 2; e++) {
                double cos = Math.max(-1, Math.min(1, u.dot(ears[e])));
                double theta = Math.acos(cos);
                double extra = theta <= Math.PI / 2 ? -head.radius() * cos : head.radius() * (theta - Math.PI / 2);
                double tau = (r + extra) / c * fs;
                float[] shadow = head.shadow(theta, room.sampleRate());
                double amp = g / (4 * Math.PI * r);
                for (int j = 0; j < shadow.length; j++) {
                    add(h[e], tau + j, amp * shadow[j]);
                }
            }
        });
        if (options.diffuseTail()) {
            addTail(h, source);
        }
        return h;
    }

    /** Many sources into one array, in parallel across cores; results in input order. */
    public List<float[][]> batch(List<Vec3> sources, Vec3 centre, MicArray array) {
        float[][][] out = new float[sources.size()][][];
        IntStream.range(0, sources.size()).parallel().forEach(i -> out[i] = compute(sources.get(i), centre, array));
        return List.of(out);
    }
}
