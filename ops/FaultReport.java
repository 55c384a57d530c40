import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * ops/faults' summary of Surefire's reports: one line per scenario (test method), PASS, FAIL or SKIP with its
 * duration, then "N passed, M failed[, K skipped]". Exits 1 when a scenario failed or none ran. A single-file
 * program (java FaultReport.java DIR), so that the script needs nothing but the JDK.
 */
public class FaultReport {

    public static void main(String[] args) throws Exception {
        Path reports = Path.of(args[0]);
        List<Path> files;
        try (Stream<Path> listed = Files.exists(reports) ? Files.list(reports) : Stream.empty()) {
            files = listed.filter(file -> file.getFileName().toString().matches("TEST-.*\\.xml")).sorted().toList();
        }
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        for (Path file : files) {
            NodeList cases = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile())
                                                   .getElementsByTagName("testcase");
            for (int i = 0; i < cases.getLength(); i++) {
                Element scenario = (Element) cases.item(i);
                String outcome = outcome(scenario);
                switch (outcome) {
                    case "PASS" -> passed++;
                    case "SKIP" -> skipped++;
                    default -> failed++;
                }
                String name = scenario.getAttribute("classname").replaceFirst(".*\\.", "") + "."
                        + scenario.getAttribute("name");
                System.out.printf(Locale.ROOT, "%-4s  %-90s %7.1f s%s%n", outcome, name,
                                  Double.parseDouble(scenario.getAttribute("time")), reason(scenario));
            }
        }
        System.out.println(passed + " passed, " + failed + " failed" + (skipped > 0 ? ", " + skipped + " skipped"
                                                                                    : ""));
        System.exit(failed > 0 || passed + failed == 0 ? 1 : 0);
    }

    private static String outcome(Element scenario) {
        if (has(scenario, "failure") || has(scenario, "error")) {
            return "FAIL";
        }
        return has(scenario, "skipped") ? "SKIP" : "PASS";
    }

    /** Why it was skipped or failed: the first line of the message. */
    private static String reason(Element scenario) {
        for (String tag : List.of("failure", "error", "skipped")) {
            NodeList found = scenario.getElementsByTagName(tag);
            if (found.getLength() > 0) {
                String message = ((Element) found.item(0)).getAttribute("message").lines().findFirst().orElse("");
                return "  (" + message + ")";
            }
        }
        return "";
    }

    private static boolean has(Element scenario, String tag) {
        return scenario.getElementsByTagName(tag).getLength() > 0;
    }
}
