package dev.eventsourcery.eventstore.jpa;

/** The contract suite on the JPA backend over PostgreSql. */
class PostgreSqlEventStoreContractTest extends JpaEventStoreContract {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
