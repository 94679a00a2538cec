package dev.eventsourcery.eventstore.jpa;

import java.nio.charset.StandardCharsets;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

import org.hibernate.dialect.Dialect;
import org.hibernate.dialect.H2Dialect;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.ValueBinder;
import org.hibernate.type.descriptor.ValueExtractor;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.JavaType;
import org.hibernate.type.descriptor.jdbc.BasicBinder;
import org.hibernate.type.descriptor.jdbc.BasicExtractor;
import org.hibernate.type.descriptor.jdbc.JdbcType;

/**
 * Binds JSON text, already serialized by the event store, to a JSON column ({@code jsonb} on
 * PostgreSQL, {@code json} elsewhere) as it is.
 *
 * <p>Hibernate's own JSON type passes values through a JSON {@code FormatMapper}, which Hibernate 7.2
 * only finds for Jackson 2 or JSON-B; a Spring Boot 4 application has Jackson 3. This type needs none,
 * and leaves the application's own JSON mapping configuration untouched.
 */
public final class JsonTextJdbcType implements JdbcType {

    private static final long serialVersionUID = 1L;

    @Override
    public int getJdbcTypeCode() {
        return Types.VARCHAR;
    }

    @Override
    public int getDefaultSqlTypeCode() {
        return SqlTypes.JSON;
    }

    @Override
    public int getDdlTypeCode() {
        return SqlTypes.JSON;
    }

    @Override
    public String getFriendlyName() {
        return "JSON_TEXT";
    }

    @Override
    public <X> ValueBinder<X> getBinder(JavaType<X> javaType) {
        return new BasicBinder<>(javaType, this) {
            @Override
            protected void doBind(PreparedStatement statement, X value, int index, WrapperOptions options)
                    throws SQLException {
                String json = javaType.unwrap(value, String.class, options);
                Dialect dialect = options.getDialect();
                if (dialect instanceof PostgreSQLDialect) {
                    // an untyped parameter: the server reads the text into the json column
                    statement.setObject(index, json, Types.OTHER);
                } else if (dialect instanceof H2Dialect) {
                    // H2 reads bytes as JSON text; a character string would become a JSON string value
                    statement.setBytes(index, json.getBytes(StandardCharsets.UTF_8));
                } else {
                    statement.setString(index, json);
                }
            }

            @Override
            protected void doBind(CallableStatement statement, X value, String name, WrapperOptions options)
                    throws SQLException {
                statement.setString(name, javaType.unwrap(value, String.class, options));
            }
        };
    }

    @Override
    public <X> ValueExtractor<X> getExtractor(JavaType<X> javaType) {
        return new BasicExtractor<>(javaType, this) {
            @Override
            protected X doExtract(ResultSet resultSet, int index, WrapperOptions options) throws SQLException {
                return javaType.wrap(resultSet.getString(index), options);
            }

            @Override
            protected X doExtract(CallableStatement statement, int index, WrapperOptions options) throws SQLException {
                return javaType.wrap(statement.getString(index), options);
            }

            @Override
            protected X doExtract(CallableStatement statement, String name, WrapperOptions options)
                    throws SQLException {
                return javaType.wrap(statement.getString(name), options);
            }
        };
    }
}
