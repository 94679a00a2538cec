package dev.eventsourcery.eventstore.test.autoconfigure.testapp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.eventsourcery.eventstore.spring.EventAppended;

/** Hears of every deposit as it is appended. */
@Component
public class Deposits {

    private final List<EventAppended<MoneyDeposited>> heard = new CopyOnWriteArrayList<>();

    @EventListener
    void on(EventAppended<MoneyDeposited> deposit) {
        heard.add(deposit);
    }

    public List<EventAppended<MoneyDeposited>> heard() {
        return List.copyOf(heard);
    }

    public void forget() {
        heard.clear();
    }
}
