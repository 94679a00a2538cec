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
            + "values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing", false),

    MARIADB("insert ignore into es_stream (id, tenant_id, stream_uuid, name, category, versioned, version) "
            + "values (?, ?, ?, ?, ?, ?, ?)", false),

    /** H2 and any other database: an insert guarded by a not-exists check; a race ends in a constraint error. */
    STANDARD("insert into es_stream (id, tenant_id, stream_uuid, name, category, versioned, version) "
            + "select ?, ?, ?, ?, ?, ?, ? where not exists (select 1 from es_stream s where s.id = ?)", true);

    private final String insertStreamIfAbsent;
    private final boolean bindsIdAgain;

    DatabasePlatform(String insertStreamIfAbsent, boolean bindsIdAgain) {
        this.insertStreamIfAbsent = insertStreamIfAbsent;
        this.bindsIdAgain = bindsIdAgain;
    }

    /**
     * Inserts a stream row unless one with its id exists; the update count tells which happened. Binds
     * id, tenant, stream uuid, name, category, versioned and version, then the id again when
     * {@link #bindsIdAgain()}.
     */
    String insertStreamIfAbsent() {
        return insertStreamIfAbsent;
    }

    /** Whether {@link #insertStreamIfAbsent()} takes the row id a second time, as its eighth parameter. */
    boolean bindsIdAgain() {
        return bindsIdAgain;
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
