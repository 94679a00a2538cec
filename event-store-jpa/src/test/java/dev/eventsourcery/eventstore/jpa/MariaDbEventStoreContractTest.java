package dev.eventsourcery.eventstore.jpa;

/** The contract suite on the JPA backend over MariaDb. */
class MariaDbEventStoreContractTest extends JpaEventStoreContract {

    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
