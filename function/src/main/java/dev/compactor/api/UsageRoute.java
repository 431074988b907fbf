package dev.compactor.api;

import dev.compactor.conversation.UsageStore;
import dev.compactor.input.FieldError;
import dev.compactor.input.Fields;
import dev.compactor.metering.UsageViews;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/usage} (ours): the caller's own usage in one month ({@code month=YYYY-MM}, this
 * month by default, UTC): the month's totals and its calls, newest first, {@code limit} at a time
 * (at most 1000) from {@code cursor} (the last call's {@code cursor}).
 */
final class UsageRoute implements Route {
    static final long DEFAULT_LIMIT = 100;
    static final long MAX_LIMIT = 1000;
    private static final Pattern MONTH = Pattern.compile("\\d{4}-(0[1-9]|1[0-2])");
    private static final Pattern CURSOR = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z#[A-Za-z0-9-]{1,100}");
    private static final DateTimeFormatter THIS_MONTH = DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC);

    private final UsageStore usage;
    private final Clock clock;

    UsageRoute(UsageStore usage, Clock clock) {
        this.usage = usage;
        this.clock = clock;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        Fields fields = new Fields();
        QueryParams query = new QueryParams(request, fields);
        String month = matching(query.string("month"), MONTH, "month", fields);
        String cursor = matching(query.string("cursor"), CURSOR, "cursor", fields);
        long limit = query.integer("limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        fields.throwIfInvalid();
        String chosen = month == null ? THIS_MONTH.format(clock.instant()) : month;
        return ApiResponse.json(200, UsageViews.month(usage.month(context.tenant(), chosen, cursor, (int) limit)));
    }

    private static String matching(String value, Pattern pattern, String name, Fields fields) {
        if (value != null && !pattern.matcher(value).matches()) {
            fields.fail(new FieldError("string_pattern_mismatch", List.of("query", name),
                    "String should match pattern '" + pattern.pattern() + "'", value, Map.of("pattern", pattern.pattern())));
            return null;
        }
        return value;
    }
}
