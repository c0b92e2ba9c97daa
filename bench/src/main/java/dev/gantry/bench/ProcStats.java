package dev.gantry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads {@code /proc}: a process's CPU time and resident set, and the whole machine's busy time,
 * so each phase can say how much CPU the gateway, the simulator and the load generator used, and
 * how much went to anything else (another engineer's build would show up there).
 */
final class ProcStats {
    /** Clock ticks per second of {@code /proc} CPU times ({@code getconf CLK_TCK}); 100 on Linux x86. */
    static long clockTicks = 100;

    private ProcStats() {}

    /** utime + stime of {@code pid} in clock ticks, or -1 if it cannot be read (process gone). */
    static long cpuTicks(long pid) {
        if (pid <= 0) return -1;
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) is in parentheses and may hold spaces: fields count from after ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU ticks of each live thread of {@code pid}: thread id -> {group, ticks}; empty if unreadable. */
    static java.util.Map<String, Object[]> threadTicks(long pid) {
        java.util.Map<String, Object[]> out = new java.util.HashMap<>();
        if (pid <= 0) return out;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.put(task.getFileName().toString(),
                            new Object[] {threadGroup(name), Long.parseLong(f[11]) + Long.parseLong(f[12])});
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            // process gone
        }
        return out;
    }

    /** What a JVM thread works for, from its (15-character) name. */
    static String threadGroup(String name) {
        if (name.startsWith("vert.x-eventloo")) return "event loops";
        if (name.startsWith("gantry-usage") || name.equals("usage")) return "usage recorder";
        if (name.startsWith("HN-") || name.startsWith("MVStore") || name.startsWith("H2 ")) return "H2";
        if (name.contains("CompilerThre")) return "JIT";
        if (name.startsWith("GC Thread") || name.equals("VM Thread")) return "GC";
        if (name.startsWith("vert.x-worker") || name.startsWith("vert.x-interna")) return "worker pool";
        return "other";
    }

    /** VmRSS of {@code pid} in kB, or -1. */
    static long rssKb(long pid) {
        return statusField(pid, "VmRSS:");
    }

    /** VmHWM (peak resident set since start) of {@code pid} in kB, or -1. */
    static long peakRssKb(long pid) {
        return statusField(pid, "VmHWM:");
    }

    private static long statusField(long pid, String field) {
        if (pid <= 0) return -1;
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
            for (String line : lines) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    /**
     * Ticks of all CPUs together from {@code /proc/stat}: {busy, steal}. Busy is everything but idle,
     * iowait and steal; steal is time the hypervisor gave to other virtual machines.
     */
    static long[] machineTicks() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).getFirst(); // "cpu  user nice system idle iowait irq softirq steal ..."
            String[] f = first.trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i <= 7 && i < f.length; i++) {
                if (i == 4 || i == 5) continue; // idle, iowait
                busy += Long.parseLong(f[i]);
            }
            long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
            return new long[] {busy, steal};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }

    /** The 1-minute load average. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "unknown CPU";
    }
}
