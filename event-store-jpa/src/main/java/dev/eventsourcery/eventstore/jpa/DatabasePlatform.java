package dev.eventsourcery.eventstore.jpa;

import org.hibernate.dialect.Dialect;
import org.hibernate.dialect.MariaDBDialect;
import org.hibernate.dialect.MySQLDialect;
import org.hibernate.dialect.PostgreSQLDialect;

/**
 * The few statements that differ per database: creating a stream row only if it is absent, without an
 * error that would abort the transaction (PostgreSQL aborts a transaction on any failed statement).
 */
enum DatabasePlatform {

    POSTGRESQL("insert into es_stream (id, tenant_id, stream_uuid, name, category, versioned, version) "
            + "values (?1, ?2, ?3, ?4, ?5, ?6, ?7) on conflict do nothing"),

    MARIADB("insert ignore into es_stream (id, tenant_id, stream_uuid, name, category, versioned, version) "
            + "values (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),

    /** H2 and any other database: an insert guarded by a not-exists check; a race ends in a constraint error. */
    STANDARD("insert into es_stream (id, tenant_id, stream_uuid, name, category, versioned, version) "
            + "select ?1, ?2, ?3, ?4, ?5, ?6, ?7 where not exists (select 1 from es_stream s where s.id = ?1)");

    private final String insertStreamIfAbsent;

    DatabasePlatform(String insertStreamIfAbsent) {
        this.insertStreamIfAbsent = insertStreamIfAbsent;
    }

    /** Inserts a stream row unless one with its id exists; the update count tells which happened. */
    String insertStreamIfAbsent() {
        return insertStreamIfAbsent;
    }

    static DatabasePlatform of(Dialect dialect) {
        if (dialect instanceof PostgreSQLDialect) {
            return POSTGRESQL;
        }
        if (dialect instanceof MariaDBDialect || dialect instanceof MySQLDialect) {
            return MARIADB;
        }
        return STANDARD;
    }
}
