package dev.eventsourcery.eventstore.benchmarks;

import static java.lang.invoke.MethodType.methodType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.EntityManagerFactory;

import org.springframework.transaction.PlatformTransactionManager;

/**
 * The event store of an earlier build ("before"), beside the current one in the same run: its
 * {@code event-store-core} and {@code event-store-jpa} jars are loaded in a class loader of their own, which
 * takes the event store's classes from them and everything else (Hibernate, Spring, Jackson, this module's
 * event class) from the benchmark's class path. It is built as the current one is, on the same persistence
 * unit and transaction manager, and called through method handles, since its types are not the current
 * build's types of the same names.
 *
 * <p>It writes the current event store's tables ({@code es_stream}, {@code es_event}): a build from before
 * the log writes no pending or log rows, and its streams are its own. S6 measures it on those tables as the
 * event store's fill has grown them. In S7 it reads, with its own subscriptions, the log the current event
 * store wrote into those tables: what S7 measures is the read.
 */
final class BaselineContender implements LogReader, AutoCloseable {

    private static final String PACKAGE = "dev.eventsourcery.eventstore.";

    private final String name;
    private final EarlierBuild classes;
    private final Object store;
    private final MethodHandle streamId;
    private final MethodHandle wrap;
    private final MethodHandle append;
    private final MethodHandle loadStream;
    private final Class<?> eventStore;

    private BaselineContender(String name, EarlierBuild classes, Object store, MethodHandle streamId,
            MethodHandle wrap, MethodHandle append, MethodHandle loadStream, Class<?> eventStore) {
        this.name = name;
        this.classes = classes;
        this.store = store;
        this.streamId = streamId;
        this.wrap = wrap;
        this.append = append;
        this.loadStream = loadStream;
        this.eventStore = eventStore;
    }

    /**
     * Builds {@code StorageEventStore.builder(new JpaEventStorage(emf, transactionManager)).registry(new
     * EventTypeRegistry().register(MoneyDeposited.class)).build()} from the earlier build's classes.
     *
     * @throws IllegalArgumentException when a jar is missing or the classes are not an event store's
     */
    static BaselineContender load(Settings.Baseline baseline, PersistenceUnit unit) {
        List<URL> urls = new ArrayList<>();
        for (Path jar : baseline.jars()) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException("bench.baseline names " + jar + ", which is not a file");
            }
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException(e);
            }
        }
        EarlierBuild classes = new EarlierBuild(urls.toArray(URL[]::new), BaselineContender.class.getClassLoader());
        try {
            Class<?> eventStore = classes.loadClass(PACKAGE + "EventStore");
            Class<?> streamId = classes.loadClass(PACKAGE + "StreamId");
            Class<?> wrappedEvent = classes.loadClass(PACKAGE + "WrappedEvent");
            Class<?> storage = classes.loadClass(PACKAGE + "storage.EventStorage");
            Class<?> registry = classes.loadClass(PACKAGE + "serialization.EventTypeRegistry");
            Object jpaStorage = classes.loadClass(PACKAGE + "jpa.JpaEventStorage")
                    .getConstructor(EntityManagerFactory.class, PlatformTransactionManager.class)
                    .newInstance(unit.entityManagerFactory(), unit.transactionManager());
            Object types = registry.getConstructor().newInstance();
            registry.getMethod("register", Class[].class).invoke(types, (Object) new Class<?>[] {MoneyDeposited.class});
            Object builder = classes.loadClass(PACKAGE + "storage.StorageEventStore").getMethod("builder", storage)
                    .invoke(null, jpaStorage);
            builder.getClass().getMethod("registry", registry).invoke(builder, types);
            Object store = builder.getClass().getMethod("build").invoke(builder);
            if (store.getClass().getClassLoader() != classes) {
                throw new IllegalArgumentException("The jars hold no event store: " + store.getClass() + " came from "
                        + store.getClass().getClassLoader());
            }

            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            return new BaselineContender(baseline.name(), classes, store,
                    lookup.findStatic(streamId, "of", methodType(streamId, UUID.class))
                            .asType(methodType(Object.class, UUID.class)),
                    lookup.findStatic(wrappedEvent, "wrap", methodType(wrappedEvent, Object.class))
                            .asType(methodType(Object.class, Object.class)),
                    lookup.findVirtual(eventStore, "append", methodType(void.class, streamId, long.class, List.class))
                            .asType(methodType(void.class, Object.class, Object.class, long.class, List.class)),
                    lookup.findVirtual(eventStore, "loadStream", methodType(List.class, streamId))
                            .asType(methodType(List.class, Object.class, Object.class)), eventStore);
        } catch (ReflectiveOperationException | RuntimeException e) {
            close(classes, e);
            throw new IllegalArgumentException("Cannot build the event store of " + baseline.jars() + ": " + e, e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void append(UUID stream, long expectedVersion, List<MoneyDeposited> events) {
        try {
            List<Object> wrapped = new ArrayList<>(events.size());
            for (MoneyDeposited event : events) {
                wrapped.add((Object) wrap.invokeExact((Object) event));
            }
            Object id = (Object) streamId.invokeExact(stream);
            append.invokeExact(store, id, expectedVersion, (List<?>) wrapped);
        } catch (Throwable e) {
            throw rethrown(e);
        }
    }

    @Override
    public List<?> load(UUID stream) {
        try {
            Object id = (Object) streamId.invokeExact(stream);
            return (List<?>) loadStream.invokeExact(store, id);
        } catch (Throwable e) {
            throw rethrown(e);
        }
    }

    /** Checks that the log the current event store wrote holds {@code events} events, numbered by the earlier build. */
    @Override
    public void completeLog(int events) {
        try {
            Object position = ((Optional<?>) eventStore.getMethod("position").invoke(store)).orElse(null);
            long head = position == null ? 0 : (long) position.getClass().getMethod("value").invoke(position);
            if (head != events) {
                throw new IllegalStateException(name + " finds the log ending at position " + head + ", not " + events);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the first {@code events} events of the log with the earlier build's subscription, as S7 measures. */
    @Override
    public long readLog(int events) {
        try {
            Class<?> builderType = classes.loadClass(PACKAGE + "SubscriptionBuilder");
            Object builder = eventStore.getMethod("subscribe").invoke(store);
            builder = builderType.getMethod("inAllTenants").invoke(builder);
            try (AutoCloseable subscription = (AutoCloseable) builderType.getMethod("build").invoke(builder)) {
                MethodHandle poll = MethodHandles.publicLookup().findVirtual(classes.loadClass(PACKAGE + "Subscription"),
                        "poll", methodType(List.class, int.class, Duration.class))
                        .asType(methodType(List.class, Object.class, int.class, Duration.class));
                MethodHandle event = MethodHandles.publicLookup().findVirtual(classes.loadClass(PACKAGE
                        + "RecordedEvent"), "event", methodType(Object.class)).asType(methodType(Object.class, Object.class));
                long amounts = 0;
                int read = 0;
                while (read < events) {
                    List<?> page = (List<?>) poll.invokeExact((Object) subscription, EventStoreContender.PAGE,
                            Duration.ofSeconds(10));
                    if (page.isEmpty()) {
                        throw new IllegalStateException(name + "'s subscription ended after " + read + " of " + events
                                + " events");
                    }
                    for (Object recorded : page) {
                        amounts += ((MoneyDeposited) (Object) event.invokeExact(recorded)).amountInCents();
                    }
                    read += page.size();
                }
                return amounts;
            }
        } catch (Throwable e) {
            throw rethrown(e);
        }
    }

    /** Not called: the earlier build shares the event store's tables, which the event store's fill grows. */
    @Override
    public void fill(int streams, int eventsPerStream) {
        throw new UnsupportedOperationException(name + " shares the event store's tables; the event store fills them");
    }

    @Override
    public List<String> tables() {
        return List.of();
    }

    @Override
    public void close() {
        try {
            classes.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RuntimeException rethrown(Throwable e) {
        if (e instanceof RuntimeException runtime) {
            return runtime;
        }
        if (e instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(e);
    }

    private static void close(EarlierBuild classes, Exception failure) {
        try {
            classes.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Loads the event store's classes and resources ({@code dev.eventsourcery.eventstore.*}, but not this
     * module's {@code ….benchmarks.*}) from the earlier build's jars only, never from the parent, and
     * everything else from the parent: child-first for the event store, so that no class of the current
     * build slips in.
     */
    private static final class EarlierBuild extends URLClassLoader {

        EarlierBuild(URL[] jars, ClassLoader parent) {
            super("event-store-before", jars, parent);
        }

        @Override
        protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
            if (!ownClass(className)) {
                return super.loadClass(className, resolve);
            }
            synchronized (getClassLoadingLock(className)) {
                Class<?> loaded = findLoadedClass(className);
                if (loaded == null) {
                    loaded = findClass(className);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }

        @Override
        public URL getResource(String resource) {
            return ownClass(resource.replace('/', '.')) ? findResource(resource) : super.getResource(resource);
        }

        private static boolean ownClass(String className) {
            return className.startsWith(PACKAGE) && !className.startsWith(PACKAGE + "benchmarks.");
        }
    }
}
