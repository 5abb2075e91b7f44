package com.orderflow.local.apigw;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The REST API's resource tree: matches a request path to its resource template (e.g.
 * {@code /orders/{id}}) and path parameters, falling back to a greedy {@code /{proxy+}} as API
 * Gateway does when no explicit resource matches.
 */
public final class RouteTemplates {

    /** The template used when nothing else matches. */
    public static final String PROXY = "/{proxy+}";

    /** The orderflow API's resources. */
    public static final RouteTemplates ORDERFLOW = new RouteTemplates(
            List.of("/orders", "/orders/{id}", "/orders/{id}/history"));

    /** A matched resource and its decoded path parameters (empty when it has none). */
    public record Match(String resource, Map<String, String> pathParameters) {
    }

    private final List<String[]> templates;
    private final List<String> sources;

    public RouteTemplates(List<String> templates) {
        this.sources = List.copyOf(templates);
        this.templates = templates.stream().map(RouteTemplates::segments).toList();
    }

    /** Matches a raw (still percent-encoded) request path. Literal segments win over parameters. */
    public Match match(String rawPath) {
        String[] request = segments(rawPath);
        Match best = null;
        int bestLiterals = -1;
        for (int t = 0; t < templates.size(); t++) {
            String[] template = templates.get(t);
            if (template.length != request.length) {
                continue;
            }
            var parameters = new LinkedHashMap<String, String>();
            int literals = 0;
            boolean matches = true;
            for (int i = 0; i < template.length && matches; i++) {
                String part = template[i];
                if (part.startsWith("{") && part.endsWith("}")) {
                    String value = decode(request[i]);
                    matches = !value.isEmpty();
                    parameters.put(part.substring(1, part.length() - 1), value);
                } else {
                    matches = part.equals(request[i]);
                    literals++;
                }
            }
            if (matches && literals > bestLiterals) {
                best = new Match(sources.get(t), Map.copyOf(parameters));
                bestLiterals = literals;
            }
        }
        if (best != null) {
            return best;
        }
        String proxy = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        return new Match(PROXY, proxy.isEmpty() ? Map.of() : Map.of("proxy", decode(proxy)));
    }

    private static String[] segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }

    private static String decode(String raw) {
        // a '+' in a path is a literal plus, unlike in a query string
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
