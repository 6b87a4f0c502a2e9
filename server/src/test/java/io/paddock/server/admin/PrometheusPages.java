package io.paddock.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test helpers: scrape a metrics page, check it is valid Prometheus text, read its samples. */
final class PrometheusPages {
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (-?[0-9.eE+-]+|NaN|[+-]Inf)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Debian's prometheus package; .ci/run installs it. */
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    private PrometheusPages() {
    }

    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Scrapes {@code /metrics}, checks the answer, and returns the samples by name (with labels). */
    static Map<String, Double> scrape(int port) throws IOException, InterruptedException {
        HttpResponse<String> resp = get(port, "/metrics");
        assertEquals(200, resp.statusCode(), resp.body());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", resp.headers().firstValue("Content-Type").orElse(""));
        return parse(resp.body());
    }

    /**
     * Parses the page strictly: every sample belongs to a family declared by HELP and TYPE before
     * it, no family is declared twice, no sample repeats.
     */
    static Map<String, Double> parse(String page) {
        Map<String, Double> samples = new HashMap<>();
        Map<String, String> types = new HashMap<>();
        Set<String> helped = new HashSet<>();
        for (String line : page.split("\n")) {
            if (line.startsWith("# HELP ")) {
                assertTrue(helped.add(line.split(" ")[2]), "family described twice: " + line);
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                assertTrue(helped.contains(parts[2]), "TYPE before HELP: " + line);
                assertTrue(Set.of("gauge", "counter", "summary", "untyped", "histogram").contains(parts[3]), line);
                assertEquals(null, types.put(parts[2], parts[3]), "family typed twice: " + line);
            } else if (!line.isEmpty()) {
                Matcher m = SAMPLE.matcher(line);
                assertTrue(m.matches(), "not a sample line: " + line);
                String name = m.group(1);
                String family = name.replaceAll("_(count|sum)$", "");
                assertTrue(types.containsKey(name) || types.containsKey(family), "sample of no family: " + line);
                String key = name + (m.group(2) == null ? "" : m.group(2));
                assertEquals(null, samples.put(key, Double.parseDouble(m.group(3).replace("Inf", "Infinity"))),
                        "sample repeated: " + line);
            }
        }
        return samples;
    }

    /** Runs {@code promtool check metrics} on the page when promtool is installed; true if it ran. */
    static boolean promtoolAccepts(String page) throws IOException, InterruptedException {
        if (!Files.isExecutable(PROMTOOL)) {
            // CI installs it and says so; elsewhere the page's own parse above is the check.
            if (System.getenv("PADDOCK_REQUIRE_PROMTOOL") != null) {
                fail(PROMTOOL + " is required (PADDOCK_REQUIRE_PROMTOOL is set) but missing");
            }
            return false;
        }
        Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
        try {
            p.getOutputStream().write(page.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                fail("promtool did not finish");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            // promtool exits 1 for a page it cannot parse, 3 for style advice only. The advice allowed
            // is about Apache's names (counters without "_total", gauges ending in "_count"), which
            // its users' dashboards depend on.
            assertTrue(p.exitValue() == 0 || p.exitValue() == 3, "promtool check metrics: " + out);
            for (String line : out.split("\n")) {
                assertTrue(line.isBlank() || line.endsWith(" counter metrics should have \"_total\" suffix")
                        || line.endsWith(" non-histogram and non-summary metrics should not have \"_count\" suffix"),
                        "promtool advice: " + line);
            }
            return true;
        } finally {
            p.destroyForcibly();
        }
    }
}
