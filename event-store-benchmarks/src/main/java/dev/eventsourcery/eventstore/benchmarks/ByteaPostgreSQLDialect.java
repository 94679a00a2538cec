package dev.eventsourcery.eventstore.benchmarks;

import org.hibernate.boot.model.TypeContributions;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.engine.jdbc.dialect.spi.DialectResolutionInfo;
import org.hibernate.service.ServiceRegistry;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.jdbc.BinaryJdbcType;

/**
 * PostgreSQL with {@code @Lob byte[]} kept in {@code bytea} columns, as Axon's reference guide advises
 * for its event tables; Hibernate would otherwise store each payload as a large object ({@code oid}),
 * one extra round trip per event. The event store's own columns are not LOBs and are unaffected.
 */
public final class ByteaPostgreSQLDialect extends PostgreSQLDialect {

    /** The dialect for the server version Hibernate detects. */
    public ByteaPostgreSQLDialect(DialectResolutionInfo info) {
        super(info);
    }

    /** The dialect for Hibernate's default PostgreSQL version. */
    public ByteaPostgreSQLDialect() {
        super();
    }

    @Override
    protected String columnType(int sqlTypeCode) {
        return sqlTypeCode == SqlTypes.BLOB ? "bytea" : super.columnType(sqlTypeCode);
    }

    @Override
    public void contributeTypes(TypeContributions typeContributions, ServiceRegistry serviceRegistry) {
        super.contributeTypes(typeContributions, serviceRegistry);
        typeContributions.getTypeConfiguration().getJdbcTypeRegistry()
                .addDescriptor(SqlTypes.BLOB, BinaryJdbcType.INSTANCE);
    }
}
