package dev.eventsourcery.eventstore.jpa;

import java.util.concurrent.TimeUnit;

/**
 * What this process knows of the log's head, and the readers waiting for it to move: the sequencer
 * moves it after numbering events, the PostgreSQL listener and the polling of other instances' events
 * when they see it moved elsewhere.
 */
final class LogHead {

    private long known;
    private int waiting;

    /** Records that the log reached {@code head}, waking the readers waiting below it. */
    synchronized void advance(long head) {
        if (head > known) {
            known = head;
            notifyAll();
        }
    }

    /**
     * Waits until the head is known to be beyond {@code head}, at most {@code nanos}. The reader counts as
     * waiting before {@code watchers} runs, so that the threads it wakes see it waiting.
     */
    void await(long head, long nanos, Runnable watchers) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        synchronized (this) {
            waiting++;
        }
        try {
            watchers.run();
            synchronized (this) {
                while (known <= head) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        return;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, remaining);
                }
            }
        } finally {
            synchronized (this) {
                waiting--;
            }
        }
    }

    /** Whether any reader is waiting for the log to move. */
    synchronized boolean watched() {
        return waiting > 0;
    }
}
