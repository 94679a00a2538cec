package dev.eventsourcery.eventstore.benchmarks;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * The databases the benchmark runs on, with the few SQL fragments that differ between them (the fills
 * generate rows on the server, which needs a row generator, JSON and UUID functions). Every scenario runs
 * on H2 and PostgreSQL; on MariaDB only the event store's S8, to show its polling wake-ups beside
 * PostgreSQL's notifications.
 */
enum Database {

    H2("H2", "h2", "jdbc:h2:mem:benchmarks;DB_CLOSE_DELAY=-1", "sa", ""),
    POSTGRESQL("PostgreSQL", "postgresql", "jdbc:postgresql://127.0.0.1:5432/bench", "postgres", ""),
    MARIADB("MariaDB", "mariadb", "jdbc:mariadb://127.0.0.1:3306/bench", "root", "");

    private final String title;
    private final String platform;
    private final String defaultUrl;
    private final String defaultUser;
    private final String defaultPassword;

    Database(String title, String platform, String url, String user, String password) {
        this.title = title;
        this.platform = platform;
        this.defaultUrl = url;
        this.defaultUser = user;
        this.defaultPassword = password;
    }

    String title() {
        return title;
    }

    /** The platform name in the event store's schema script names. */
    String platform() {
        return platform;
    }

    String url() {
        return System.getProperty("bench." + platform + ".url", defaultUrl);
    }

    private String user() {
        return System.getProperty("bench." + platform + ".user", defaultUser);
    }

    private String password() {
        return System.getProperty("bench." + platform + ".password", defaultPassword);
    }

    /** Whether all contenders run all scenarios here; otherwise only the event store's S8. */
    boolean runsEveryScenario() {
        return this != MARIADB;
    }

    /** Empty when the database answers; otherwise why not. On MariaDB the database is created when missing. */
    Optional<String> unreachable() {
        if (this == H2) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        properties.setProperty("user", user());
        properties.setProperty("password", password());
        if (this == MARIADB) {
            // MariaDB Connector/J's option: a root user needs no "create database bench" beforehand
            properties.setProperty("createDatabaseIfNotExist", "true");
        }
        try (Connection ignored = DriverManager.getConnection(url(), properties)) {
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The one pool every contender shares: sized for the four writers of S5 and then some. */
    HikariDataSource dataSource() {
        return dataSource("benchmarks-" + platform);
    }

    /** A pool of its own, for a second instance of the event store (S8). */
    HikariDataSource dataSource(String name) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(url());
        dataSource.setUsername(user());
        dataSource.setPassword(password());
        dataSource.setMaximumPoolSize(8);
        dataSource.setMinimumIdle(8);
        dataSource.setPoolName(name);
        return dataSource;
    }

    /** Product and version, as the driver reports them. */
    String describe(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            return meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion().replaceAll(" \\(.*", "");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Drops and creates every contender's tables: the event store's from the scripts it ships, Axon's and
     * raw JDBC's from this module's (on MariaDB the event store's only).
     */
    void recreateSchema(DataSource dataSource) {
        List<ClassPathResource> scripts = new ArrayList<>();
        scripts.add(new ClassPathResource("dev/eventsourcery/eventstore/jpa/drop-" + platform + ".sql"));
        if (runsEveryScenario()) {
            scripts.add(new ClassPathResource("benchmarks/drop.sql"));
        }
        scripts.add(new ClassPathResource("dev/eventsourcery/eventstore/jpa/schema-" + platform + ".sql"));
        if (runsEveryScenario()) {
            scripts.add(new ClassPathResource("benchmarks/schema-" + platform + ".sql"));
        }
        new ResourceDatabasePopulator(scripts.toArray(ClassPathResource[]::new)).execute(dataSource);
    }

    /** A row source of {@code 1..n} in column {@code x}, aliased {@code alias}. */
    String series(long n, String alias) {
        return this == H2 ? "system_range(1, " + n + ") " + alias : "generate_series(1, " + n + ") " + alias + "(x)";
    }

    /** A random UUID. */
    String randomUuid() {
        return this == H2 ? "random_uuid()" : "gen_random_uuid()";
    }

    /** JSON text (a varchar expression) as a value of the JSON column type. */
    String json(String text) {
        // H2 reads a character string as one JSON string value, bytes as JSON text
        return this == H2 ? "cast(stringtoutf8(" + text + ") as json)" : "cast(" + text + " as json)";
    }

    /** Text as UTF-8 bytes. */
    String bytes(String text) {
        return this == H2 ? "stringtoutf8(" + text + ")" : "convert_to(" + text + ", 'UTF8')";
    }

    /** The fill stream number {@code n} (an integer expression) as a UUID no benchmark stream can have. */
    String fillStreamUuid(String n) {
        // decimal digits are hex digits too; random (version 4) and name-based (version 3) UUIDs never look like this
        return "cast('00000000-0000-4000-8000-' || lpad(cast(" + n + " as varchar), 12, '0') as uuid)";
    }

    /** Draws the next value of a sequence. */
    long nextValue(JdbcTemplate jdbc, String sequence) {
        String sql = this == H2 ? "select next value for " + sequence : "select nextval('" + sequence + "')";
        return jdbc.queryForObject(sql, Long.class);
    }

    /**
     * After a bulk load: vacuums and checkpoints PostgreSQL now, so that neither autovacuum nor a checkpoint
     * lands in the measured rounds; H2 has nothing to settle.
     */
    void settle(JdbcTemplate jdbc) {
        if (this == POSTGRESQL) {
            jdbc.execute("vacuum");
            jdbc.execute("checkpoint");
        }
    }

    /** Refreshes the planner's statistics, as autovacuum would after a bulk load. */
    void analyze(JdbcTemplate jdbc, String table) {
        jdbc.execute(this == H2 ? "analyze table " + table : "analyze " + table);
    }
}
