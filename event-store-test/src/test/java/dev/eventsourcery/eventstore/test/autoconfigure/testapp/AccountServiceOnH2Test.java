package dev.eventsourcery.eventstore.test.autoconfigure.testapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.context.ApplicationContext;

import dev.eventsourcery.eventstore.jpa.JpaEventStorage;
import dev.eventsourcery.eventstore.test.autoconfigure.EventStoreTest;
import dev.eventsourcery.eventstore.test.autoconfigure.EventStoreTest.Backend;

/** The account service's tests on the starter's JPA store, on embedded H2. */
@EventStoreTest(backend = Backend.JPA)
class AccountServiceOnH2Test extends AccountServiceTest {

    @Override
    void assertBackend(ApplicationContext context) {
        assertThat(context.getBean(JpaEventStorage.class)).isNotNull();
        assertThat(url(context.getBean(DataSource.class))).startsWith("jdbc:h2:mem:");
    }

    static String url(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getURL();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
