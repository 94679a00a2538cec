package dev.eventsourcery.eventstore.jpa;

/** Whether PostgreSQL's JDBC driver, whose notifications wake waiting readers, is on the class path. */
final class PostgresDriver {

    private PostgresDriver() {
    }

    static boolean present() {
        try {
            Class.forName("org.postgresql.PGConnection", false, PostgresDriver.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
