package dev.eventsourcery.sample.bank.account;

import dev.eventsourcery.eventstore.test.autoconfigure.EventStoreTest;
import dev.eventsourcery.eventstore.test.autoconfigure.EventStoreTest.Backend;

/** The account service's tests on the starter's JPA store, on embedded H2, as the bank runs by default. */
@EventStoreTest(backend = Backend.JPA)
class AccountServiceOnH2Test extends AccountServiceTest {
}
