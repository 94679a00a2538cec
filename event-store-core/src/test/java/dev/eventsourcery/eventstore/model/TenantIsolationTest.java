package dev.eventsourcery.eventstore.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.storage.EventStorage;

/**
 * Tenant isolation as a property: after random work in every tenant, any random sequence of operations
 * in one tenant A (appends, retries, deletes, snapshots, loads — on streams with the same ids as other
 * tenants' streams) leaves every observable of every other tenant, the default tenant included,
 * unchanged: whole loads, loads of ranges (snapshots included), and the head of each stream.
 */
public abstract class TenantIsolationTest {

    /** A backend holding nothing: called before every program. */
    protected abstract EventStorage emptyStorage();

    /** The backend's name in reports. */
    protected String backend() {
        return getClass().getSimpleName();
    }

    /** A step of an isolation program: background work in any tenant, or work in tenant A. */
    record Step(TenantId tenantA, boolean inA, Operation operation) {
        @Override
        public String toString() {
            return (inA ? "in " + tenantA + ": " : "background: ") + operation;
        }
    }

    @Test
    public void operationsInOneTenantLeaveEveryOtherTenantUnchanged() {
        Programs.check(backend() + " tenant isolation", Programs.isolationTries(), TenantIsolationTest::program, program -> {
            EventStore store = EventStoreModelTest.store(emptyStorage());
            TenantId tenantA = program.get(0).tenantA();
            ModelRun.applyIgnoringRefusals(store, program.stream().filter(step -> !step.inA()).map(Step::operation).toList());
            Map<String, Object> before = observe(store, tenantA);
            ModelRun.applyIgnoringRefusals(store, program.stream().filter(Step::inA).map(Step::operation).toList());
            Map<String, Object> after = observe(store, tenantA);
            for (String observable : before.keySet()) {
                if (!before.get(observable).equals(after.get(observable))) {
                    throw new AssertionError("Work in " + tenantA + " changed " + observable + "\n    before: "
                            + before.get(observable) + "\n    after:  " + after.get(observable));
                }
            }
        });
    }

    private static List<Step> program(SplittableRandom random) {
        TenantId tenantA = ProgramGenerator.TENANTS.get(random.nextInt(ProgramGenerator.TENANTS.size()));
        List<Step> steps = new ArrayList<>();
        ProgramGenerator.program(random, 30).forEach(operation -> steps.add(new Step(tenantA, false, operation)));
        ProgramGenerator.programIn(tenantA, random, 30).forEach(operation -> steps.add(new Step(tenantA, true, operation)));
        return steps;
    }

    /** Everything a caller can see of every tenant but A, by name. */
    private static Map<String, Object> observe(EventStore store, TenantId tenantA) {
        Map<String, Object> observed = new LinkedHashMap<>();
        for (TenantId tenant : ProgramGenerator.TENANTS) {
            if (tenant.equals(tenantA)) {
                continue;
            }
            EventStore scoped = store.scopedForTenant(tenant);
            for (StreamId stream : ProgramGenerator.STREAMS) {
                String prefix = tenant + " " + stream + " ";
                Object whole = outcome(() -> scoped.loadStream(stream));
                observed.put(prefix + "whole (latest snapshot, events after it)", whole);
                observed.put(prefix + "head", whole instanceof ModelRun.Outcome.Returned returned
                        && returned.value() instanceof List<?> events && !events.isEmpty() ? events.get(events.size() - 1) : whole);
                observed.put(prefix + "[2, )", outcome(() -> scoped.loadStream(stream, 2L, null)));
                observed.put(prefix + "[ , 3)", outcome(() -> scoped.loadStream(stream, null, 3L)));
            }
        }
        return observed;
    }

    private static Object outcome(Supplier<@Nullable Object> observable) {
        return ModelRun.Outcome.of(observable);
    }
}
