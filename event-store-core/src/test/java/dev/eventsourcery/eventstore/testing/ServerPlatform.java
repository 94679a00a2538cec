package dev.eventsourcery.eventstore.testing;

import java.sql.SQLException;
import java.sql.Statement;

/** What each database server needs said to list, create and drop the test runs' databases. */
enum ServerPlatform {

    /** PostgreSQL 13 or later. */
    POSTGRESQL("select datname from pg_database") {
        @Override
        String drop(String database) {
            // the run's pool may still hold connections at exit; force ends them instead of waiting for them
            return "drop database if exists " + database + " with (force)";
        }
    },

    /** MariaDB (and MySQL). */
    MARIADB("select schema_name from information_schema.schemata") {
        @Override
        void prepare(Statement administration) throws SQLException {
            // a drop waits for other sessions' metadata locks, by default for a day: at exit, give up sooner
            administration.execute("set session lock_wait_timeout = 10");
        }
    };

    private final String listDatabases;

    ServerPlatform(String listDatabases) {
        this.listDatabases = listDatabases;
    }

    /** The platform of a JDBC URL, from its scheme. */
    static ServerPlatform of(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            return MARIADB;
        }
        throw new IllegalArgumentException("Not a PostgreSQL or MariaDB URL: " + url);
    }

    String listDatabases() {
        return listDatabases;
    }

    String create(String database) {
        return "create database " + database;
    }

    String drop(String database) {
        return "drop database if exists " + database;
    }

    /** Settings for a session that creates and drops databases. */
    void prepare(Statement administration) throws SQLException {
    }
}
