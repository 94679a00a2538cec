package dev.eventsourcery.eventstore.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import dev.eventsourcery.eventstore.DuplicateEventTypeException;
import dev.eventsourcery.eventstore.EventType;

class EventTypeRegistryTest {

    record Deposited(long amount) {
    }

    @EventType("bank.Withdrawn")
    record Withdrawn(long amount) {
    }

    static final class Other {
        @EventType("bank.Withdrawn")
        record Withdrawn(long amount) {
        }

        record Deposited(long amount) {
        }
    }

    @Test
    void typeNameIsTheAnnotationValueElseTheSimpleName() {
        EventTypeRegistry registry = new EventTypeRegistry();

        assertThat(registry.typeNameOf(Deposited.class)).isEqualTo("Deposited");
        assertThat(registry.typeNameOf(Withdrawn.class)).isEqualTo("bank.Withdrawn");
        assertThat(registry.classOf("bank.Withdrawn")).contains(Withdrawn.class);
        assertThat(registry.classOf("Withdrawn")).isEmpty();
    }

    @Test
    void asecondClassWithTheSameNameIsRefused() {
        EventTypeRegistry registry = new EventTypeRegistry().register(Deposited.class, Withdrawn.class);

        assertThatThrownBy(() -> registry.register(Other.Deposited.class))
                .isInstanceOf(DuplicateEventTypeException.class)
                .hasMessageContaining("'Deposited'")
                .hasMessageContaining(Deposited.class.getName())
                .hasMessageContaining(Other.Deposited.class.getName());
        assertThatThrownBy(() -> registry.typeNameOf(Other.Withdrawn.class))
                .isInstanceOf(DuplicateEventTypeException.class).hasMessageContaining("bank.Withdrawn");
        assertThat(registry.classOf("Deposited")).contains(Deposited.class);
        assertThat(registry.isRegistered(Other.Deposited.class)).isFalse();
    }

    @Test
    void registeringTheSameClassAgainIsHarmless() {
        EventTypeRegistry registry = new EventTypeRegistry().register(Deposited.class);

        registry.register(Deposited.class);

        assertThat(registry.classOf("Deposited")).contains(Deposited.class);
    }

    @Test
    void anonymousClassesNeedAnExplicitName() {
        Object anonymous = new Object() {
        };

        assertThatThrownBy(() -> new EventTypeRegistry().typeNameOf(anonymous.getClass()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("@EventType");
    }

    @Test
    void unknownNameIsLookedUpOnceAndTheFoundClassRegistered() {
        Lookup lookup = new Lookup().finding("Deposited", Deposited.class);
        EventTypeRegistry registry = new EventTypeRegistry(lookup);

        assertThat(registry.classOf("Deposited")).contains(Deposited.class);
        assertThat(registry.classOf("Deposited")).contains(Deposited.class);

        assertThat(registry.isRegistered(Deposited.class)).isTrue();
        assertThat(lookup.asked).containsExactly("Deposited");
    }

    @Test
    void nameTheLookupDoesNotFindStaysUnknown() {
        EventTypeRegistry registry = new EventTypeRegistry(new Lookup());

        assertThat(registry.classOf("Deposited")).isEmpty();
    }

    @Test
    void registeredClassesComeBeforeTheLookup() {
        Lookup lookup = new Lookup().finding("Deposited", Other.Deposited.class);
        EventTypeRegistry registry = new EventTypeRegistry(lookup).register(Deposited.class);

        assertThat(registry.classOf("Deposited")).contains(Deposited.class);
        assertThat(lookup.asked).isEmpty();
    }

    @Test
    void ambiguousNameIsRefusedNamingTheCandidates() {
        Lookup lookup = new Lookup().ambiguous("Deposited", Deposited.class.getName(), Other.Deposited.class.getName());
        EventTypeRegistry registry = new EventTypeRegistry(lookup);

        assertThatThrownBy(() -> registry.classOf("Deposited"))
                .isInstanceOf(AmbiguousEventTypeException.class)
                .hasMessageContaining("'Deposited'")
                .hasMessageContaining(Deposited.class.getName() + ", " + Other.Deposited.class.getName())
                .hasMessageContaining("@EventType(\"Deposited\")")
                .extracting(e -> ((AmbiguousEventTypeException) e).typeName()).isEqualTo("Deposited");
    }

    @Test
    void aFoundClassMustBeStoredUnderTheNameItWasFoundFor() {
        EventTypeRegistry registry = new EventTypeRegistry(new Lookup().finding("Withdrawn", Withdrawn.class));

        assertThatThrownBy(() -> registry.classOf("Withdrawn"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("bank.Withdrawn");
        assertThat(registry.isRegistered(Withdrawn.class)).isFalse();
    }

    @Test
    void appendingAClassThatWouldNotLoadAfterARestartWarnsOnceWithTheLookupsAdvice() {
        Lookup lookup = new Lookup().losing(Deposited.class, "add its package to the scanned ones");
        EventTypeRegistry registry = new EventTypeRegistry(lookup);

        List<LogRecord> warnings = warningsDuring(() -> {
            registry.typeNameOf(Deposited.class);
            registry.typeNameOf(Deposited.class);
            registry.typeNameOf(Withdrawn.class);
        });

        assertThat(warnings).singleElement().extracting(LogRecord::getMessage).asString()
                .contains(Deposited.class.getName(), "'Deposited'", "add its package to the scanned ones");
    }

    @Test
    void classesRegisteredUpFrontOrFoundByTheLookupAreNotWarnedAbout() {
        Lookup lookup = new Lookup().finding("Deposited", Deposited.class)
                .losing(Deposited.class, "lost").losing(Withdrawn.class, "lost");
        EventTypeRegistry registry = new EventTypeRegistry(lookup).register(Withdrawn.class);

        List<LogRecord> warnings = warningsDuring(() -> {
            registry.classOf("Deposited");
            registry.typeNameOf(Deposited.class);
            registry.typeNameOf(Withdrawn.class);
        });

        assertThat(warnings).isEmpty();
    }

    private static List<LogRecord> warningsDuring(Runnable action) {
        // System.Logger goes to java.util.logging when no other logging backend is installed, as in core's tests
        Logger logger = Logger.getLogger(EventTypeRegistry.class.getName());
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            action.run();
        } finally {
            logger.removeHandler(handler);
        }
        return warnings;
    }

    /** A lookup answering from what a test tells it, recording the names it is asked for. */
    private static final class Lookup implements EventClassLookup {

        private final Map<String, Result> results = new HashMap<>();
        private final Map<Class<?>, String> problems = new HashMap<>();
        private final List<String> asked = new ArrayList<>();

        Lookup finding(String typeName, Class<?> type) {
            results.put(typeName, new Found(type));
            return this;
        }

        Lookup ambiguous(String typeName, String... candidates) {
            results.put(typeName, new Ambiguous(List.of(candidates)));
            return this;
        }

        Lookup losing(Class<?> type, String problem) {
            problems.put(type, problem);
            return this;
        }

        @Override
        public synchronized Result find(String typeName) {
            asked.add(typeName);
            return results.getOrDefault(typeName, new NotFound());
        }

        @Override
        public Optional<String> problemAfterRestart(Class<?> type, String typeName) {
            return Optional.ofNullable(problems.get(type));
        }
    }
}
