package dev.llmhub.plugin.testkit;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.management.ObjectName;

/**
 * Watches an unloaded plugin's class loader until the garbage collector takes it: the proof that a
 * hot reload leaks nothing (no thread, shutdown hook, cache or registry the plugin started still
 * holds its classes). Take the watch while the plugin is loaded, drop every other reference to its
 * classes and objects (keep them in a method that has returned), unload, then assert.
 *
 * <pre>{@code
 * ClassLoaderWatch watch = loadUseAndUnload(pluginsDir);   // returns ClassLoaderWatch.of(pluginLoader)
 * watch.assertCollected(Duration.ofSeconds(30));
 * }</pre>
 */
public final class ClassLoaderWatch {
    private final ReferenceQueue<ClassLoader> queue = new ReferenceQueue<>();
    private final WeakReference<ClassLoader> loader;
    private final String name;

    private ClassLoaderWatch(ClassLoader loader) {
        this.loader = new WeakReference<>(Objects.requireNonNull(loader, "loader is null"), queue);
        this.name = loader.toString();
    }

    /** @param loader a plugin's class loader @return a watch that does not keep it alive */
    public static ClassLoaderWatch of(ClassLoader loader) {
        return new ClassLoaderWatch(loader);
    }

    /** @return the loader while it is still reachable, else null; do not keep it */
    public ClassLoader get() {
        return loader.get();
    }

    /**
     * Requests collections until the loader is collected, blocking on the reference queue between
     * them (no sleep), for at most {@code max}.
     *
     * @param max the bound: the longest idle time of a thread the plugin's libraries start, plus a margin
     * @return how long it took
     * @throws AssertionError when the loader is still reachable after {@code max}, naming the threads
     *                        whose context class loader or class comes from it
     */
    public Duration assertCollected(Duration max) {
        long start = System.nanoTime();
        long deadline = start + max.toNanos();
        try {
            Reference<? extends ClassLoader> collected = null;
            while (collected == null && !loader.refersTo(null) && System.nanoTime() < deadline) {
                System.gc();
                collected = queue.remove(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + name + " to be collected", e);
        }
        if (!loader.refersTo(null)) {
            throw new AssertionError("the unloaded plugin's class loader " + name + " is still reachable after " + max
                    + "; threads holding it: " + holders() + "; JMX MBeans outside the JVM's own domains (a library's "
                    + "metrics left registered hold its classes): " + foreignMBeans());
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static List<String> foreignMBeans() {
        List<String> out = new ArrayList<>();
        for (ObjectName b : ManagementFactory.getPlatformMBeanServer().queryNames(null, null)) {
            String d = b.getDomain();
            if (!d.startsWith("java.") && !d.startsWith("jdk.") && !d.startsWith("com.sun.") && !d.equals("JMImplementation")) {
                out.add(b.toString());
            }
        }
        return out;
    }

    private List<String> holders() {
        ClassLoader leaked = loader.get();
        List<String> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getContextClassLoader() == leaked) {
                out.add(t.getName() + " (context class loader)");
            } else if (t.getClass().getClassLoader() == leaked) {
                out.add(t.getName() + " (thread class from the plugin)");
            }
        }
        return out;
    }
}
