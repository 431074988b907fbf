package dev.compactor.support;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CloudWatch metrics in the Embedded Metric Format: one JSON document per line on stdout, which
 * Lambda ships to CloudWatch Logs and CloudWatch turns into metrics. No API call, no client, no
 * time spent on the request path beyond writing a line.
 */
public final class Metrics {
    /** One value; {@code unit} is CloudWatch's ({@code Milliseconds}, {@code Count}, {@code None}, …). */
    public record Metric(String name, Number value, String unit) {}

    private final String namespace;
    private final Clock clock;

    public Metrics(String namespace, Clock clock) {
        this.namespace = namespace;
        this.clock = clock;
    }

    /**
     * Writes {@code metrics} under each dimension set (names of {@code dimensions} keys);
     * {@code properties} travel along unaggregated, searchable in Logs Insights.
     */
    public void emit(Map<String, String> dimensions, List<List<String>> dimensionSets, List<Metric> metrics,
                     Map<String, Object> properties) {
        List<Map<String, Object>> definitions = new ArrayList<>();
        Map<String, Object> document = new LinkedHashMap<>();
        for (Metric m : metrics) {
            definitions.add(Map.of("Name", m.name(), "Unit", m.unit()));
        }
        document.put("_aws", Map.of("Timestamp", clock.millis(), "CloudWatchMetrics",
                List.of(Map.of("Namespace", namespace, "Dimensions", dimensionSets, "Metrics", definitions))));
        document.putAll(properties);
        document.putAll(dimensions);
        for (Metric m : metrics) {
            document.put(m.name(), m.value());
        }
        System.out.println(Json.write(document));
    }
}
