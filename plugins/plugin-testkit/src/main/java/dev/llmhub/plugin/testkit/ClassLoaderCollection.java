package dev.llmhub.plugin.testkit;

import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import javax.management.ObjectName;

/**
 * Checks that an unloaded plugin's class loader can be garbage collected, which every hot reload
 * needs: a thread, a JMX MBean, a shutdown hook or a static cache of the host that still holds one of
 * the plugin's objects keeps all its classes in memory for good.
 *
 * <pre>{@code
 * WeakReference<ClassLoader> loader = loadExportAndUnload(...);   // drop every strong reference
 * ClassLoaderCollection.assertCollected(loader);
 * }</pre>
 */
public final class ClassLoaderCollection {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private ClassLoaderCollection() {
    }

    /**
     * Asks for garbage collection (with some allocation pressure, which collectors that defer class
     * unloading need) until the loader is gone, for up to 30 s.
     *
     * @param loader the unloaded plugin's class loader, held weakly
     * @throws AssertionError when it is still reachable, listing the threads tied to it and the JMX
     *                        MBeans registered outside the JVM's own domains
     */
    public static void assertCollected(WeakReference<ClassLoader> loader) {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (loader.get() != null && Instant.now().isBefore(deadline)) {
            System.gc();
            byte[][] pressure = new byte[64][];
            for (int i = 0; i < pressure.length; i++) {
                pressure[i] = new byte[1 << 20];
            }
            // The pause only spaces the requests: the loop waits for a condition, with a deadline.
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        ClassLoader leaked = loader.get();
        if (leaked == null) {
            return;
        }
        List<String> holders = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getContextClassLoader() == leaked || t.getClass().getClassLoader() == leaked) {
                holders.add("thread " + t.getName() + (t.getClass().getClassLoader() == leaked ? " (its class is the plugin's)"
                        : " (context loader = plugin)"));
            }
        }
        leaked = null;
        Set<ObjectName> beans = ManagementFactory.getPlatformMBeanServer().queryNames(null, null);
        for (ObjectName b : beans) {
            String d = b.getDomain();
            if (!d.startsWith("java.") && !d.startsWith("jdk.") && !d.startsWith("com.sun.") && !d.equals("JMImplementation")) {
                holders.add("MBean " + b);
            }
        }
        throw new AssertionError("the unloaded plugin's class loader is still reachable after " + DEADLINE.toSeconds()
                + " s; suspects: " + (holders.isEmpty() ? "none found among threads and MBeans" : String.join(", ", holders)));
    }
}
