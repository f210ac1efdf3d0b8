package org.sep4j.core.track;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The C heap as glibc sees it. ND4J keeps its arrays in native memory from {@code malloc}; glibc
 * keeps freed blocks in its arenas for reuse, so the resident size can sit far above what is in use.
 * {@link #inUse()} tells the two apart and {@link #trim()} hands the free part back to the system.
 * Absent (empty, no-op) where the C library is not glibc.
 */
public final class NativeHeap {

    // struct mallinfo2: ten size_t counters; uordblks (allocated bytes) is the eighth
    private static final StructLayout MALLINFO2 = MemoryLayout.structLayout(
            java.util.stream.IntStream.range(0, 10).mapToObj(i -> ValueLayout.JAVA_LONG.withName("f" + i))
                    .toArray(MemoryLayout[]::new));
    private static final long UORDBLKS = 7 * Long.BYTES;
    private static final long FORDBLKS = 8 * Long.BYTES;
    private static final long HBLKHD = 4 * Long.BYTES;

    private static final MethodHandle MALLINFO2_FN = find("mallinfo2", FunctionDescriptor.of(MALLINFO2));
    private static final MethodHandle TRIM_FN = find("malloc_trim", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));

    private NativeHeap() {
    }

    private static MethodHandle find(String name, FunctionDescriptor fd) {
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find(name).map(a -> linker.downcallHandle(a, fd)).orElse(null);
        } catch (RuntimeException | LinkageError e) { // no native access granted, or not glibc
            return null;
        }
    }

    /** Bytes malloc has handed out and not yet had back (small blocks and mmapped ones). */
    public static Optional<Long> inUse() {
        return field(UORDBLKS, HBLKHD);
    }

    /** Bytes free inside malloc's arenas: resident but reusable, what {@link #trim()} can return. */
    public static Optional<Long> retained() {
        return field(FORDBLKS, -1);
    }

    private static Optional<Long> field(long offset, long plus) {
        if (MALLINFO2_FN == null) {
            return Optional.empty();
        }
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment info = (MemorySegment) MALLINFO2_FN.invoke((java.lang.foreign.SegmentAllocator) arena);
            long v = info.get(ValueLayout.JAVA_LONG, offset);
            return Optional.of(plus < 0 ? v : v + info.get(ValueLayout.JAVA_LONG, plus));
        } catch (Throwable t) {
            return Optional.empty();
        }
    }

    /** Returns free arena memory to the system; true if anything was released. */
    public static boolean trim() {
        if (TRIM_FN == null) {
            return false;
        }
        try {
            return (int) TRIM_FN.invoke(0L) != 0;
        } catch (Throwable t) {
            return false;
        }
    }

    /** The process's resident set size in bytes (Linux /proc/self/statm), or empty elsewhere. */
    public static Optional<Long> residentBytes() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/statm")).trim().split("\\s+");
            return Optional.of(Long.parseLong(f[1]) * 4096L);
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
