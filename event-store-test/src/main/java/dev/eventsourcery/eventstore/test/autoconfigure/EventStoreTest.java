package dev.eventsourcery.eventstore.test.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.autoconfigure.OverrideAutoConfiguration;
import org.springframework.boot.test.context.PropertyMapping;
import org.springframework.boot.test.context.filter.annotation.TypeExcludeFilters;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.context.BootstrapWith;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * A test of an application's services on the event store, without the rest of the application: a Spring test
 * context with the event store's auto-configuration only, on an in-memory store by default, so that it needs no
 * database.
 *
 * <p>The context holds:
 * <ul>
 *   <li>the starter's {@code EventStore}, with the application's {@code event-store.*} properties, its event type
 *       registry over the application's packages, its serializer (with the modules of the application's JSON
 *       mapper, when Spring Boot's Jackson support is there) and its {@code TenantResolver}; it publishes an
 *       {@code EventAppended} for every appended event to the {@code @EventListener}s of the context;</li>
 *   <li>the starter's {@code AggregateRepositories}, whose repositories work on that store (without transactions
 *       on the in-memory one, in the store's transactions on the JPA one);</li>
 *   <li>from the application's component scan, only {@code TenantResolver}s,
 *       {@code EventStoreJsonMapperBuilderCustomizer}s, Jackson modules and {@code @JacksonComponent}s: what
 *       decides how events are stored. The services and listeners under test are added with {@code @Import}, or
 *       with {@link #includeFilters()}, and so is a {@code @Configuration} class whose {@code @Bean} methods
 *       define a {@code TenantResolver} or a customizer (the filter sees classes, not the beans they define);</li>
 *   <li>no data source, no projections, no outbox, no health indicator, no metrics: they need a database or the
 *       rest of the application.</li>
 * </ul>
 * As in Spring Boot's own test slices, the annotations on the application's {@code @SpringBootApplication} class
 * apply too: one that needs more than this context (an {@code @EnableJpaRepositories}, say) belongs on a
 * {@code @Configuration} class of its own.
 *
 * <p>The in-memory store has no transactions: an append is stored at once and an {@code @EventListener} of
 * {@code EventAppended} runs after it; a listener that fails makes the append throw but does not undo it, and a
 * {@code @TransactionalEventListener} runs only with {@code fallbackExecution = true}. Tests of that behaviour run
 * on the JPA backend.
 *
 * <p><b>The same tests on a database.</b> With {@code backend = Backend.JPA}, or the property
 * {@code event-store.test.backend=jpa}, the store is the starter's JPA one on a {@code DataSource}, Hibernate and
 * transactions auto-configured as in the application, with its Flyway or Liquibase migrations when those are on the
 * class path: on embedded H2 without {@code spring.datasource.url} (the starter creates the tables there), on the
 * database the {@code spring.datasource.*} properties name otherwise (with
 * {@code event-store.jdbc.initialize-schema=always} unless migrations create the tables). A subclass of an
 * in-memory test with this annotation and {@code backend = Backend.JPA} runs the same tests there.
 *
 * <p><b>Each test starts with an empty store.</b> Before each test method, every stream of every tenant is
 * deleted, on both backends, so that tests do not see each other's events; the positions of the log go on
 * rising. {@link #deleteStreamsBeforeEachTest()} turns this off, for tests that share events appended once.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@BootstrapWith(EventStoreTestContextBootstrapper.class)
@ExtendWith(SpringExtension.class)
@OverrideAutoConfiguration(enabled = false)
@TypeExcludeFilters(EventStoreTypeExcludeFilter.class)
@ImportAutoConfiguration
@Import(JpaBackend.class)
public @interface EventStoreTest {

    /**
     * The store's backend: {@link Backend#IN_MEMORY} unless the property {@code event-store.test.backend} says
     * otherwise.
     */
    @PropertyMapping(value = "event-store.test.backend", skip = PropertyMapping.Skip.ON_DEFAULT_VALUE)
    Backend backend() default Backend.IN_MEMORY;

    /** Whether every stream of every tenant is deleted before each test method. */
    boolean deleteStreamsBeforeEachTest() default true;

    /** Properties in the form {@code key=value} added to the test's {@code Environment}. */
    String[] properties() default {};

    /**
     * Whether the application's component scan is filtered down to what decides how events are stored (see
     * above); with {@code false}, it includes nothing but {@link #includeFilters()}.
     */
    boolean useDefaultFilters() default true;

    /** Filters of the application's component scan that add beans the test needs, such as its services. */
    Filter[] includeFilters() default {};

    /** Filters of the application's component scan that leave beans out. */
    Filter[] excludeFilters() default {};

    /** Auto-configurations left out of this test. */
    @AliasFor(annotation = ImportAutoConfiguration.class, attribute = "exclude")
    Class<?>[] excludeAutoConfiguration() default {};

    /** Where the store of an {@link EventStoreTest} keeps its events. */
    enum Backend {

        /** In memory, in the test's JVM: no database, no transactions. */
        IN_MEMORY,

        /** The starter's JPA store, on the data source the {@code spring.datasource.*} properties describe. */
        JPA
    }
}
