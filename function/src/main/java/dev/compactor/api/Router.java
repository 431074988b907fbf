package dev.compactor.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dispatches by HTTP method and API Gateway resource template. Events without a resource (a
 * hand-written event, say) are matched on their path instead, with the path parameters filled in.
 */
final class Router {
    private record Entry(String method, String resource, Pattern pattern, List<String> params, Route route) {}

    private final List<Entry> entries = new ArrayList<>();

    Router add(String method, String resource, Route route) {
        List<String> params = new ArrayList<>();
        Matcher m = Pattern.compile("\\{([^}]+)}").matcher(resource);
        StringBuilder regex = new StringBuilder("^");
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(resource.substring(last, m.start()))).append("([^/]+)");
            params.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(resource.substring(last))).append("/?$");
        entries.add(new Entry(method, resource, Pattern.compile(regex.toString()), params, route));
        return this;
    }

    /** Every route added, in order. */
    List<ApiHandler.ServedRoute> routes() {
        return entries.stream().map(e -> new ApiHandler.ServedRoute(e.method(), e.resource())).toList();
    }

    /** The route and the request with its resource and path parameters resolved. */
    record Match(Route route, ApiRequest request) {}

    Match match(ApiRequest request) {
        boolean pathKnown = false;
        for (Entry e : entries) {
            if (request.resource() != null && !request.resource().equals(e.resource())) {
                continue;
            }
            Map<String, String> params = new HashMap<>(request.pathParameters());
            if (request.resource() == null) {
                Matcher m = request.path() == null ? null : e.pattern().matcher(request.path());
                if (m == null || !m.matches()) {
                    continue;
                }
                for (int i = 0; i < e.params().size(); i++) {
                    params.put(e.params().get(i), java.net.URLDecoder.decode(m.group(i + 1), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            pathKnown = true;
            if (e.method().equals(request.method())) {
                ApiRequest resolved = new ApiRequest(request.method(), e.resource(), request.path(), params, request.query(),
                        request.headers(), request.body(), request.requestId(), request.authorizerTenant(),
                        request.requestTimeEpoch());
                return new Match(e.route(), resolved);
            }
        }
        throw pathKnown ? ApiException.detail(405, "Method Not Allowed") : ApiException.detail(404, "Not Found");
    }
}
