package dev.eventsourcery.eventstore.autoconfigure;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Creates the event store's tables with the schema script of the application's database platform,
 * as Spring Session JDBC and Spring Batch do, before the persistence unit starts. Runs according to
 * {@code event-store.jdbc.initialize-schema}.
 */
public class EventStoreSchemaInitializer extends DataSourceScriptDatabaseInitializer {

    private static final String HIKARI = "com.zaxxer.hikari.HikariDataSource";

    /** An initializer for the given data source and settings. */
    public EventStoreSchemaInitializer(DataSource dataSource, EventStoreProperties.Jdbc properties) {
        super(dataSource, settings(dataSource, properties));
    }

    static DatabaseInitializationSettings settings(DataSource dataSource, EventStoreProperties.Jdbc properties) {
        DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
        settings.setSchemaLocations(schemaLocations(dataSource, properties));
        settings.setMode(properties.getInitializeSchema());
        return settings;
    }

    private static List<String> schemaLocations(DataSource dataSource, EventStoreProperties.Jdbc properties) {
        PlatformPlaceholderDatabaseDriverResolver platforms = new PlatformPlaceholderDatabaseDriverResolver();
        String platform = properties.getPlatform();
        return platforms.resolveAll(StringUtils.hasText(platform) ? platform : platformOf(dataSource),
                properties.getSchema());
    }

    /**
     * The platform of the database, from the URL its connections report. This is the application's first
     * connection to its database, so a wrong URL, a missing database or a server that is down fails here,
     * with what the driver said (Spring Boot's own resolver would only say it failed to determine the driver).
     */
    static String platformOf(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return DatabaseDriver.fromJdbcUrl(connection.getMetaData().getURL()).getId();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to the application's database" + configuredUrl(dataSource)
                    + ": " + e.getMessage() + ". Check spring.datasource.url, that the database exists and that its "
                    + "server is running.", e);
        }
    }

    private static String configuredUrl(DataSource dataSource) {
        if (ClassUtils.isPresent(HIKARI, EventStoreSchemaInitializer.class.getClassLoader())
                && dataSource instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null) {
            return " at " + hikari.getJdbcUrl();
        }
        return "";
    }
}
