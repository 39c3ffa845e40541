package dev.llmhub.plugin.otel;

import java.lang.reflect.Field;
import java.util.Optional;

/**
 * Removes what the OTLP exporter leaves in the calling thread's thread-locals.
 *
 * <p>The SDK's protobuf writer ({@code io.opentelemetry.exporter.internal.marshal.CodedOutputStream})
 * caches one encoder per thread in a static {@link ThreadLocal}. On the core's long-lived lane threads
 * that encoder (a class of this plugin) would keep the plugin's class loader reachable forever after
 * an unload, so hot reload would leak one class loader per reload. The OkHttp and Okio threads the
 * exporter uses are the plugin's own and end by themselves after 60 s idle.
 */
final class CallerThreadCleanup {
    private static final Optional<ThreadLocal<?>> ENCODER_CACHE = find(
            "io.opentelemetry.exporter.internal.marshal.CodedOutputStream", "THREAD_LOCAL_CODED_OUTPUT_STREAM");

    private CallerThreadCleanup() {
    }

    /** Clears the exporter's per-thread cache on the current thread. */
    static void run() {
        ENCODER_CACHE.ifPresent(ThreadLocal::remove);
    }

    /** @return whether the cache was found (the plugin's zip test fails when an SDK upgrade moves it) */
    static boolean active() {
        return ENCODER_CACHE.isPresent();
    }

    private static Optional<ThreadLocal<?>> find(String className, String fieldName) {
        try {
            Field f = Class.forName(className, false, CallerThreadCleanup.class.getClassLoader()).getDeclaredField(fieldName);
            f.setAccessible(true);
            return f.get(null) instanceof ThreadLocal<?> t ? Optional.of(t) : Optional.empty();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
