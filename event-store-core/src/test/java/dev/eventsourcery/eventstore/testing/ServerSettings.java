package dev.eventsourcery.eventstore.testing;

import java.util.List;

/**
 * Where a database server is and whom to log in as. The URL names the server and an existing database to
 * administer it from (the tests never work in that database); the variables are the environment variables
 * the settings were read from, for messages that say how to point the tests elsewhere.
 */
public record ServerSettings(String url, String user, String password, List<String> variables) {

    /**
     * Reads the URL, user and password from the named environment variables, each falling back to its
     * default (the password to empty) when the variable is unset.
     */
    public static ServerSettings fromEnvironment(String urlVariable, String userVariable, String passwordVariable,
            String defaultUrl, String defaultUser) {
        return new ServerSettings(env(urlVariable, defaultUrl), env(userVariable, defaultUser),
                env(passwordVariable, ""), List.of(urlVariable, userVariable, passwordVariable));
    }

    /** The platform the URL's scheme names. */
    ServerPlatform platform() {
        return ServerPlatform.of(url);
    }

    /**
     * The URL of another database on the same server, with the same parameters: only the path after
     * {@code //host[:port]/} changes.
     */
    public String urlOf(String database) {
        int hosts = url.indexOf("//");
        if (hosts < 0) {
            throw new IllegalArgumentException(
                    "Expected a URL of the form jdbc:<platform>://host[:port]/database[?parameters], got " + url);
        }
        int parameters = firstOf(url, hosts + 2, '?', ';');
        int path = url.indexOf('/', hosts + 2);
        if (path < 0 || path > parameters) {
            return url.substring(0, parameters) + "/" + database + url.substring(parameters);
        }
        return url.substring(0, path + 1) + database + url.substring(parameters);
    }

    private static int firstOf(String text, int from, char... candidates) {
        int first = text.length();
        for (char candidate : candidates) {
            int index = text.indexOf(candidate, from);
            if (index >= 0 && index < first) {
                first = index;
            }
        }
        return first;
    }

    private static String env(String variable, String fallback) {
        String value = System.getenv(variable);
        return value == null ? fallback : value;
    }
}
