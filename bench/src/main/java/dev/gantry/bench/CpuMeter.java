package dev.gantry.bench;

/**
 * CPU used during a phase by each of the three processes and by everything else on the machine,
 * in cores (1.0 = one core busy for the whole phase), and the time the hypervisor stole for other
 * virtual machines (both make a phase's numbers suspect).
 */
final class CpuMeter {
    private final long gatewayPid;
    private final long simulatorPid;
    private final long selfPid = ProcessHandle.current().pid();

    CpuMeter(long gatewayPid, long simulatorPid) {
        this.gatewayPid = gatewayPid;
        this.simulatorPid = simulatorPid;
    }

    /** CPU shares over a phase, in cores; -1 where a value could not be read. */
    record Usage(double gateway, double simulator, double loadGenerator, double others, double steal, double seconds,
                 java.util.Map<String, Double> gatewayThreads) {
        static final Usage NONE = new Usage(-1, -1, -1, -1, -1, 0, java.util.Map.of());

        /** Gateway CPU milliseconds per completed request, or -1. */
        double gatewayMsPer(long completed) {
            return gateway < 0 || completed <= 0 ? -1 : gateway * seconds * 1000 / completed;
        }

        double simulatorMsPer(long completed) {
            return simulator < 0 || completed <= 0 ? -1 : simulator * seconds * 1000 / completed;
        }

        double loadGeneratorMsPer(long completed) {
            return loadGenerator < 0 || completed <= 0 ? -1 : loadGenerator * seconds * 1000 / completed;
        }
    }

    final class Span {
        private final long wall = System.nanoTime();
        private final long gw = ProcStats.cpuTicks(gatewayPid);
        private final long sim = ProcStats.cpuTicks(simulatorPid);
        private final long self = ProcStats.cpuTicks(selfPid);
        private final long[] machine = ProcStats.machineTicks();
        private final java.util.Map<String, Object[]> gwThreads = ProcStats.threadTicks(gatewayPid);

        Usage stop() {
            double seconds = (System.nanoTime() - wall) / 1e9;
            long dGw = delta(gw, ProcStats.cpuTicks(gatewayPid));
            long dSim = delta(sim, ProcStats.cpuTicks(simulatorPid));
            long dSelf = delta(self, ProcStats.cpuTicks(selfPid));
            long[] machineNow = ProcStats.machineTicks();
            long dMachine = delta(machine[0], machineNow[0]);
            long dSteal = delta(machine[1], machineNow[1]);
            double tick = 1.0 / ProcStats.clockTicks;
            java.util.Map<String, Double> threads = new java.util.TreeMap<>();
            ProcStats.threadTicks(gatewayPid).forEach((tid, now) -> {
                Object[] before = gwThreads.get(tid);
                long d = (long) now[1] - (before == null ? 0 : (long) before[1]);
                threads.merge((String) now[0], d * tick / seconds, Double::sum);
            });
            double others = dMachine < 0 || dGw < 0 || dSim < 0 || dSelf < 0
                    ? -1 : Math.max(0, dMachine - dGw - dSim - dSelf) * tick / seconds;
            return new Usage(cores(dGw, tick, seconds), cores(dSim, tick, seconds), cores(dSelf, tick, seconds),
                    others, cores(dSteal, tick, seconds), seconds, threads);
        }
    }

    Span start() {
        return new Span();
    }

    /** Gateway CPU ticks so far, for the settle check. */
    long gatewayTicks() {
        return ProcStats.cpuTicks(gatewayPid);
    }

    long simulatorTicks() {
        return ProcStats.cpuTicks(simulatorPid);
    }

    private static long delta(long before, long after) {
        return before < 0 || after < 0 ? -1 : after - before;
    }

    private static double cores(long ticks, double tick, double seconds) {
        return ticks < 0 ? -1 : ticks * tick / seconds;
    }
}
