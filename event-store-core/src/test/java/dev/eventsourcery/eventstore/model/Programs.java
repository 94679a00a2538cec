package dev.eventsourcery.eventstore.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a property over many random programs (lists of steps) and, when one fails, shrinks it to a
 * small program that still fails and reports that, with the seed that reproduces the run.
 *
 * <p>Settings, as system properties (Maven passes {@code -D} options on to the tests):
 * <ul>
 *   <li>{@code eventstore.model.tries}: programs per backend for the model-based test, {@value #DEFAULT_TRIES}
 *       by default; CI runs the default, {@code -Deventstore.model.tries=10000} runs a long session;</li>
 *   <li>{@code eventstore.isolation.tries}: programs per backend for the tenant isolation property,
 *       {@value #DEFAULT_ISOLATION_TRIES} by default (each one observes every other tenant twice);</li>
 *   <li>{@code eventstore.model.seed}: the seed of the first program, random by default; every failure
 *       report names the seed that reproduces it.</li>
 * </ul>
 *
 * <p>Shrinking removes steps (halves, quarters, … single steps) and replaces steps with their
 * {@link Shrinkable#simpler() simpler} forms while the program keeps failing, within a time budget.
 */
public final class Programs {

    /** Programs per backend for the model-based test when {@code eventstore.model.tries} is not set. */
    public static final int DEFAULT_TRIES = 1000;

    /** Programs per backend for tenant isolation when {@code eventstore.isolation.tries} is not set. */
    public static final int DEFAULT_ISOLATION_TRIES = 500;

    private static final long SHRINK_BUDGET_NANOS = 90_000_000_000L;

    private Programs() {
    }

    /** A step that has simpler variants to try while shrinking. */
    public interface Shrinkable<S> {

        /** Simpler variants of this step, simplest first. */
        List<S> simpler();
    }

    /** The number of programs the model-based test runs per backend. */
    public static int tries() {
        return Integer.getInteger("eventstore.model.tries", DEFAULT_TRIES);
    }

    /** The number of programs the tenant isolation property runs per backend. */
    public static int isolationTries() {
        return Integer.getInteger("eventstore.isolation.tries", DEFAULT_ISOLATION_TRIES);
    }

    /** What a property run did, for the report. */
    public record Summary(String property, int programs, long steps, long nanos, long seed) {

        @Override
        public String toString() {
            return String.format("%s: %d programs, %d steps in %.1f s (seed %d)", property, programs, steps,
                    nanos / 1e9, seed);
        }
    }

    /**
     * Runs {@code tries} programs; {@code run} throws (an {@link AssertionError} or any exception) when the
     * property does not hold for one.
     *
     * @param generate builds the i-th program from its own random source
     * @param run runs one program from a clean state and checks the property
     * @return what was run
     * @throws AssertionError naming the seed and the shrunk program when the property fails
     */
    public static <S> Summary check(String property, int tries, Function<SplittableRandom, List<S>> generate,
            Consumer<List<S>> run) {
        long seed = Long.getLong("eventstore.model.seed", new SplittableRandom().nextLong());
        long started = System.nanoTime();
        long steps = 0;
        for (int i = 0; i < tries; i++) {
            long programSeed = seed + i;
            List<S> program = generate.apply(new SplittableRandom(programSeed));
            steps += program.size();
            Throwable failure = failure(run, program);
            if (failure != null) {
                Shrunk<S> shrunk = shrink(program, failure, run);
                StringBuilder report = new StringBuilder()
                        .append(property).append(" failed on program ").append(i + 1).append(" of ").append(tries)
                        .append(" (reproduce with -Deventstore.model.seed=").append(programSeed)
                        .append(" -Deventstore.model.tries=1 -Deventstore.isolation.tries=1); shrunk from ").append(program.size()).append(" to ")
                        .append(shrunk.program().size()).append(" steps in ").append(shrunk.runs()).append(" runs:\n");
                for (int step = 0; step < shrunk.program().size(); step++) {
                    report.append(String.format("  %3d: %s%n", step + 1, shrunk.program().get(step)));
                }
                report.append("failure: ").append(shrunk.failure());
                throw new AssertionError(report.toString(), shrunk.failure());
            }
        }
        Summary summary = new Summary(property, tries, steps, System.nanoTime() - started, seed);
        System.out.println(summary);
        return summary;
    }

    private record Shrunk<S>(List<S> program, Throwable failure, int runs) {
    }

    private static <S> Shrunk<S> shrink(List<S> program, Throwable failure, Consumer<List<S>> run) {
        long deadline = System.nanoTime() + SHRINK_BUDGET_NANOS;
        List<S> current = program;
        Throwable currentFailure = failure;
        int runs = 0;
        boolean progress = true;
        while (progress && System.nanoTime() < deadline) {
            progress = false;
            for (int chunk = Math.max(1, current.size() / 2); chunk >= 1 && System.nanoTime() < deadline; chunk /= 2) {
                for (int from = 0; from + chunk <= current.size() && System.nanoTime() < deadline; ) {
                    List<S> candidate = new ArrayList<>(current.subList(0, from));
                    candidate.addAll(current.subList(from + chunk, current.size()));
                    runs++;
                    Throwable candidateFailure = candidate.isEmpty() ? null : failure(run, candidate);
                    if (candidateFailure != null) {
                        current = candidate;
                        currentFailure = candidateFailure;
                        progress = true;
                    } else {
                        from += chunk;
                    }
                }
            }
            for (int index = 0; index < current.size() && System.nanoTime() < deadline; index++) {
                if (!(current.get(index) instanceof Shrinkable<?> shrinkable)) {
                    continue;
                }
                for (Object simpler : shrinkable.simpler()) {
                    List<S> candidate = new ArrayList<>(current);
                    @SuppressWarnings("unchecked")
                    S step = (S) simpler;
                    candidate.set(index, step);
                    runs++;
                    Throwable candidateFailure = failure(run, candidate);
                    if (candidateFailure != null) {
                        current = candidate;
                        currentFailure = candidateFailure;
                        progress = true;
                        break;
                    }
                }
            }
        }
        return new Shrunk<>(current, currentFailure, runs);
    }

    private static <S> Throwable failure(Consumer<List<S>> run, List<S> program) {
        try {
            run.accept(program);
            return null;
        } catch (Throwable failure) {
            if (failure instanceof VirtualMachineError error && !(failure instanceof StackOverflowError)) {
                throw error;
            }
            return failure;
        }
    }
}
