package org.sep4j.data.scene;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One room of a SOFA file (AES69; netCDF-4, hence HDF5): {@code Data.IR} holds one impulse response
 * per measurement (source position) and receiver, {@code [M][R][N]}, at {@code Data.SamplingRate}.
 * This is how the DCASE 2025 Task 4 data ships its rooms ({@code room_ir/<split>/<room>.sofa}).
 * Responses are read one measurement at a time, so a large room costs memory only for the positions used.
 */
public final class SofaRoom {

    private final Path file;
    private final int measurements;
    private final int receivers;
    private final int samples;
    private final double sampleRate;

    public SofaRoom(Path file) throws IOException {
        this.file = file;
        try (HdfFile h = new HdfFile(file)) {
            Dataset ir = dataset(h, "Data.IR");
            int[] d = ir.getDimensions();
            if (d.length != 3) {
                throw new IOException(file + ": Data.IR should be [measurements, receivers, samples], found shape "
                        + Arrays.toString(d));
            }
            measurements = d[0];
            receivers = d[1];
            samples = d[2];
            Object sr = dataset(h, "Data.SamplingRate").getData();
            sampleRate = sr instanceof double[] a ? a[0] : sr instanceof float[] f ? f[0] : sr instanceof Number n ? n.doubleValue()
                    : Double.NaN;
            if (!(sampleRate > 0)) {
                throw new IOException(file + ": Data.SamplingRate is not a positive number (" + sr + ")");
            }
        } catch (RuntimeException e) { // jhdf reports malformed files with unchecked exceptions
            throw new IOException(file + ": not a readable SOFA (HDF5) file: " + e.getMessage(), e);
        }
    }

    private static Dataset dataset(HdfFile h, String name) throws IOException {
        try {
            return h.getDatasetByPath(name);
        } catch (RuntimeException e) {
            throw new IOException(h.getFile() + ": no '" + name + "' variable (a SOFA file has Data.IR [M, R, N] and "
                    + "Data.SamplingRate, and SourcePosition [M, 3])", e);
        }
    }

    public int measurements() {
        return measurements;
    }

    public int receivers() {
        return receivers;
    }

    public int samples() {
        return samples;
    }

    public double sampleRate() {
        return sampleRate;
    }

    /**
     * Each measurement's {@code SourcePosition}, {@code [M][3]}, as stored (the DCASE metadata's
     * {@code event_position} uses the same raw numbers, whatever the file's coordinate type).
     */
    public double[][] positions() throws IOException {
        try (HdfFile h = new HdfFile(file)) {
            Object data = dataset(h, "SourcePosition").getData();
            if (!(data instanceof Object[] rows) || rows.length != measurements) {
                throw new IOException(file + ": SourcePosition should be [" + measurements + ", 3] (one row per measurement)");
            }
            double[][] out = new double[measurements][];
            for (int m = 0; m < measurements; m++) {
                out[m] = rows[m] instanceof double[] d ? d.clone() : toDouble((float[]) rows[m]);
                if (out[m].length != 3) {
                    throw new IOException(file + ": SourcePosition row " + m + " has " + out[m].length + " coordinates, expected 3");
                }
            }
            return out;
        } catch (RuntimeException e) {
            throw new IOException(file + ": reading SourcePosition: " + e.getMessage(), e);
        }
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** The responses of measurement {@code m} to every receiver, {@code [R][N]}. */
    public float[][] read(int m) throws IOException {
        if (m < 0 || m >= measurements) {
            throw new IndexOutOfBoundsException(file + ": measurement " + m + " of " + measurements);
        }
        try (HdfFile h = new HdfFile(file)) {
            Object data = dataset(h, "Data.IR").getData(new long[] {m, 0, 0}, new int[] {1, receivers, samples});
            float[][] out = new float[receivers][samples];
            for (int r = 0; r < receivers; r++) {
                Object row = ((Object[]) ((Object[]) data)[0])[r];
                for (int n = 0; n < samples; n++) {
                    out[r][n] = row instanceof double[] dr ? (float) dr[n] : ((float[]) row)[n];
                }
            }
            return out;
        } catch (RuntimeException e) {
            throw new IOException(file + ": reading Data.IR measurement " + m + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
