package com.orderflow.local.s3;

import com.orderflow.local.http.Request;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An S3 request as the operations see it: the bucket and key from a path-style target ({@code /bucket/key}) or a
 * virtual-hosted one ({@code Host: bucket.localhost}), and the query parameters decoded.
 *
 * @param bucket null for the service itself (ListBuckets)
 * @param key    null for a bucket request
 */
record S3Request(Request http, String bucket, String key, Map<String, String> query) {

    static S3Request of(Request http) {
        String path = decodePath(http.rawPath());
        String host = http.headers().first("Host").orElse("").toLowerCase(Locale.ROOT);
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(']') < colon) {
            host = host.substring(0, colon);
        }
        String bucket;
        String key;
        if (host.endsWith(".localhost") && host.length() > ".localhost".length()) {
            bucket = host.substring(0, host.length() - ".localhost".length());
            key = path.length() > 1 ? path.substring(1) : null;
        } else {
            String rest = path.startsWith("/") ? path.substring(1) : path;
            int slash = rest.indexOf('/');
            bucket = rest.isEmpty() ? null : slash < 0 ? rest : rest.substring(0, slash);
            key = slash < 0 || slash == rest.length() - 1 ? null : rest.substring(slash + 1);
        }
        return new S3Request(http, bucket, key, decodeQuery(http.rawQuery()));
    }

    String method() {
        return http.method();
    }

    boolean has(String parameter) {
        return query.containsKey(parameter);
    }

    String param(String name) {
        return query.get(name);
    }

    String header(String name) {
        return http.headers().first(name).orElse(null);
    }

    private static String decodePath(String raw) {
        // in a path, + is itself; only %XX is an escape
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static Map<String, String> decodeQuery(String raw) {
        var query = new LinkedHashMap<String, String>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            query.putIfAbsent(name, value);
        }
        return query;
    }
}
