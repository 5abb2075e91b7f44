package com.orderflow.local.engine.expr;

import com.dashjoin.jsonata.Jsonata;
import com.dashjoin.jsonata.Jsonata.JFunction;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The functions Step Functions adds to JSONata ({@code $partition}, {@code $range}, {@code $hash}, {@code $random}
 * with a seed, {@code $uuid}, {@code $parse}), and {@code $eval}, which it takes away. Each failure is a JSONata
 * error the expression reports as {@code States.QueryEvaluationError}.
 */
final class AwsJsonataFunctions {

    private static final Map<String, String> HASH_ALGORITHMS = Map.of("MD5", "MD5", "SHA-1", "SHA-1",
            "SHA-256", "SHA-256", "SHA-384", "SHA-384", "SHA-512", "SHA-512");
    private static final int MAX_RANGE = 1000;

    private AwsJsonataFunctions() {
    }

    static void register(Jsonata expression) {
        expression.registerFunction("partition", new JFunction((input, args) -> partition(args), null));
        expression.registerFunction("range", new JFunction((input, args) -> range(args), null));
        expression.registerFunction("hash", new JFunction((input, args) -> hash(args), null));
        expression.registerFunction("random", new JFunction((input, args) -> random(args), null));
        expression.registerFunction("uuid", new JFunction((input, args) -> UUID.randomUUID().toString(), null));
        expression.registerFunction("parse", new JFunction((input, args) -> parse(args), null));
        expression.registerFunction("eval", new JFunction((input, args) -> {
            throw new IllegalArgumentException("The function $eval is not supported by Step Functions; use $parse");
        }, null));
    }

    private static Object partition(List<?> args) {
        List<?> array = argument(args, 0, List.class, "$partition", "an array");
        long size = number(args, 1, "$partition").longValue();
        if (size < 1) {
            throw new IllegalArgumentException("$partition: the chunk size must be a positive integer");
        }
        List<Object> chunks = new ArrayList<>();
        for (int from = 0; from < array.size(); from += (int) size) {
            chunks.add(new ArrayList<>(array.subList(from, (int) Math.min(array.size(), from + size))));
        }
        return chunks;
    }

    private static Object range(List<?> args) {
        long start = whole(args, 0, "$range");
        long end = whole(args, 1, "$range");
        long step = whole(args, 2, "$range");
        if (step == 0) {
            throw new IllegalArgumentException("$range: the step must not be 0");
        }
        List<Object> values = new ArrayList<>();
        for (long v = start; step > 0 ? v <= end : v >= end; v += step) {
            if (values.size() == MAX_RANGE) {
                throw new IllegalArgumentException("$range: at most " + MAX_RANGE + " values");
            }
            values.add(v);
        }
        // AWS's $range yields a sequence, so one value is that value, not an array of it (recorded: $range(1, 9, 9) is 1)
        return values.size() == 1 ? values.getFirst() : values;
    }

    private static Object hash(List<?> args) {
        String data = argument(args, 0, String.class, "$hash", "a string");
        String algorithm = argument(args, 1, String.class, "$hash", "a string");
        String name = HASH_ALGORITHMS.get(algorithm);
        if (name == null) {
            throw new IllegalArgumentException("$hash: the algorithm must be one of " + HASH_ALGORITHMS.keySet().stream().sorted().toList());
        }
        try {
            byte[] digest = MessageDigest.getInstance(name).digest(data.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object random(List<?> args) {
        if (args.isEmpty() || args.get(0) == null) {
            return ThreadLocalRandom.current().nextDouble();
        }
        // the same seed gives the same number, as Step Functions documents for a seeded $random
        return new Random(number(args, 0, "$random").longValue()).nextDouble();
    }

    private static Object parse(List<?> args) {
        String text = argument(args, 0, String.class, "$parse", "a string");
        try {
            return JsonataValues.toJsonata(JsonText.read(text));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("$parse: the argument is not JSON: " + e.getOriginalMessage());
        }
    }

    private static long whole(List<?> args, int index, String function) {
        Number n = number(args, index, function);
        if (n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new IllegalArgumentException(function + ": argument " + (index + 1) + " must be an integer");
        }
        return n.longValue();
    }

    private static Number number(List<?> args, int index, String function) {
        return argument(args, index, Number.class, function, "a number");
    }

    private static <T> T argument(List<?> args, int index, Class<T> type, String function, String expected) {
        Object value = index < args.size() ? args.get(index) : null;
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException(function + ": argument " + (index + 1) + " must be " + expected);
        }
        return type.cast(value);
    }
}
