package dev.eventsourcery.eventstore.autoconfigure.eventtypes.app;

/** Events of an application's account, none annotated with {@code @EventType}: stored under their simple names. */
public sealed interface AccountEvent {

    /** Money came in. */
    record MoneyDeposited(String account, long amount) implements AccountEvent {
    }

    /** Money went out. */
    record MoneyWithdrawn(String account, long amount) implements AccountEvent {
    }
}
