package dev.eventsourcery.eventstore.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import dev.eventsourcery.eventstore.DuplicateEventTypeException;
import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.UnknownEventTypeException;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.autoconfigure.eventtypes.ambiguous.first.LimitRaised;
import dev.eventsourcery.eventstore.autoconfigure.eventtypes.app.AccountClosed;
import dev.eventsourcery.eventstore.autoconfigure.eventtypes.app.AccountEvent;
import dev.eventsourcery.eventstore.autoconfigure.eventtypes.reloaded.ReloadedAnnotated;
import dev.eventsourcery.eventstore.autoconfigure.eventtypes.reloaded.ReloadedPlain;
import dev.eventsourcery.eventstore.autoconfigure.eventtypes.shared.CardBlocked;
import dev.eventsourcery.eventstore.autoconfigure.eventtypes.shared.CardIssued;
import dev.eventsourcery.eventstore.serialization.EventTypeRegistry;

/**
 * Events appended by one run of an application load in the next one: each test appends in one context
 * and loads in a second, freshly started context on the same database, which has registered nothing by
 * hand.
 */
class EventClassesAfterRestartTest {

    private static final String SHARED_PACKAGE = CardIssued.class.getPackageName();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    HibernateJpaAutoConfiguration.class, EventStoreEntitiesAutoConfiguration.class,
                    EventSerializationAutoConfiguration.class, EventStoreAutoConfiguration.class))
            .withPropertyValues(oneDatabaseForBothRuns());

    private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();

    // System.Logger writes to java.util.logging unless another backend is installed, and Spring Boot
    // bridges java.util.logging to its own logging; the registry's logger is listened to where it starts
    private final Logger registryLogger = Logger.getLogger(EventTypeRegistry.class.getName());

    private final Handler warningListener = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = AccountClosed.class)
    static class Application {
    }

    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackages = "dev.eventsourcery.eventstore.autoconfigure.eventtypes.ambiguous")
    static class ApplicationWithTwoLimitRaisedClasses {
    }

    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = ReloadedPlain.class)
    static class ReloadedApplication {
    }

    @BeforeEach
    void listenToTheRegistrysWarnings() {
        registryLogger.addHandler(warningListener);
    }

    @AfterEach
    void stopListening() {
        registryLogger.removeHandler(warningListener);
    }

    @Test
    void eventsOfUnannotatedClassesLoadAfterARestart() {
        ApplicationContextRunner application = runner.withUserConfiguration(Application.class);
        StreamId stream = StreamId.named("account-1");
        List<Object> appended = List.of(new AccountEvent.MoneyDeposited("account-1", 10),
                new AccountEvent.MoneyWithdrawn("account-1", 4), new AccountClosed("account-1"));
        application.run(context -> context.getBean(EventStore.class).appendEvents(stream, 0, appended.get(0),
                appended.subList(1, 3).toArray()));

        application.run(context -> {
            assertThat(context.getBean(EventTypeRegistry.class).isRegistered(AccountClosed.class)).isFalse();
            assertThat(events(context.getBean(EventStore.class), stream)).containsExactlyElementsOf(appended);
        });
        assertThat(warnings).isEmpty();
    }

    @Test
    void eventTypeClassOutsideTheApplicationsPackagesLoadsAfterARestartWhenItsPackageIsConfigured() {
        ApplicationContextRunner application = runner.withUserConfiguration(Application.class)
                .withPropertyValues("event-store.event-types.packages=" + SHARED_PACKAGE);
        StreamId stream = StreamId.named("card-1");
        application.run(context -> context.getBean(EventStore.class).appendEvents(stream, 0, new CardIssued("c-1"),
                new CardBlocked("c-1")));

        application.run(context -> {
            assertThat(context.getBean(EventTypeRegistry.class).isRegistered(CardIssued.class)).isTrue();
            assertThat(events(context.getBean(EventStore.class), stream))
                    .containsExactly(new CardIssued("c-1"), new CardBlocked("c-1"));
        });
        assertThat(warnings).isEmpty();
    }

    @Test
    void appendingAnEventClassOutsideTheScannedPackagesWarnsOnceWhatToDo() {
        runner.withUserConfiguration(Application.class).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            store.appendEvents(StreamId.named("card-1"), 0, new CardIssued("c-1"), new CardBlocked("c-1"));
            store.appendEvents(StreamId.named("card-2"), 0, new CardIssued("c-2"), new CardBlocked("c-2"));
            store.appendEvents(StreamId.named("account-1"), 0, new AccountClosed("account-1"));
        });

        assertThat(messages()).satisfiesExactly(
                annotated -> assertThat(annotated).contains(CardIssued.class.getName(), "'cards.CardIssued'",
                        "add " + SHARED_PACKAGE + " to the property 'event-store.event-types.packages'"),
                unannotated -> assertThat(unannotated).contains(CardBlocked.class.getName(), "'CardBlocked'",
                        "annotate it with @EventType(\"CardBlocked\")",
                        "add its package " + SHARED_PACKAGE + " to the property 'event-store.event-types.packages'"));
    }

    @Test
    void ambiguousSimpleNameIsAnUnknownEventTypeNamingTheCandidates() {
        ApplicationContextRunner application = runner.withUserConfiguration(ApplicationWithTwoLimitRaisedClasses.class);
        StreamId stream = StreamId.named("limits");
        application.run(context -> context.getBean(EventStore.class).appendEvents(stream, 0, new LimitRaised(100)));
        String other = "dev.eventsourcery.eventstore.autoconfigure.eventtypes.ambiguous.second.LimitRaised";
        assertThat(messages()).singleElement().asString().contains(LimitRaised.class.getName(),
                "same simple name [" + other + "]", "annotate it with @EventType(\"LimitRaised\")");

        application.run(context -> assertThatThrownBy(() -> context.getBean(EventStore.class).loadStream(stream))
                .isInstanceOf(UnknownEventTypeException.class)
                .hasMessageContaining("'LimitRaised' in stream " + stream)
                .hasMessageContaining(LimitRaised.class.getName() + ", " + other)
                .hasMessageContaining("@EventType(\"LimitRaised\")"));
    }

    @Test
    void twoEventTypeClassesWithOneNameInTheScannedPackagesFailTheStart() {
        runner.withUserConfiguration(Application.class)
                .withPropertyValues("event-store.event-types.packages="
                        + "dev.eventsourcery.eventstore.autoconfigure.eventtypes.duplicate")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .isInstanceOf(DuplicateEventTypeException.class).hasMessageContaining("'claimed.Twice'"));
    }

    @Test
    void eventClassesAreLoadedWithTheApplicationsClassLoader() {
        ApplicationContextRunner application = runner.withUserConfiguration(ReloadedApplication.class);
        StreamId annotated = StreamId.named("reloaded-annotated");
        StreamId plain = StreamId.named("reloaded-plain");
        application.run(context -> {
            EventStore store = context.getBean(EventStore.class);
            store.appendEvents(annotated, 0, new ReloadedAnnotated("registered at start-up"));
            store.appendEvents(plain, 0, new ReloadedPlain("found by simple name"));
        });

        // as under Spring Boot devtools, the application's classes come from a class loader of their own
        ClassLoader restartClassLoader = new ChildFirstClassLoader(getClass().getClassLoader(),
                ReloadedPlain.class.getPackageName());
        application.withClassLoader(restartClassLoader).run(context -> {
            EventStore store = context.getBean(EventStore.class);
            for (StreamId stream : List.of(annotated, plain)) {
                Object event = events(store, stream).get(0);
                assertThat(event.getClass().getClassLoader()).isSameAs(restartClassLoader);
                assertThat(event).hasToString(stream == annotated ? "ReloadedAnnotated[note=registered at start-up]"
                        : "ReloadedPlain[note=found by simple name]");
            }
        });
    }

    private List<String> messages() {
        return warnings.stream().map(LogRecord::getMessage).toList();
    }

    private static String[] oneDatabaseForBothRuns() {
        String name = "restart-" + System.nanoTime();
        return new String[] {"spring.datasource.generate-unique-name=false", "spring.datasource.name=" + name,
                "spring.datasource.url=jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1",
                // Hibernate would drop the tables when the first context closes
                "spring.jpa.hibernate.ddl-auto=none"};
    }

    /** Defines the classes of one package itself, from the parent's class files, as a restart class loader does. */
    private static final class ChildFirstClassLoader extends ClassLoader {

        private final String packagePrefix;

        ChildFirstClassLoader(ClassLoader parent, String packageName) {
            super("restart", parent);
            this.packagePrefix = packageName + ".";
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(packagePrefix)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded != null) {
                    return loaded;
                }
                try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                    if (in == null) {
                        throw new ClassNotFoundException(name);
                    }
                    byte[] bytes = in.readAllBytes();
                    return defineClass(name, bytes, 0, bytes.length);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
        }
    }

    private static List<Object> events(EventStore store, StreamId stream) {
        return store.loadStream(stream).stream().<Object>map(WrappedEvent::event).toList();
    }
}
