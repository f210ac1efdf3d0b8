package org.sep4j.core.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One named tensor as stored in a file: dtype, shape and little-endian bytes.
 *
 * @param dtype safetensors dtype name (F32, F64, I64, I32, ...)
 * @param shape dimensions, outermost first
 * @param bytes raw little-endian data, row-major
 */
public record TensorData(String dtype, long[] shape, byte[] bytes) {

    public TensorData {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        int width = width(dtype);
        if (n * width != bytes.length) {
            throw new IllegalArgumentException("tensor of dtype " + dtype + " and shape " + Arrays.toString(shape)
                    + " needs " + n * width + " bytes, found " + bytes.length);
        }
    }

    /** Bytes per element of a dtype. */
    public static int width(String dtype) {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "I8", "U8", "BOOL" -> 1;
            default -> throw new IllegalArgumentException("unknown safetensors dtype '" + dtype + "'");
        };
    }

    public static TensorData of(float[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new TensorData("F32", shape.length == 0 ? new long[] {values.length} : shape, b.array());
    }

    public static TensorData of(double[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        return new TensorData("F64", shape.length == 0 ? new long[] {values.length} : shape, b.array());
    }

    /** Number of elements. */
    public long size() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** Values as float, converting from any float or integer dtype. */
    public float[] floats() {
        double[] d = doubles();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /** Values as double, converting from any float or integer dtype. */
    public double[] doubles() {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) size();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (dtype) {
                case "F64" -> b.getDouble();
                case "F32" -> b.getFloat();
                case "F16" -> Float.float16ToFloat(b.getShort());
                case "BF16" -> Float.intBitsToFloat((b.getShort() & 0xFFFF) << 16);
                case "I64", "U64" -> b.getLong();
                case "I32" -> b.getInt();
                case "U32" -> Integer.toUnsignedLong(b.getInt());
                case "I16" -> b.getShort();
                case "U16" -> b.getShort() & 0xFFFF;
                case "I8" -> b.get();
                case "U8", "BOOL" -> b.get() & 0xFF;
                default -> throw new IllegalStateException(dtype);
            };
        }
        return out;
    }

    /** Rows of a 2-D tensor as float arrays. */
    public float[][] floats2d() {
        if (shape.length != 2) {
            throw new IllegalArgumentException("expected a 2-D tensor, shape is " + Arrays.toString(shape));
        }
        float[] flat = floats();
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        float[][] out = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * cols, out[r], 0, cols);
        }
        return out;
    }

    /** A 3-D tensor as nested float arrays. */
    public float[][][] floats3d() {
        if (shape.length != 3) {
            throw new IllegalArgumentException("expected a 3-D tensor, shape is " + Arrays.toString(shape));
        }
        float[] flat = floats();
        int a = (int) shape[0];
        int b = (int) shape[1];
        int c = (int) shape[2];
        float[][][] out = new float[a][b][c];
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                System.arraycopy(flat, (i * b + j) * c, out[i][j], 0, c);
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorData t && t.dtype.equals(dtype) && Arrays.equals(t.shape, shape)
                && Arrays.equals(t.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "TensorData[" + dtype + " " + Arrays.toString(shape) + "]";
    }
}
