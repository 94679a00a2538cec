package dev.eventsourcery.eventstore.jpa;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import org.hibernate.boot.model.relational.Namespace;
import org.hibernate.boot.model.relational.Sequence;
import org.hibernate.cfg.SchemaToolingSettings;
import org.hibernate.mapping.Table;
import org.hibernate.tool.schema.internal.DefaultSchemaFilterProvider;
import org.hibernate.tool.schema.spi.SchemaFilter;
import org.hibernate.tool.schema.spi.SchemaFilterProvider;

/**
 * Keeps Hibernate's schema tool away from the event store's tables: with {@code hbm2ddl.auto} (Spring
 * Boot's {@code spring.jpa.hibernate.ddl-auto}) set to {@code create}, {@code create-drop}, {@code update}
 * or a truncation, Hibernate would otherwise drop and recreate them on every start, losing every event, and
 * recreate them without the shipped scripts' constraints. Only the scripts create and change these tables;
 * {@code validate} still checks them against the entities.
 *
 * <p>Set it as the persistence unit's {@value SchemaToolingSettings#HBM2DDL_FILTER_PROVIDER} (the Spring
 * Boot starter does). An application that has a filter provider of its own wraps it:
 * {@code new EventStoreSchemaFilterProvider(itsProvider)} applies it to every other table.
 */
public final class EventStoreSchemaFilterProvider implements SchemaFilterProvider {

    /** The tables the shipped scripts create, lower case. */
    static final Set<String> TABLES = Set.of("es_stream", "es_event", "es_snapshot", "es_pending", "es_log",
            "es_log_head", "es_deleted", "es_projection", "es_dead_letter");

    private final SchemaFilterProvider delegate;

    /** Hibernate's default filtering for every other table. */
    public EventStoreSchemaFilterProvider() {
        this(DefaultSchemaFilterProvider.INSTANCE);
    }

    /** The given provider's filtering for every other table. */
    public EventStoreSchemaFilterProvider(SchemaFilterProvider delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public SchemaFilter getCreateFilter() {
        return withoutEventStoreTables(delegate.getCreateFilter());
    }

    @Override
    public SchemaFilter getDropFilter() {
        return withoutEventStoreTables(delegate.getDropFilter());
    }

    @Override
    public SchemaFilter getTruncatorFilter() {
        return withoutEventStoreTables(delegate.getTruncatorFilter());
    }

    @Override
    public SchemaFilter getMigrateFilter() {
        return withoutEventStoreTables(delegate.getMigrateFilter());
    }

    @Override
    public SchemaFilter getValidateFilter() {
        return delegate.getValidateFilter();
    }

    /** Whether a table is one of the event store's. */
    static boolean isEventStoreTable(Table table) {
        return TABLES.contains(table.getName().toLowerCase(Locale.ROOT));
    }

    private static SchemaFilter withoutEventStoreTables(SchemaFilter filter) {
        return new SchemaFilter() {
            @Override
            public boolean includeNamespace(Namespace namespace) {
                return filter.includeNamespace(namespace);
            }

            @Override
            public boolean includeTable(Table table) {
                return !isEventStoreTable(table) && filter.includeTable(table);
            }

            @Override
            public boolean includeSequence(Sequence sequence) {
                return filter.includeSequence(sequence);
            }
        };
    }
}
