import java.nio.file.Path;
import java.time.Instant;
import java.util.*;
import jdk.jfr.consumer.*;

/**
 * Where the client's CPU goes in one scenario: execution samples whose stack runs through the scenario's
 * round, per contender and per layer of the top frame; and the sequencer thread's samples in the same windows.
 * Usage: java JfrScenario.java FILE.jfr ScenarioRecordName
 */
public class JfrScenario {
    public static void main(String[] args) throws Exception {
        String scenario = "Scenario$" + args[1];
        List<RecordedEvent> samples = new ArrayList<>();
        try (RecordingFile file = new RecordingFile(Path.of(args[0]))) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                String type = e.getEventType().getName();
                if (type.equals("jdk.ExecutionSample") || type.equals("jdk.NativeMethodSample")) samples.add(e);
            }
        }
        samples.sort(Comparator.comparing(RecordedEvent::getStartTime));
        // windows: runs of scenario samples separated by more than 20 s
        List<Instant[]> windows = new ArrayList<>();
        for (RecordedEvent e : samples) {
            if (!inScenario(e, scenario) || !e.getEventType().getName().equals("jdk.ExecutionSample")) continue;
            Instant t = e.getStartTime();
            if (windows.isEmpty() || t.isAfter(windows.get(windows.size() - 1)[1].plusSeconds(20))) windows.add(new Instant[] {t, t});
            else windows.get(windows.size() - 1)[1] = t;
        }
        for (Instant[] w : windows) {
            Map<String, Map<String, Integer>> byContender = new TreeMap<>();
            Map<String, Integer> sequencer = new TreeMap<>();
            boolean h2 = false;
            for (RecordedEvent e : samples) {
                Instant t = e.getStartTime();
                if (t.isBefore(w[0]) || t.isAfter(w[1])) continue;
                RecordedStackTrace st = e.getStackTrace();
                if (st == null) continue;
                for (RecordedFrame f : st.getFrames()) if (f.getMethod().getType().getName().startsWith("org.h2")) { h2 = true; break; }
                String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
                if ("event-store-log-sequencer".equals(thread)) {
                    sequencer.merge(e.getEventType().getName().equals("jdk.NativeMethodSample") ? "NATIVE-WAIT" : layer(st), 1, Integer::sum);
                    continue;
                }
                if (!inScenario(e, scenario)) continue;
                String layer = e.getEventType().getName().equals("jdk.NativeMethodSample") ? "NATIVE-WAIT" : layer(st);
                byContender.computeIfAbsent(contender(st), k -> new TreeMap<>()).merge(layer, 1, Integer::sum);
            }
            System.out.printf("%n== %s window %s .. %s (%.0f s)%s%n", args[1], w[0], w[1], (w[1].toEpochMilli() - w[0].toEpochMilli()) / 1000.0, h2 ? " [H2 frames seen]" : "");
            byContender.forEach((c, layers) -> System.out.printf("%-22s %6d samples  %s%n", c, layers.values().stream().mapToInt(Integer::intValue).sum(), layers));
            System.out.printf("%-22s %6d samples  %s%n", "sequencer thread", sequencer.values().stream().mapToInt(Integer::intValue).sum(), sequencer);
        }
    }

    static boolean inScenario(RecordedEvent e, String scenario) {
        RecordedStackTrace st = e.getStackTrace();
        if (st == null) return false;
        for (RecordedFrame f : st.getFrames()) if (f.getMethod().getType().getName().endsWith(scenario)) return true;
        return false;
    }

    static String contender(RecordedStackTrace st) {
        for (RecordedFrame f : st.getFrames()) {
            String n = f.getMethod().getType().getName();
            if (n.endsWith("EventStoreContender")) return "event store";
            if (n.endsWith("AxonContender")) return "Axon";
            if (n.endsWith("JdbcContender")) return "raw JDBC";
            if (n.endsWith("BaselineContender")) return "before";
        }
        return "other";
    }

    /** The layer of the topmost frame that is not the JDK's. */
    static String layer(RecordedStackTrace st) {
        for (RecordedFrame f : st.getFrames()) {
            String n = f.getMethod().getType().getName();
            if (n.startsWith("java.") || n.startsWith("jdk.") || n.startsWith("sun.")) continue;
            if (n.startsWith("org.postgresql")) return "pg-driver";
            if (n.startsWith("org.mariadb")) return "mariadb-driver";
            if (n.startsWith("org.h2")) return "h2-database";
            if (n.startsWith("org.hibernate")) return "hibernate";
            if (n.startsWith("org.axonframework")) return "axon";
            if (n.startsWith("tools.jackson") || n.startsWith("com.fasterxml")) return "jackson";
            if (n.startsWith("com.zaxxer")) return "hikari";
            if (n.startsWith("org.springframework")) return "spring";
            if (n.startsWith("dev.eventsourcery.eventstore.benchmarks")) return "benchmark";
            if (n.startsWith("dev.eventsourcery")) return "event-store";
            return "other:" + n.substring(0, Math.min(n.length(), 30));
        }
        return "jdk";
    }
}
