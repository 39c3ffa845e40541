import com.sun.tools.attach.VirtualMachine;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.RuntimeMXBean;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Reads a running JVM's own counters through the attach API and JMX, for the bench scripts: what
 * it has allocated and how much CPU it has used since it started (both cumulative, so a script takes
 * one reading before and one after a measured window and divides by the requests in between), and
 * its uptime (to pick the window's lines out of its {@code -Xlog:gc} file). Prints one line:
 *   uptime_ms=U allocated_bytes=A cpu_ns=C heap_used_bytes=H
 * With {@code gc} as second argument it first runs a full GC, so heap_used_bytes is the live set.
 * Run: java bench/JvmProbe.java PID [gc]
 */
public final class JvmProbe {
    public static void main(String[] args) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
            MBeanServerConnection c = connector.getMBeanServerConnection();
            com.sun.management.ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(c,
                    ManagementFactory.THREAD_MXBEAN_NAME, com.sun.management.ThreadMXBean.class);
            com.sun.management.OperatingSystemMXBean os = ManagementFactory.newPlatformMXBeanProxy(c,
                    ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME, com.sun.management.OperatingSystemMXBean.class);
            RuntimeMXBean runtime = ManagementFactory.newPlatformMXBeanProxy(c, ManagementFactory.RUNTIME_MXBEAN_NAME,
                    RuntimeMXBean.class);
            MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(c, ManagementFactory.MEMORY_MXBEAN_NAME,
                    MemoryMXBean.class);
            if (args.length > 1 && args[1].equals("gc")) {
                memory.gc();
            }
            // every thread's, the exited ones included (virtual threads count on their carriers)
            long allocated = threads.getTotalThreadAllocatedBytes();
            System.out.printf("uptime_ms=%d allocated_bytes=%d cpu_ns=%d heap_used_bytes=%d%n", runtime.getUptime(),
                    allocated, os.getProcessCpuTime(), memory.getHeapMemoryUsage().getUsed());
        }
    }
}
