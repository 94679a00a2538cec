package dev.eventsourcery.eventstore.autoconfigure;

import java.util.List;

import dev.eventsourcery.eventstore.spring.projection.ProjectionObserver;

/** The application's {@link ProjectionObserver} beans as one: each batch runs inside all of them, in order. */
final class ProjectionObservers implements ProjectionObserver {

    private final List<ProjectionObserver> observers;

    private ProjectionObservers(List<ProjectionObserver> observers) {
        this.observers = observers;
    }

    static ProjectionObserver of(List<ProjectionObserver> observers) {
        return switch (observers.size()) {
            case 0 -> ProjectionObserver.NONE;
            case 1 -> observers.get(0);
            default -> new ProjectionObservers(List.copyOf(observers));
        };
    }

    @Override
    public void batch(String projection, int events, Runnable work) {
        Runnable nested = work;
        for (int i = observers.size() - 1; i >= 0; i--) {
            ProjectionObserver observer = observers.get(i);
            Runnable inner = nested;
            nested = () -> observer.batch(projection, events, inner);
        }
        nested.run();
    }

    @Override
    public void batchHandled(String projection, int events, long nanos) {
        observers.forEach(observer -> observer.batchHandled(projection, events, nanos));
    }

    @Override
    public void failed(String projection) {
        observers.forEach(observer -> observer.failed(projection));
    }
}
