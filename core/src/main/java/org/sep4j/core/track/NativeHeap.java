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
 * keeps freed blocks in its arenas for reuse, so the resident size can sit far above what is in use;
 * {@link #inUse()} and {@link #retained()} tell the two apart. Empty where the C library is not glibc.
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
    private static final MethodHandle MALLOC_TRIM_FN = find("malloc_trim", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG));

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
        return sum(UORDBLKS, HBLKHD);
    }

    /** Bytes free inside malloc's arenas: resident, reusable by later allocations. */
    public static Optional<Long> retained() {
        return sum(FORDBLKS);
    }

    /**
     * Gives the free pages inside malloc's arenas back to the system ({@code malloc_trim(0)}); true if
     * any were released. For the boundaries between large pieces of work (one model's training and
     * the next), where the freed working set of the last would otherwise stay resident.
     */
    public static boolean trim() {
        if (MALLOC_TRIM_FN == null) {
            return false;
        }
        try {
            return (int) MALLOC_TRIM_FN.invoke(0L) == 1;
        } catch (Throwable t) {
            return false;
        }
    }

    /** The sum of the mallinfo2 counters at these byte offsets. */
    private static Optional<Long> sum(long... offsets) {
        if (MALLINFO2_FN == null) {
            return Optional.empty();
        }
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment info = (MemorySegment) MALLINFO2_FN.invoke((java.lang.foreign.SegmentAllocator) arena);
            long total = 0;
            for (long o : offsets) {
                total += info.get(ValueLayout.JAVA_LONG, o);
            }
            return Optional.of(total);
        } catch (Throwable t) {
            return Optional.empty();
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
