package dev.eventsourcery.eventstore.spring.projection;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;

/**
 * A projection declared in code instead of on its bean's class: a bean with {@link ProjectionHandler} (and
 * {@link ProjectionReset}) methods, and the {@link Projection} settings to run it with, made at run time — from
 * configuration properties, say, where an annotation's attributes would have to be constants. Declared as a
 * bean, it is run by {@link ProjectionRunners} with the beans annotated {@link Projection}, operated through
 * {@link Projections}, and reported on by the health indicator, the metrics and the {@code eventstore}
 * endpoint alike. The event store's outbox is one.
 *
 * <pre>{@code
 * @Bean
 * ProjectionDeclaration auditTrail(AuditProperties properties) {
 *     return ProjectionDeclaration.of(new AuditTrail(), Map.of("name", properties.projectionName()));
 * }
 * }</pre>
 *
 * @param bean the object whose {@link ProjectionHandler} methods take the events; its class is not annotated
 *     {@link Projection}, and it need not be a bean of its own
 * @param settings the projection's settings
 */
public record ProjectionDeclaration(Object bean, Projection settings) {

    /** Requires both parts. */
    public ProjectionDeclaration {
        Objects.requireNonNull(bean, "bean");
        Objects.requireNonNull(settings, "settings");
    }

    /**
     * A projection of the bean with the given settings.
     *
     * @param attributes the attributes of a {@link Projection} annotation by name ({@code name} is required; the
     *     others take their defaults when left out), each of the attribute's type: {@code String},
     *     {@code String[]}, {@code int}, {@link StartPosition}, {@link FailurePolicy}
     * @throws IllegalArgumentException when {@code name} is missing or an attribute is unknown or of another
     *     type
     */
    public static ProjectionDeclaration of(Object bean, Map<String, ?> attributes) {
        return new ProjectionDeclaration(bean, settings(attributes));
    }

    /**
     * {@link Projection} settings made at run time, as if read from an annotation with these attributes.
     *
     * @throws IllegalArgumentException when {@code name} is missing or an attribute is unknown or of another
     *     type
     */
    public static Projection settings(Map<String, ?> attributes) {
        if (!attributes.containsKey("name")) {
            throw new IllegalArgumentException("A projection needs a name: the attribute 'name' is missing");
        }
        attributes.forEach((attribute, value) -> {
            Class<?> type;
            try {
                type = ClassUtils.resolvePrimitiveIfNecessary(Projection.class.getMethod(attribute).getReturnType());
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException("@Projection has no attribute '" + attribute + "'");
            }
            if (!type.isInstance(value)) {
                throw new IllegalArgumentException("@Projection attribute '" + attribute + "' is a "
                        + type.getSimpleName() + ", got " + (value == null ? "null" : value.getClass().getName()));
            }
        });
        return AnnotationUtils.synthesizeAnnotation(new LinkedHashMap<>(attributes), Projection.class, null);
    }
}
