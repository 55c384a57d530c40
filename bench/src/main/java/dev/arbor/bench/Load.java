package dev.arbor.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load: {@code clients} threads each send one request after another for a while, and every latency
 * is kept. The first second is warm-up and not counted.
 */
final class Load {

    /** One operation; {@code client} is the thread's number, for operations that partition their data by client. */
    interface Operation {
        void run(int client) throws Exception;
    }

    /** What a run measured: operations per second, latency percentiles in ms, and failed operations. */
    record Result(double perSecond, double p50, double p99, long errors) {

        /** The line a measuring process prints for {@link Benchmark} to read back. */
        void print(String measure, int clients) {
            System.out.printf("RESULT %s %d %f %f %f %d%n", measure, clients, perSecond, p50, p99, errors);
        }
    }

    private static final Duration WARM_UP = Duration.ofSeconds(1);

    private Load() {
    }

    static Result run(int clients, Duration duration, Operation operation) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        long measureFrom = start + WARM_UP.toNanos();
        long end = measureFrom + duration.toNanos();
        AtomicLong errors = new AtomicLong();
        List<Future<long[]>> latencies = new ArrayList<>();
        for (int client = 0; client < clients; client++) {
            int me = client;
            latencies.add(threads.submit(() -> {
                long[] kept = new long[1 << 16];
                int count = 0;
                while (System.nanoTime() < end) {
                    long before = System.nanoTime();
                    try {
                        operation.run(me);
                    } catch (Exception failure) {
                        if (before >= measureFrom) {
                            errors.incrementAndGet();
                        }
                        continue;
                    }
                    long after = System.nanoTime();
                    if (before >= measureFrom && after <= end) {
                        if (count == kept.length) {
                            kept = Arrays.copyOf(kept, count * 2);
                        }
                        kept[count++] = after - before;
                    }
                }
                return Arrays.copyOf(kept, count);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> client : latencies) {
            all.add(client.get());
        }
        threads.shutdown();
        long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        double seconds = duration.toNanos() / 1e9;
        return new Result(merged.length / seconds, percentile(merged, 0.50), percentile(merged, 0.99), errors.get());
    }

    /**
     * Runs each operation in turn at {@code clients}, for {@code total} in all, and measures nothing: the apps' JIT
     * compilers work for minutes after their first requests (a C2 thread used 44 s of CPU in the command side's
     * first 3.5 minutes), and a short warm-up per scenario left the first scenario measuring a compiling JVM.
     * A zero {@code total} runs nothing.
     */
    static void warmUpJit(Duration total, int clients, Collection<Operation> operations) throws Exception {
        if (total.isZero()) {
            return;
        }
        for (Operation operation : operations) {
            run(clients, total.dividedBy(operations.size()), operation);
        }
    }

    /**
     * What a measuring process in the command side's jar prints for {@link Benchmark} to read back: {@code warmUp} of
     * the operation uncounted, then {@code runs} of {@code duration}, a {@code RESULT} line for each, and one
     * {@code CPU measure clients <text>} line for them all.
     */
    static void measure(String measure, int clients, int runs, Duration duration, Duration warmUp,
                        Operation operation, CpuUse cpu) throws Exception {
        run(clients, warmUp, operation);
        CpuUse.Reading before = cpu.read();
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            Result result = run(clients, duration, operation);
            result.print(measure, clients);
            results.add(result);
        }
        System.out.println("CPU " + measure + " " + clients + " "
                           + cpu.read().perOperationSince(before, operationsWithWarmUp(results, duration)));
    }

    /**
     * The operations of {@code runs} of {@code duration} each, the second of warm-up in each included: what CPU
     * readings taken around the runs span.
     */
    static double operationsWithWarmUp(List<Result> runs, Duration duration) {
        return runs.stream().mapToDouble(Result::perSecond).sum() * (duration.toSeconds() + WARM_UP.toSeconds());
    }

    static double percentile(long[] sortedNanos, double quantile) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sortedNanos.length - 1, Math.ceil(quantile * sortedNanos.length) - 1);
        return sortedNanos[Math.max(0, index)] / 1e6;
    }
}
