package io.paddock.server.admin;

import java.io.IOException;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The JVM and process metrics Apache's Prometheus provider exports with {@code exportJvmInfo}
 * (the Prometheus Java client's standard names: {@code jvm_*}, {@code process_*}), read from the
 * platform MXBeans and, on Linux, {@code /proc/self/status}.
 */
final class JvmFigures {
    private JvmFigures() {
    }

    static void write(PrometheusText out) {
        RuntimeMXBean rt = ManagementFactory.getRuntimeMXBean();
        out.family("jvm_info", "gauge", "VM version info")
                .sample("jvm_info", labels("runtime", System.getProperty("java.runtime.name", rt.getVmName()),
                        "vendor", rt.getVmVendor(), "version", System.getProperty("java.runtime.version",
                                rt.getVmVersion())), 1);
        memory(out);
        threads(out);
        garbageCollectors(out);
        ClassLoadingMXBean cl = ManagementFactory.getClassLoadingMXBean();
        out.single("jvm_classes_loaded", "gauge", cl.getLoadedClassCount());
        out.single("jvm_classes_loaded_total", "counter", cl.getTotalLoadedClassCount());
        out.single("jvm_classes_unloaded_total", "counter", cl.getUnloadedClassCount());
        process(out, rt);
    }

    private static void memory(PrometheusText out) {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        MemoryUsage heap = mem.getHeapMemoryUsage();
        MemoryUsage nonHeap = mem.getNonHeapMemoryUsage();
        area(out, "jvm_memory_bytes_used", "Used bytes of a given JVM memory area.", heap, nonHeap, MemoryUsage::getUsed);
        area(out, "jvm_memory_bytes_committed", "Committed (bytes) of a given JVM memory area.", heap, nonHeap,
                MemoryUsage::getCommitted);
        area(out, "jvm_memory_bytes_max", "Max (bytes) of a given JVM memory area.", heap, nonHeap, MemoryUsage::getMax);
        area(out, "jvm_memory_bytes_init", "Initial bytes of a given JVM memory area.", heap, nonHeap,
                MemoryUsage::getInit);
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
        pool(out, "jvm_memory_pool_bytes_used", "Used bytes of a given JVM memory pool.", pools, MemoryUsage::getUsed);
        pool(out, "jvm_memory_pool_bytes_committed", "Committed bytes of a given JVM memory pool.", pools,
                MemoryUsage::getCommitted);
        pool(out, "jvm_memory_pool_bytes_max", "Max bytes of a given JVM memory pool.", pools, MemoryUsage::getMax);
    }

    private static void area(PrometheusText out, String name, String help, MemoryUsage heap, MemoryUsage nonHeap,
                             ToLongFunction<MemoryUsage> f) {
        out.family(name, "gauge", help)
                .sample(name, labels("area", "heap"), f.applyAsLong(heap))
                .sample(name, labels("area", "nonheap"), f.applyAsLong(nonHeap));
    }

    private static void pool(PrometheusText out, String name, String help, List<MemoryPoolMXBean> pools,
                             ToLongFunction<MemoryUsage> f) {
        out.family(name, "gauge", help);
        for (MemoryPoolMXBean p : pools) {
            MemoryUsage u = p.getUsage();
            if (u != null) {
                out.sample(name, labels("pool", p.getName()), f.applyAsLong(u));
            }
        }
    }

    private static void threads(PrometheusText out) {
        ThreadMXBean t = ManagementFactory.getThreadMXBean();
        out.single("jvm_threads_current", "gauge", t.getThreadCount());
        out.single("jvm_threads_daemon", "gauge", t.getDaemonThreadCount());
        out.single("jvm_threads_peak", "gauge", t.getPeakThreadCount());
        out.single("jvm_threads_started_total", "counter", t.getTotalStartedThreadCount());
    }

    private static void garbageCollectors(PrometheusText out) {
        out.family("jvm_gc_collection_seconds", "summary", "Time spent in a given JVM garbage collector in seconds.");
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            Map<String, String> l = labels("gc", gc.getName());
            out.sample("jvm_gc_collection_seconds_count", l, Math.max(0, gc.getCollectionCount()));
            out.sample("jvm_gc_collection_seconds_sum", l, Math.max(0, gc.getCollectionTime()) / 1000.0);
        }
    }

    private static void process(PrometheusText out, RuntimeMXBean rt) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            out.single("process_cpu_seconds_total", "counter", sun.getProcessCpuTime() / 1e9);
        }
        out.single("process_start_time_seconds", "gauge", rt.getStartTime() / 1000.0);
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            out.single("process_open_fds", "gauge", unix.getOpenFileDescriptorCount());
            out.single("process_max_fds", "gauge", unix.getMaxFileDescriptorCount());
        }
        Map<String, Long> status = procStatus();
        if (status.containsKey("VmSize")) {
            out.single("process_virtual_memory_bytes", "gauge", status.get("VmSize"));
        }
        if (status.containsKey("VmRSS")) {
            out.single("process_resident_memory_bytes", "gauge", status.get("VmRSS"));
        }
    }

    /** The sizes in /proc/self/status, in bytes; empty where there is no /proc. */
    private static Map<String, Long> procStatus() {
        Map<String, Long> m = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                String[] parts = line.split("\\s+");
                if (parts.length == 3 && parts[2].equals("kB") && parts[0].endsWith(":")) {
                    m.put(parts[0].substring(0, parts[0].length() - 1), Long.parseLong(parts[1]) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or /proc is hidden: these two figures are simply left out.
        }
        return m;
    }

    private static Map<String, String> labels(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1] == null ? "" : kv[i + 1]);
        }
        return m;
    }
}
