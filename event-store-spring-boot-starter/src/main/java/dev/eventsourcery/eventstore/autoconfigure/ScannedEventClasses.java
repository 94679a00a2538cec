package dev.eventsourcery.eventstore.autoconfigure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.Environment;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.type.ClassMetadata;
import org.springframework.util.ClassUtils;

import dev.eventsourcery.eventstore.EventType;
import dev.eventsourcery.eventstore.serialization.EventClassLookup;

/**
 * The classes of the packages scanned for event types, read from their class files without loading
 * them: the {@link EventType @EventType} classes, which the registry registers at start-up, and the others
 * by simple name, so that a stored type name no class is registered for finds the class it was the
 * simple name of. Classes are loaded with the application's class loader.
 */
final class ScannedEventClasses implements EventClassLookup {

    static final String PACKAGES_PROPERTY = "event-store.event-types.packages";

    private final List<String> packages;
    private final @Nullable ClassLoader classLoader;
    private final Set<String> annotated;
    private final Map<String, SortedSet<String>> othersBySimpleName;

    private ScannedEventClasses(List<String> packages, @Nullable ClassLoader classLoader, Set<String> annotated,
            Map<String, SortedSet<String>> othersBySimpleName) {
        this.packages = packages;
        this.classLoader = classLoader;
        this.annotated = annotated;
        this.othersBySimpleName = othersBySimpleName;
    }

    /**
     * Reads the classes of the given packages and their sub-packages through {@code classLoader} (the
     * default class loader when null).
     */
    static ScannedEventClasses scan(List<String> packages, @Nullable ClassLoader classLoader,
            Environment environment) {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false,
                environment);
        scanner.setResourceLoader(new DefaultResourceLoader(classLoader));
        scanner.addIncludeFilter((reader, readers) -> true);
        Set<String> annotated = new TreeSet<>();
        Map<String, SortedSet<String>> othersBySimpleName = new TreeMap<>();
        for (String basePackage : packages) {
            for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
                var metadata = ((AnnotatedBeanDefinition) candidate).getMetadata();
                if (metadata.hasAnnotation(EventType.class.getName())) {
                    annotated.add(metadata.getClassName());
                    continue;
                }
                String simpleName = simpleName(metadata);
                if (simpleName != null) {
                    othersBySimpleName.computeIfAbsent(simpleName, name -> new TreeSet<>()).add(metadata.getClassName());
                }
            }
        }
        return new ScannedEventClasses(List.copyOf(packages), classLoader, Collections.unmodifiableSet(annotated),
                Collections.unmodifiableMap(othersBySimpleName));
    }

    /**
     * The simple name {@link Class#getSimpleName()} would give, or null for classes that have none to store
     * events under (anonymous and local classes, whose binary names are all the class file tells).
     */
    private static @Nullable String simpleName(ClassMetadata metadata) {
        String className = metadata.getClassName();
        String enclosing = metadata.getEnclosingClassName();
        if (enclosing != null) {
            return className.substring(enclosing.length() + 1);
        }
        String shortName = className.substring(className.lastIndexOf('.') + 1);
        return shortName.indexOf('$') < 0 ? shortName : null;
    }

    /** The {@code @EventType} classes, loaded. */
    List<Class<?>> annotatedClasses() {
        List<Class<?>> classes = new ArrayList<>(annotated.size());
        for (String className : annotated) {
            classes.add(load(className));
        }
        return classes;
    }

    @Override
    public Result find(String typeName) {
        SortedSet<String> classNames = othersBySimpleName.get(typeName);
        if (classNames == null) {
            return new NotFound();
        }
        if (classNames.size() > 1) {
            return new Ambiguous(List.copyOf(classNames));
        }
        return new Found(load(classNames.first()));
    }

    @Override
    public Optional<String> problemAfterRestart(Class<?> type, String typeName) {
        String packageName = type.getPackageName();
        if (type.isAnnotationPresent(EventType.class)) {
            return annotated.contains(type.getName()) ? Optional.empty()
                    : Optional.of("it is annotated with @EventType, but its package " + packageName + " is not among "
                            + "the packages scanned for event types " + packages + "; add " + packageName
                            + " to the property '" + PACKAGES_PROPERTY + "'");
        }
        Set<String> sameName = othersBySimpleName.getOrDefault(typeName, Collections.emptySortedSet());
        if (!sameName.contains(type.getName())) {
            return Optional.of("it is not annotated with @EventType, and the packages scanned for event types "
                    + packages + " do not hold it; annotate it with @EventType(\"" + typeName + "\") and add its "
                    + "package " + packageName + " to the property '" + PACKAGES_PROPERTY + "'");
        }
        if (sameName.size() > 1) {
            List<String> others = sameName.stream().filter(name -> !name.equals(type.getName())).toList();
            return Optional.of("other classes in the packages scanned for event types have the same simple name "
                    + others + "; annotate it with @EventType(\"" + typeName + "\") to keep that name for it alone");
        }
        return Optional.empty();
    }

    private Class<?> load(String className) {
        try {
            return ClassUtils.forName(className, classLoader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("Cannot load event class " + className + ": " + e, e);
        }
    }
}
