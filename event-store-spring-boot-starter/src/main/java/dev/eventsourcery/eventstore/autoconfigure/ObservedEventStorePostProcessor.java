package dev.eventsourcery.eventstore.autoconfigure;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.BeanPostProcessor;

import dev.eventsourcery.eventstore.EventStore;

/**
 * Wraps every {@link EventStore} bean, the application's own included, in an {@link ObservedEventStore}, so
 * that injection points receive the observed store. The observations are made on first use, from the
 * registries of the context, which a post-processor must not ask for while it is itself being created.
 */
final class ObservedEventStorePostProcessor implements BeanPostProcessor {

    private final Supplier<EventStoreObservations> observationsFactory;
    private volatile @Nullable EventStoreObservations observations;

    ObservedEventStorePostProcessor(Supplier<EventStoreObservations> observations) {
        this.observationsFactory = observations;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof EventStore store && !(bean instanceof ObservedEventStore)) {
            return new ObservedEventStore(store, observations());
        }
        return bean;
    }

    private EventStoreObservations observations() {
        EventStoreObservations made = observations;
        if (made == null) {
            synchronized (this) {
                made = observations;
                if (made == null) {
                    made = observationsFactory.get();
                    observations = made;
                }
            }
        }
        return made;
    }
}
