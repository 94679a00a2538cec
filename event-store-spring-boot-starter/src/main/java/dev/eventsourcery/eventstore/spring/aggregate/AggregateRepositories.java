package dev.eventsourcery.eventstore.spring.aggregate;

import java.util.Objects;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.aggregate.AggregateRepository;
import dev.eventsourcery.eventstore.aggregate.AggregateType;
import dev.eventsourcery.eventstore.aggregate.UnitOfWork;

/**
 * Makes {@link AggregateRepository repositories} on the application's event store: the injected, tenant-aware
 * one, so each of a repository's calls works in the tenant the application's {@code TenantResolver} returns
 * then. Their commands run in the application's transactions ({@link TransactionalUnitOfWork}) with
 * {@code event-store.aggregates.max-attempts} attempts per update. The Spring Boot starter declares one as a
 * bean; a repository is cheap to make, typically once in a service's constructor.
 *
 * <pre>{@code
 * AccountService(AggregateRepositories repositories) {
 *     this.accounts = repositories.repository(Account.TYPE);
 * }
 * }</pre>
 */
public final class AggregateRepositories {

    private final EventStore eventStore;
    private final UnitOfWork unitOfWork;
    private final int maxAttempts;

    /**
     * Repositories on {@code eventStore} whose attempts run in {@code unitOfWork}.
     *
     * @param maxAttempts how many times an update runs a command at most, 1 for no retry
     * @throws IllegalArgumentException when {@code maxAttempts} is less than 1
     */
    public AggregateRepositories(EventStore eventStore, UnitOfWork unitOfWork, int maxAttempts) {
        this.eventStore = Objects.requireNonNull(eventStore, "eventStore");
        this.unitOfWork = Objects.requireNonNull(unitOfWork, "unitOfWork");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("Aggregate repositories need at least 1 attempt per command, got "
                    + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
    }

    /** A repository of aggregates of {@code type}. */
    public <S> AggregateRepository<S> repository(AggregateType<S> type) {
        return AggregateRepository.builder(eventStore, type).maxAttempts(maxAttempts).unitOfWork(unitOfWork).build();
    }

    /** The unit of work the repositories' attempts run in. */
    public UnitOfWork unitOfWork() {
        return unitOfWork;
    }

    /** How many times an update runs a command at most. */
    public int maxAttempts() {
        return maxAttempts;
    }
}
