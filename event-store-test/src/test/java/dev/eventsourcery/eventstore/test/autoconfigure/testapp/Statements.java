package dev.eventsourcery.eventstore.test.autoconfigure.testapp;

import javax.sql.DataSource;

import org.springframework.stereotype.Repository;

/** Account statements, read with SQL: a bean an event store test has no use for, and no data source to give. */
@Repository
public class Statements {

    private final DataSource dataSource;

    public Statements(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public DataSource dataSource() {
        return dataSource;
    }
}
