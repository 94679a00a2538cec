package dev.eventsourcery.eventstore.jpa;

/**
 * The contract suite on MariaDB connections that accept one statement per round trip (no
 * {@code allowMultiQueries} in the URL), where an append sends its two statements one after the other.
 */
class MariaDbOneStatementPerRoundTripContractTest extends JpaEventStoreContract {

    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    JpaTestContext context() {
        return JpaTestContext.plain(TestDatabase.MARIADB);
    }
}
