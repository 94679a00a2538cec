package dev.eventsourcery.eventstore.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.eventsourcery.eventstore.DuplicateEventTypeException;
import dev.eventsourcery.eventstore.EventType;

class EventTypeAliasesTest {

    @EventType(value = "bank.MoneyDeposited", aliases = {"Deposited", "bank.Deposit"})
    record MoneyDeposited(long amount) {
    }

    @EventType("bank.Deposit")
    record Deposit(long amount) {
    }

    @EventType(value = "bank.Fee", version = 0)
    record NegativeVersion(long amount) {
    }

    @EventType(value = "bank.Blank", aliases = " ")
    record BlankAlias(long amount) {
    }

    @EventType(value = "bank.Charge", version = 4)
    record Charge(long amount) {
    }

    record Plain(long amount) {
    }

    @Test
    void aClassLoadsUnderEveryAliasButIsStoredUnderItsOwnName() {
        EventTypeRegistry registry = new EventTypeRegistry().register(MoneyDeposited.class);

        assertThat(registry.classOf("Deposited")).contains(MoneyDeposited.class);
        assertThat(registry.classOf("bank.Deposit")).contains(MoneyDeposited.class);
        assertThat(registry.typeNameOf(MoneyDeposited.class)).isEqualTo("bank.MoneyDeposited");
        assertThat(registry.typeNamesOf(MoneyDeposited.class))
                .containsExactly("bank.MoneyDeposited", "Deposited", "bank.Deposit");
    }

    @Test
    void anAliasTakenByAnotherClassIsRefusedAndTheRefusedClassLeavesNothingBehind() {
        EventTypeRegistry registry = new EventTypeRegistry().register(Deposit.class);

        assertThatThrownBy(() -> registry.register(MoneyDeposited.class))
                .isInstanceOf(DuplicateEventTypeException.class)
                .hasMessageContaining("bank.Deposit");
        assertThat(registry.classOf("Deposited")).isEmpty();
        assertThat(registry.classOf("bank.MoneyDeposited")).isEmpty();
        assertThat(registry.isRegistered(MoneyDeposited.class)).isFalse();
    }

    @Test
    void aClassFoundByTheLookupUnderAnAliasIsRegisteredUnderItsOwnName() {
        EventTypeRegistry registry = new EventTypeRegistry(new EventClassLookup() {
            @Override
            public Result find(String typeName) {
                return typeName.equals("Deposited") ? new Found(MoneyDeposited.class) : new NotFound();
            }

            @Override
            public Optional<String> problemAfterRestart(Class<?> type, String typeName) {
                return Optional.empty();
            }
        });

        assertThat(registry.classOf("Deposited")).contains(MoneyDeposited.class);
        assertThat(registry.classOf("bank.MoneyDeposited")).contains(MoneyDeposited.class);
    }

    @Test
    void theSchemaVersionIsTheAnnotationsOrOne() {
        assertThat(EventTypeRegistry.declaredSchemaVersion(Charge.class)).isEqualTo(4);
        assertThat(EventTypeRegistry.declaredSchemaVersion(MoneyDeposited.class)).isEqualTo(1);
        assertThat(EventTypeRegistry.declaredSchemaVersion(Plain.class)).isEqualTo(1);
    }

    @Test
    void badVersionsAndAliasesAreRefusedNamingTheClass() {
        assertThatThrownBy(() -> EventTypeRegistry.declaredSchemaVersion(NegativeVersion.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(NegativeVersion.class.getName())
                .hasMessageContaining("schema version 0");
        assertThatThrownBy(() -> new EventTypeRegistry().register(BlankAlias.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(BlankAlias.class.getName())
                .hasMessageContaining("alias");
    }
}
