package dev.eventsourcery.eventstore.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.context.event.GenericApplicationListenerAdapter;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.core.ResolvableType;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.eventsourcery.eventstore.EventStoreException;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.spring.EventAppended;
import dev.eventsourcery.eventstore.storage.AppendInterceptor;

/**
 * Publishes an {@link EventAppended} for every appended event, inside the appending transaction: the caller's
 * when there is one, otherwise one this publisher begins with the store's transaction manager, so that an
 * {@code @EventListener} that fails rolls the append back and {@code @TransactionalEventListener}s run after
 * the commit.
 *
 * <p>While no listener of the application would receive the {@code EventAppended} of any of an append's
 * events (asked as Spring's multicaster asks, once per event class: an {@code @EventListener} of
 * {@code EventAppended<MoneyDeposited>}, of {@code EventAppended<?>} or of {@code Object} takes a deposit),
 * nothing is published and an append outside a transaction keeps its single autocommit round trip. The
 * answers are forgotten when the context refreshes; a context with a parent always publishes, as its events
 * reach the parent's listeners too.
 */
final class EventAppendedPublisher implements AppendInterceptor, ApplicationListener<ContextRefreshedEvent> {

    private final ApplicationContext context;
    private final @Nullable TransactionTemplate transactions;
    private volatile boolean refreshed;
    private final Map<Class<?>, Boolean> listenedTo = new ConcurrentHashMap<>();

    /**
     * @param transactionManager the manager of the store's transactions; {@code null} for a backend without
     *     transactions (the in-memory one), whose appends publish with no transaction around them
     */
    EventAppendedPublisher(ApplicationContext context, @Nullable PlatformTransactionManager transactionManager) {
        this.context = context;
        this.transactions = transactionManager == null ? null : new TransactionTemplate(transactionManager);
    }

    @Override
    public void intercept(Append append) {
        if (!listening(append)) {
            append.proceed();
        } else if (transactions == null || TransactionSynchronizationManager.isActualTransactionActive()) {
            append.proceed();
            publish(append);
        } else {
            inTransaction(append);
        }
    }

    private void inTransaction(Append append) {
        boolean[] ran = new boolean[1];
        try {
            Objects.requireNonNull(transactions).executeWithoutResult(status -> {
                append.proceed();
                publish(append);
                ran[0] = true;
            });
        } catch (TransactionException e) {
            if (!ran[0]) {
                throw e;
            }
            throw new EventStoreException("The transaction of the append to stream " + append.streamId() + " in "
                    + append.tenantId() + " did not commit; the events may or may not be stored", e);
        }
    }

    private void publish(Append append) {
        for (WrappedEvent<?> event : append.appended()) {
            context.publishEvent(new EventAppended<>(event, append.streamId(), append.tenantId()));
        }
    }

    @Override
    public void onApplicationEvent(ContextRefreshedEvent event) {
        if (event.getApplicationContext() == context) {
            listenedTo.clear();
            refreshed = true;
        }
    }

    /** Whether some listener could receive the {@code EventAppended} of one of the events. */
    private boolean listening(Append append) {
        for (WrappedEvent<?> event : append.events()) {
            Class<?> eventClass = event.event().getClass();
            Boolean known = refreshed ? listenedTo.get(eventClass) : null;
            if (known == null) {
                known = findListener(eventClass);
                if (refreshed) {
                    listenedTo.put(eventClass, known);
                }
            }
            if (known) {
                return true;
            }
        }
        return false;
    }

    /** Asks every listener of the context, as Spring's multicaster would, whether it takes this event class. */
    private boolean findListener(Class<?> eventClass) {
        if (context.getParent() != null) {
            return true;
        }
        ResolvableType appended = ResolvableType.forClassWithGenerics(PayloadApplicationEvent.class,
                ResolvableType.forClassWithGenerics(EventAppended.class, eventClass));
        List<ApplicationListener<?>> listeners = new ArrayList<>();
        if (context instanceof AbstractApplicationContext abstractContext) {
            listeners.addAll(abstractContext.getApplicationListeners());
        }
        for (ApplicationListener<?> bean : context.getBeansOfType(ApplicationListener.class, false, false).values()) {
            listeners.add(bean);
        }
        for (ApplicationListener<?> listener : listeners) {
            GenericApplicationListener generic = listener instanceof GenericApplicationListener known ? known
                    : new GenericApplicationListenerAdapter(listener);
            if (generic.supportsEventType(appended)) {
                return true;
            }
        }
        return false;
    }
}
