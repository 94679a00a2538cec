package dev.eventsourcery.eventstore.spring.projection;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.TenantId;

/**
 * A projection bean read once: its {@link Projection} settings and its handler and reset methods, and how an
 * event reaches the handler of the most specific class it is an instance of.
 */
final class ProjectionDefinition {

    /**
     * A handler method: of one event, or of a {@code List} of them ({@code batch}); taking the events or
     * {@link RecordedEvent}s of them ({@code recorded}).
     */
    private record Handler(Class<?> eventClass, boolean batch, boolean recorded, Method method) {
    }

    private final String name;
    private final Object bean;
    private final Projection settings;
    private final @Nullable Set<TenantId> tenants;
    private final List<Handler> handlers;
    private final List<Method> resets;
    private final Map<Class<?>, Optional<Handler>> byClass = new ConcurrentHashMap<>();

    private ProjectionDefinition(Object bean, Projection settings, List<Handler> handlers, List<Method> resets) {
        this.name = settings.name();
        this.bean = bean;
        this.settings = settings;
        Set<TenantId> only = new LinkedHashSet<>();
        for (String tenant : settings.tenants()) {
            only.add(tenant.isEmpty() ? TenantId.DEFAULT : TenantId.of(tenant));
        }
        this.tenants = only.isEmpty() ? null : Set.copyOf(only);
        this.handlers = handlers;
        this.resets = resets;
    }

    /**
     * Reads a projection bean.
     *
     * @throws IllegalStateException when it has no {@link Projection} annotation, no handler, or a method
     *     annotated in a way that cannot be called
     */
    static ProjectionDefinition of(Object bean) {
        Class<?> type = AopUtils.getTargetClass(bean);
        Projection settings = AnnotatedElementUtils.findMergedAnnotation(type, Projection.class);
        if (settings == null) {
            throw new IllegalStateException("Bean class " + type.getName() + " is not annotated @Projection");
        }
        return of(bean, settings);
    }

    /**
     * Reads a projection declared in code: a bean's handler and reset methods, run with the given settings
     * instead of an annotation on its class.
     *
     * @throws IllegalStateException when it has no handler, or a method annotated in a way that cannot be called
     */
    static ProjectionDefinition of(ProjectionDeclaration declaration) {
        return of(declaration.bean(), declaration.settings());
    }

    private static ProjectionDefinition of(Object bean, Projection settings) {
        Class<?> type = AopUtils.getTargetClass(bean);
        if (settings.name().isBlank() || settings.name().length() > 255) {
            throw new IllegalStateException("Projection " + type.getName() + " needs a name of 1 to 255 characters, "
                    + "got '" + settings.name() + "'");
        }
        List<Handler> handlers = new ArrayList<>();
        MethodIntrospector.selectMethods(type, (ReflectionUtils.MethodFilter) method ->
                AnnotatedElementUtils.hasAnnotation(method, ProjectionHandler.class)).forEach(method -> {
            if (method.getParameterCount() != 1 || Modifier.isStatic(method.getModifiers())) {
                throw new IllegalStateException("Projection handler " + method + " must be an instance method taking "
                        + "one parameter: an event, a RecordedEvent of one, or a List of either");
            }
            Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
            ReflectionUtils.makeAccessible(invocable);
            ResolvableType parameter = ResolvableType.forMethodParameter(method, 0);
            boolean batch = parameter.resolve() == List.class;
            ResolvableType taken = batch ? parameter.getGeneric(0) : parameter;
            if (batch && taken.resolve() == null) {
                throw new IllegalStateException("Projection handler " + method + " takes a List of no declared "
                        + "class: declare List<E> or List<RecordedEvent<E>>");
            }
            if (taken.resolve() == RecordedEvent.class) {
                handlers.add(new Handler(taken.getGeneric(0).resolve(Object.class), batch, true, invocable));
            } else {
                handlers.add(new Handler(taken.resolve(Object.class), batch, false, invocable));
            }
        });
        if (handlers.isEmpty()) {
            throw new IllegalStateException("Projection '" + settings.name() + "' (" + type.getName()
                    + ") has no @ProjectionHandler method");
        }
        List<Method> resets = new ArrayList<>();
        MethodIntrospector.selectMethods(type, (ReflectionUtils.MethodFilter) method ->
                AnnotatedElementUtils.hasAnnotation(method, ProjectionReset.class)).forEach(method -> {
            if (method.getParameterCount() > 1 || method.getParameterCount() == 1
                    && method.getParameterTypes()[0] != Position.class) {
                throw new IllegalStateException("Projection reset method " + method + " must take no parameter or "
                        + "a Position");
            }
            Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
            ReflectionUtils.makeAccessible(invocable);
            resets.add(invocable);
        });
        handlers.sort(Comparator.comparing((Handler handler) -> handler.method().toGenericString()));
        return new ProjectionDefinition(bean, settings, List.copyOf(handlers), List.copyOf(resets));
    }

    String name() {
        return name;
    }

    /** The projection bean's class, behind any proxy. */
    Class<?> beanClass() {
        return AopUtils.getTargetClass(bean);
    }

    Projection settings() {
        return settings;
    }

    /** The category to read, {@code null} for every stream. */
    @Nullable String category() {
        return settings.category().isEmpty() ? null : settings.category();
    }

    /**
     * The event classes to read from the log, {@code null} for all of them: when every handler takes a
     * concrete class, only those classes; a handler of an interface or abstract class may take any event.
     */
    Class<?> @Nullable [] eventClasses() {
        Set<Class<?>> classes = new LinkedHashSet<>();
        for (Handler handler : handlers) {
            Class<?> type = handler.eventClass();
            if (type.isInterface() || Modifier.isAbstract(type.getModifiers()) || type == Object.class) {
                return null;
            }
            classes.add(type);
        }
        return classes.toArray(Class<?>[]::new);
    }

    /** Whether the projection takes events of this tenant. */
    boolean takes(TenantId tenantId) {
        return tenants == null || tenants.contains(tenantId);
    }

    /**
     * Hands events, in their order, to their handlers; an event of another tenant or that no handler takes is
     * skipped. A handler of a {@code List} takes each run of consecutive events that go to it in one call.
     *
     * @throws RuntimeException what a handler throws (checked exceptions wrapped in
     *     {@link UndeclaredThrowableException})
     */
    void handle(List<? extends RecordedEvent<?>> events) {
        handle(events, () -> {
        });
    }

    /**
     * Hands events to their handlers as {@link #handle(List)} does, running {@code beforeEachCall} before each
     * call of a handler: what it throws stops the batch there.
     */
    void handle(List<? extends RecordedEvent<?>> events, Runnable beforeEachCall) {
        Handler collecting = null;
        List<Object> collected = new ArrayList<>();
        for (RecordedEvent<?> event : events) {
            if (!takes(event.tenantId())) {
                continue;
            }
            Handler handler = byClass.computeIfAbsent(event.event().getClass(), this::handlerOf).orElse(null);
            if (handler == null) {
                continue;
            }
            if (collecting != null && handler != collecting) {
                beforeEachCall.run();
                invoke(collecting.method(), List.copyOf(collected));
                collected.clear();
                collecting = null;
            }
            Object argument = handler.recorded() ? event : event.event();
            if (handler.batch()) {
                collecting = handler;
                collected.add(argument);
            } else {
                beforeEachCall.run();
                invoke(handler.method(), argument);
            }
        }
        if (collecting != null) {
            beforeEachCall.run();
            invoke(collecting.method(), List.copyOf(collected));
        }
    }

    /** Runs the reset methods. */
    void reset(Position position) {
        for (Method reset : resets) {
            if (reset.getParameterCount() == 0) {
                invoke(reset);
            } else {
                invoke(reset, position);
            }
        }
    }

    private Optional<Handler> handlerOf(Class<?> eventClass) {
        Handler best = null;
        for (Handler handler : handlers) {
            if (handler.eventClass().isAssignableFrom(eventClass)
                    && (best == null || best.eventClass().isAssignableFrom(handler.eventClass()))) {
                best = handler;
            }
        }
        return Optional.ofNullable(best);
    }

    private void invoke(Method method, Object... arguments) {
        try {
            method.invoke(bean, arguments);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new UndeclaredThrowableException(cause, "Projection '" + name + "' failed in " + method.getName());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Projection '" + name + "' cannot call " + method, e);
        }
    }
}
