package com.orderflow.api.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Which browser origins may call the API and what they may send and read: the allowed origins are a setting, the
 * rest is {@value #RESOURCE}, the file the local front end and the CDK app read too. A preflight is answered the way
 * API Gateway's OPTIONS method answers it: 204, the resource's methods, the allowed headers, the max age,
 * {@code Vary: Origin}, and {@code Access-Control-Allow-Origin} only for an allowed origin.
 */
public record CorsPolicy(List<OriginPattern> origins, Map<String, List<String>> allowMethods,
                         List<String> allowHeaders, List<String> exposeHeaders, int maxAgeSeconds) {

    /** Where the policy lives, on the function's class path and in the source tree for the CDK app. */
    public static final String RESOURCE = "/com/orderflow/api/http/cors.properties";

    /** No origin allowed: the API adds no CORS header and the front end answers no preflight. */
    public static final CorsPolicy OFF = new CorsPolicy(List.of(), Map.of(), List.of(), List.of(), 0);

    public CorsPolicy {
        origins = List.copyOf(origins);
        allowMethods = Map.copyOf(allowMethods);
        allowHeaders = List.copyOf(allowHeaders);
        exposeHeaders = List.copyOf(exposeHeaders);
    }

    /**
     * One allowed origin: {@code *} (any), or {@code scheme://host} with an optional {@code :port} or {@code :*} (any
     * port, as {@code http://localhost:*}). Nothing else is accepted, so a pattern can go into a mapping template as is.
     */
    public record OriginPattern(String text) {

        private static final Pattern SHAPE = Pattern.compile("^\\*$|^https?://[a-z0-9.-]+(:([0-9]{1,5}|\\*))?$");

        public OriginPattern {
            if (text == null || !SHAPE.matcher(text).matches()) {
                throw new IllegalArgumentException("'" + text + "' is not an origin: use *, or scheme://host with an"
                        + " optional :port or :* in lower case, e.g. http://localhost:* or https://shop.example.com");
            }
        }

        /** The Java regular expression an origin must match, the one the CDK app writes into API Gateway too. */
        public String regex() {
            if (text.equals("*")) {
                return ".*";
            }
            var base = text.endsWith(":*") ? text.substring(0, text.length() - 2) : text;
            var quoted = base.replace(".", "[.]");
            return "^" + quoted + (text.endsWith(":*") ? "(:[0-9]{1,5})?" : "") + "$";
        }

        boolean matches(String origin) {
            return Pattern.matches(regex(), origin);
        }
    }

    /** {@code commaSeparated} origins with the rest of the policy from {@value #RESOURCE}; none, or {@code off}, is {@link #OFF}. */
    public static CorsPolicy load(String commaSeparated) {
        var origins = parseOrigins(commaSeparated);
        if (origins.isEmpty()) {
            return OFF;
        }
        var file = new Properties();
        try (InputStream in = CorsPolicy.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the build");
            }
            file.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + RESOURCE, e);
        }
        var methods = new LinkedHashMap<String, List<String>>();
        file.stringPropertyNames().stream().filter(name -> name.startsWith("allowMethods."))
                .forEach(name -> methods.put(name.substring("allowMethods.".length()), list(file.getProperty(name))));
        return new CorsPolicy(origins, methods, list(file.getProperty("allowHeaders")),
                list(file.getProperty("exposeHeaders")), Integer.parseInt(file.getProperty("maxAgeSeconds").strip()));
    }

    /** The origins of a setting's value; blank or {@code off} means none. */
    public static List<OriginPattern> parseOrigins(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank() || commaSeparated.strip().equalsIgnoreCase("off")) {
            return List.of();
        }
        var origins = new ArrayList<OriginPattern>();
        for (var part : commaSeparated.split(",")) {
            if (!part.isBlank()) {
                origins.add(new OriginPattern(part.strip()));
            }
        }
        if (origins.size() > 1 && origins.stream().anyMatch(o -> o.text().equals("*"))) {
            throw new IllegalArgumentException("* allows every origin; it cannot be listed with others");
        }
        return origins;
    }

    public boolean enabled() {
        return !origins.isEmpty();
    }

    /** The setting's value this policy came from, as a user would write it. */
    public String originsSetting() {
        return enabled() ? String.join(",", origins.stream().map(OriginPattern::text).toList()) : "off";
    }

    /** What {@code Access-Control-Allow-Origin} says to a request from {@code origin}; empty when not allowed. */
    public Optional<String> allowOrigin(String origin) {
        if (!enabled() || origin == null) {
            return Optional.empty();
        }
        if (origins.getFirst().text().equals("*")) {
            return Optional.of("*");
        }
        return origins.stream().anyMatch(o -> o.matches(origin)) ? Optional.of(origin) : Optional.empty();
    }

    /** The headers on an answer to a request from {@code origin} (null when it sent none). */
    public Map<String, String> responseHeaders(String origin) {
        var headers = new LinkedHashMap<String, String>();
        if (!enabled()) {
            return headers;
        }
        varyOnOrigin(headers);
        allowOrigin(origin).ifPresent(allowed -> {
            headers.put("Access-Control-Allow-Origin", allowed);
            headers.put("Access-Control-Expose-Headers", String.join(",", exposeHeaders));
        });
        return headers;
    }

    /** Whether a preflight of {@code resource} is answered here (the policy is on and knows the resource). */
    public boolean answersPreflight(String resource) {
        return enabled() && allowMethods.containsKey(resource);
    }

    /** The headers of the 204 answer to a preflight of {@code resource} from {@code origin}. */
    public Map<String, String> preflightHeaders(String resource, String origin) {
        var headers = new LinkedHashMap<String, String>();
        headers.put("Access-Control-Allow-Methods", String.join(",", allowMethods.getOrDefault(resource, List.of())));
        headers.put("Access-Control-Allow-Headers", String.join(",", allowHeaders));
        headers.put("Access-Control-Max-Age", Integer.toString(maxAgeSeconds));
        varyOnOrigin(headers);
        allowOrigin(origin).ifPresent(allowed -> headers.put("Access-Control-Allow-Origin", allowed));
        return headers;
    }

    /** An answer that names one origin differs by origin, and caches must know (none is needed for {@code *}). */
    private void varyOnOrigin(Map<String, String> headers) {
        if (!origins.getFirst().text().equals("*")) {
            headers.put("Vary", "Origin");
        }
    }

    private static List<String> list(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return List.of();
        }
        return List.of(commaSeparated.strip().split("\\s*,\\s*"));
    }
}
