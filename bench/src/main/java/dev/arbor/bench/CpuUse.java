package dev.arbor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time spent while a scenario ran: by the whole machine (Linux {@code /proc/stat}) and by each of the processes
 * named, so that a rate can be told apart as so many milliseconds of CPU per operation, and where they went. What the
 * named processes do not account for is PostgreSQL's (and the operating system's).
 */
final class CpuUse {

    /** Linux counts {@code /proc/stat} in USER_HZ ticks, 100 a second on every common kernel. */
    private static final long NANOS_PER_TICK = 10_000_000;

    private final Map<String, ProcessHandle> processes;

    private CpuUse(Map<String, ProcessHandle> processes) {
        this.processes = processes;
    }

    /** For the processes named, in this order: name, process, name, process... */
    static CpuUse of(Object... namesAndProcesses) {
        Map<String, ProcessHandle> processes = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndProcesses.length; i += 2) {
            processes.put((String) namesAndProcesses[i], (ProcessHandle) namesAndProcesses[i + 1]);
        }
        return new CpuUse(processes);
    }

    /** The CPU time spent so far, by the machine and by each process. */
    Reading read() {
        Map<String, Long> byProcess = new LinkedHashMap<>();
        processes.forEach((name, process) -> byProcess.put(
                name, process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)));
        return new Reading(machineBusyNanos(), byProcess);
    }

    record Reading(long machineNanos, Map<String, Long> processNanos) {

        /**
         * "CPU per operation: 2.10 ms (command side 0.90, ...; PostgreSQL and the rest 0.40)" between {@code start}
         * and this reading, over {@code operations}.
         */
        String perOperationSince(Reading start, double operations) {
            if (machineNanos <= 0 || operations <= 0) {
                return "CPU per operation unknown";
            }
            double machine = (machineNanos - start.machineNanos) / operations / 1e6;
            double named = 0;
            StringBuilder parts = new StringBuilder();
            for (Map.Entry<String, Long> process : processNanos.entrySet()) {
                double share = (process.getValue() - start.processNanos.get(process.getKey())) / operations / 1e6;
                named += share;
                parts.append(process.getKey()).append(String.format(" %.2f, ", share));
            }
            return String.format("CPU %.2f ms per operation (%sPostgreSQL and the rest %.2f)", machine, parts,
                                 Math.max(0, machine - named));
        }
    }

    /** Busy time of every core since boot: all but idle and iowait, -1 where /proc does not tell. */
    static long machineBusyNanos() {
        try {
            String[] ticks = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long[] values = Arrays.stream(ticks, 1, Math.min(ticks.length, 9)).mapToLong(Long::parseLong).toArray();
            long idle = values[3] + values[4];
            return (Arrays.stream(values).sum() - idle) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException unknown) {
            return -1;
        }
    }
}
