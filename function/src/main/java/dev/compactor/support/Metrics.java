package dev.compactor.support;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Clock;
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
                     Map<String, ?> properties) {
        List<Definition> definitions = metrics.stream().map(m -> new Definition(m.name(), m.unit())).toList();
        Map<String, Object> document = new LinkedHashMap<>(); // EMF: the metadata, then values under names the caller chooses
        document.put("_aws", new Metadata(clock.millis(), List.of(new Directive(namespace, dimensionSets, definitions))));
        document.putAll(properties);
        document.putAll(dimensions);
        for (Metric m : metrics) {
            document.put(m.name(), m.value());
        }
        System.out.println(Json.write(document));
    }

    /** EMF's {@code _aws} object. */
    @JsonPropertyOrder({"Timestamp", "CloudWatchMetrics"})
    record Metadata(@JsonProperty("Timestamp") long timestamp, @JsonProperty("CloudWatchMetrics") List<Directive> directives) {}

    @JsonPropertyOrder({"Namespace", "Dimensions", "Metrics"})
    record Directive(@JsonProperty("Namespace") String namespace, @JsonProperty("Dimensions") List<List<String>> dimensions,
                     @JsonProperty("Metrics") List<Definition> metrics) {}

    @JsonPropertyOrder({"Name", "Unit"})
    record Definition(@JsonProperty("Name") String name, @JsonProperty("Unit") String unit) {}
}
