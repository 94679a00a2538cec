package dev.eventsourcery.eventstore.jpa;

/** The contract suite on the JPA backend over H2. */
class H2EventStoreContractTest extends JpaEventStoreContract {

    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
