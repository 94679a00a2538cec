package dev.eventsourcery.eventstore.test.autoconfigure;

import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.boot.test.context.filter.annotation.StandardAnnotationCustomizableTypeExcludeFilter;
import org.springframework.util.ClassUtils;

import dev.eventsourcery.eventstore.TenantResolver;
import dev.eventsourcery.eventstore.autoconfigure.EventStoreJsonMapperBuilderCustomizer;
import tools.jackson.databind.JacksonModule;

/**
 * Filters the application's component scan for an {@link EventStoreTest}: it keeps what decides how events are
 * stored, so that the test stores them as the application does, and leaves everything else out.
 */
class EventStoreTypeExcludeFilter extends StandardAnnotationCustomizableTypeExcludeFilter<EventStoreTest> {

    private static final String JACKSON_COMPONENT = "org.springframework.boot.jackson.JacksonComponent";

    private static final Set<Class<?>> INCLUDES;

    static {
        Set<Class<?>> includes = new LinkedHashSet<>();
        includes.add(TenantResolver.class);
        includes.add(EventStoreJsonMapperBuilderCustomizer.class);
        includes.add(JacksonModule.class);
        ClassLoader classLoader = EventStoreTypeExcludeFilter.class.getClassLoader();
        if (ClassUtils.isPresent(JACKSON_COMPONENT, classLoader)) {
            includes.add(ClassUtils.resolveClassName(JACKSON_COMPONENT, classLoader));
        }
        INCLUDES = Set.copyOf(includes);
    }

    EventStoreTypeExcludeFilter(Class<?> testClass) {
        super(testClass);
    }

    @Override
    protected Set<Class<?>> getKnownIncludes() {
        return INCLUDES;
    }
}
