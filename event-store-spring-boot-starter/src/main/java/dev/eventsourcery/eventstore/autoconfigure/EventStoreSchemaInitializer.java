package dev.eventsourcery.eventstore.autoconfigure;

import java.util.List;

import javax.sql.DataSource;

import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;
import org.springframework.util.StringUtils;

/**
 * Creates the event store's tables with the schema script of the application's database platform,
 * as Spring Session JDBC and Spring Batch do, before the persistence unit starts. Runs according to
 * {@code event-store.jdbc.initialize-schema}.
 */
public class EventStoreSchemaInitializer extends DataSourceScriptDatabaseInitializer {

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
        return StringUtils.hasText(platform)
                ? platforms.resolveAll(platform, properties.getSchema())
                : platforms.resolveAll(dataSource, properties.getSchema());
    }
}
