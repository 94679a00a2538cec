package dev.eventsourcery.eventstore.test;

/** The events the assertions' tests store. */
final class Events {

    private Events() {
    }

    record AccountOpened(String owner) {
    }

    record MoneyDeposited(long amount) {
    }

    record MoneyWithdrawn(long amount) {
    }

    record AccountState(long balance) {
    }

    /** An event whose string form says nothing of its class, and that has no {@code equals} of its own. */
    static final class Note {

        private final String text;

        Note(String text) {
            this.text = text;
        }

        public String getText() {
            return text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** A class of the same simple name as a stored one, never stored itself. */
    static final class Other {

        private Other() {
        }

        record MoneyDeposited(long amount) {
        }
    }
}
