package dev.eventsourcery.eventstore.spring.projection;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Where a projection stands.
 *
 * @param name its name
 * @param state its state
 * @param checkpoint the position of the last event it handled or skipped ({@code 0}: none yet)
 * @param head the log's newest position when asked
 * @param lag how many positions of the log lie after its checkpoint (an upper bound of the events it still
 *     has to look at: filtered-out events count too until it moves past them)
 * @param timeLag how long the oldest event it has not handled has been in the log; zero when caught up
 * @param owner the instance holding its lease, {@code null} when none does
 * @param error why it stopped, when {@link ProjectionState#FAILED}
 * @param errorPosition the position of the event it stopped on, when {@link ProjectionState#FAILED}
 * @param deadLetters how many dead letters it has
 */
public record ProjectionStatus(String name, ProjectionState state, long checkpoint, long head, long lag,
        Duration timeLag, @Nullable String owner, @Nullable String error, @Nullable Long errorPosition,
        long deadLetters) {
}
