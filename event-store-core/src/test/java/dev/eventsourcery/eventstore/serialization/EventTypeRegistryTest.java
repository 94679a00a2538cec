package dev.eventsourcery.eventstore.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
