/** The in-memory backend: the reference model every other backend is compared with. */
@NullMarked
package dev.eventsourcery.eventstore.storage.memory;

import org.jspecify.annotations.NullMarked;
