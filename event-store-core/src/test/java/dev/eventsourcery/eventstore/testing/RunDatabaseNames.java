package dev.eventsourcery.eventstore.testing;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The naming scheme of the test runs' own databases, {@code es_test_<yyyyMMddHHmmss>_<8 hex digits>} with
 * the creation time in UTC: a later run tells a crashed run's leftovers from a concurrent run's database
 * by that time alone, since it cannot ask the other run.
 */
final class RunDatabaseNames {

    /** Older than this, a run's database is taken for a crashed run's leftover: no test run lasts a day. */
    static final Duration LEFTOVER_AGE = Duration.ofHours(24);

    private static final String PREFIX = "es_test_";
    private static final Pattern NAME = Pattern.compile(PREFIX + "(\\d{14})_[0-9a-f]{8}");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final SecureRandom RANDOM = new SecureRandom();

    private RunDatabaseNames() {
    }

    /** A new name for a database created at {@code now}; the random part keeps runs started in one second apart. */
    static String newName(Instant now) {
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        return PREFIX + TIME.format(now.atOffset(ZoneOffset.UTC)) + "_" + HexFormat.of().formatHex(random);
    }

    /** Whether a database is of this scheme and was created more than {@link #LEFTOVER_AGE} before {@code now}. */
    static boolean isLeftover(String database, Instant now) {
        Matcher matcher = NAME.matcher(database);
        if (!matcher.matches()) {
            return false;
        }
        try {
            Instant created = LocalDateTime.parse(matcher.group(1), TIME).toInstant(ZoneOffset.UTC);
            return created.isBefore(now.minus(LEFTOVER_AGE));
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
