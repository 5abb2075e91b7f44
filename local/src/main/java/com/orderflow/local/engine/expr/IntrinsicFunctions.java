package com.orderflow.local.engine.expr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.StringTokenizer;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** The States.* functions themselves, applied to evaluated arguments; a bad argument is an IllegalArgumentException. */
final class IntrinsicFunctions {

    static final Set<String> NAMES = Set.of(
            "States.Format", "States.StringToJson", "States.JsonToString", "States.Array", "States.ArrayPartition",
            "States.ArrayContains", "States.ArrayRange", "States.ArrayGetItem", "States.ArrayLength",
            "States.ArrayUnique", "States.Base64Encode", "States.Base64Decode", "States.Hash", "States.JsonMerge",
            "States.MathRandom", "States.MathAdd", "States.StringSplit", "States.UUID");

    private static final int MAX_STRING = 10_000;

    private IntrinsicFunctions() {
    }

    static JsonNode apply(Intrinsic.Call c, List<JsonNode> v) {
        var nodes = JsonText.NODES;
        return switch (c.name()) {
            case "States.Format" -> format(c, v);
            case "States.StringToJson" -> {
                arity(c, v, 1);
                try {
                    yield JsonText.read(string(c, v, 0));
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException("The argument is not a valid JSON string");
                }
            }
            case "States.JsonToString" -> {
                arity(c, v, 1);
                yield nodes.textNode(JsonText.write(v.get(0)));
            }
            case "States.Array" -> {
                ArrayNode out = nodes.arrayNode(v.size());
                v.forEach(out::add);
                yield out;
            }
            case "States.ArrayPartition" -> {
                arity(c, v, 2);
                ArrayNode array = array(c, v, 0);
                int size = integer(c, v, 1);
                if (size <= 0) {
                    throw new IllegalArgumentException("The chunk size must be a positive integer");
                }
                ArrayNode out = nodes.arrayNode();
                ArrayNode chunk = null;
                for (int i = 0; i < array.size(); i++) {
                    if (i % size == 0) {
                        chunk = out.addArray();
                    }
                    chunk.add(array.get(i));
                }
                yield out;
            }
            case "States.ArrayContains" -> {
                arity(c, v, 2);
                ArrayNode array = array(c, v, 0);
                boolean found = false;
                for (JsonNode item : array) {
                    if (JsonEquality.equal(item, v.get(1))) {
                        found = true;
                        break;
                    }
                }
                yield nodes.booleanNode(found);
            }
            case "States.ArrayRange" -> {
                arity(c, v, 3);
                int start = integer(c, v, 0);
                int end = integer(c, v, 1);
                int step = integer(c, v, 2);
                if (step == 0) {
                    throw new IllegalArgumentException("The step value cannot be zero");
                }
                ArrayNode out = nodes.arrayNode();
                for (long i = start; step > 0 ? i <= end : i >= end; i += step) {
                    if (out.size() == 1000) {
                        throw new IllegalArgumentException("The array cannot contain more than 1000 items");
                    }
                    out.add((int) i);
                }
                yield out;
            }
            case "States.ArrayGetItem" -> {
                arity(c, v, 2);
                ArrayNode array = array(c, v, 0);
                int index = integer(c, v, 1);
                if (index < 0 || index >= array.size()) {
                    throw new IllegalArgumentException("The index " + index + " is out of bounds for an array of length "
                            + array.size());
                }
                yield array.get(index);
            }
            case "States.ArrayLength" -> {
                arity(c, v, 1);
                yield nodes.numberNode(array(c, v, 0).size());
            }
            case "States.ArrayUnique" -> {
                arity(c, v, 1);
                ArrayNode out = nodes.arrayNode();
                List<JsonNode> seen = new ArrayList<>();
                for (JsonNode item : array(c, v, 0)) {
                    if (seen.stream().noneMatch(s -> JsonEquality.equal(s, item))) {
                        seen.add(item);
                        out.add(item);
                    }
                }
                yield out;
            }
            case "States.Base64Encode" -> {
                arity(c, v, 1);
                String s = limited(c, v, 0);
                yield nodes.textNode(Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
            }
            case "States.Base64Decode" -> {
                arity(c, v, 1);
                String s = limited(c, v, 0);
                try {
                    yield nodes.textNode(new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("The input is not a valid base64 string");
                }
            }
            case "States.Hash" -> {
                arity(c, v, 2);
                String data = v.get(0).isTextual() ? v.get(0).textValue() : JsonText.write(v.get(0));
                if (data.length() > MAX_STRING) {
                    throw new IllegalArgumentException("The input string exceeds the maximum length of " + MAX_STRING);
                }
                String algorithm = string(c, v, 1);
                if (!Set.of("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512").contains(algorithm)) {
                    throw new IllegalArgumentException("The hash algorithm '" + algorithm
                            + "' is not supported; use one of MD5, SHA-1, SHA-256, SHA-384, SHA-512");
                }
                try {
                    byte[] digest = MessageDigest.getInstance(algorithm).digest(data.getBytes(StandardCharsets.UTF_8));
                    yield nodes.textNode(HexFormat.of().formatHex(digest));
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
            case "States.JsonMerge" -> {
                arity(c, v, 3);
                if (!(v.get(0) instanceof ObjectNode a) || !(v.get(1) instanceof ObjectNode b)) {
                    throw new IllegalArgumentException("The first two arguments must be JSON objects");
                }
                if (!v.get(2).isBoolean()) {
                    throw new IllegalArgumentException("The third argument must be a boolean");
                }
                if (v.get(2).booleanValue()) {
                    throw new IllegalArgumentException("Only shallow merge is supported: the third argument must be false");
                }
                ObjectNode out = nodes.objectNode();
                out.setAll(a);
                out.setAll(b);
                yield out;
            }
            case "States.MathRandom" -> {
                if (v.size() != 2 && v.size() != 3) {
                    throw new IllegalArgumentException("The function takes 2 or 3 arguments");
                }
                int start = integer(c, v, 0);
                int end = integer(c, v, 1);
                if (end <= start) {
                    throw new IllegalArgumentException("The end value must be greater than the start value");
                }
                long span = (long) end - start;
                Random random = v.size() == 3 ? new Random(integer(c, v, 2)) : ThreadLocalRandom.current();
                yield nodes.numberNode((int) (start + (long) (random.nextDouble() * span)));
            }
            case "States.MathAdd" -> {
                arity(c, v, 2);
                long sum = (long) nearestInteger(c, v, 0) + nearestInteger(c, v, 1);
                if (sum > Integer.MAX_VALUE || sum < Integer.MIN_VALUE) {
                    throw new IllegalArgumentException("The result is out of the integer range");
                }
                yield nodes.numberNode((int) sum);
            }
            case "States.StringSplit" -> {
                arity(c, v, 2);
                var tokens = new StringTokenizer(string(c, v, 0), string(c, v, 1));
                ArrayNode out = nodes.arrayNode();
                while (tokens.hasMoreTokens()) {
                    out.add(tokens.nextToken());
                }
                yield out;
            }
            case "States.UUID" -> {
                arity(c, v, 0);
                yield nodes.textNode(UUID.randomUUID().toString());
            }
            default -> throw new IllegalArgumentException("Unknown function " + c.name());
        };
    }

    private static JsonNode format(Intrinsic.Call c, List<JsonNode> v) {
        if (v.isEmpty() || !v.get(0).isTextual()) {
            throw new IllegalArgumentException("The first argument must be a string template");
        }
        // A literal keeps its escapes so \\{ stays a literal brace; a template read from a path is used as is.
        String raw = c.args().get(0) instanceof Intrinsic.Text literal ? literal.raw() : v.get(0).textValue().replace("\\", "\\\\");
        var out = new StringBuilder();
        int next = 1;
        for (int i = 0; i < raw.length(); i++) {
            char ch = raw.charAt(i);
            if (ch == '\\' && i + 1 < raw.length()) {
                out.append(raw.charAt(++i));
            } else if (ch == '{' && i + 1 < raw.length() && raw.charAt(i + 1) == '}') {
                if (next >= v.size()) {
                    throw new IllegalArgumentException("Number of arguments in the format string does not match "
                            + "the number of arguments");
                }
                JsonNode arg = v.get(next++);
                if (arg.isContainerNode()) {
                    throw new IllegalArgumentException("Format arguments must be strings, numbers, booleans or null");
                }
                out.append(arg.isTextual() ? arg.textValue() : JsonText.write(arg));
                i++;
            } else {
                out.append(ch);
            }
        }
        if (next != v.size()) {
            throw new IllegalArgumentException("Number of arguments in the format string does not match "
                    + "the number of arguments");
        }
        return JsonText.NODES.textNode(out.toString());
    }

    private static void arity(Intrinsic.Call c, List<JsonNode> v, int n) {
        if (v.size() != n) {
            throw new IllegalArgumentException("The function " + c.name() + " takes " + n + " argument"
                    + (n == 1 ? "" : "s") + " but received " + v.size());
        }
    }

    private static String string(Intrinsic.Call c, List<JsonNode> v, int i) {
        if (!v.get(i).isTextual()) {
            throw new IllegalArgumentException("Argument " + (i + 1) + " of " + c.name() + " must be a string");
        }
        return v.get(i).textValue();
    }

    private static String limited(Intrinsic.Call c, List<JsonNode> v, int i) {
        String s = string(c, v, i);
        if (s.length() > MAX_STRING) {
            throw new IllegalArgumentException("The input string exceeds the maximum length of " + MAX_STRING);
        }
        return s;
    }

    private static ArrayNode array(Intrinsic.Call c, List<JsonNode> v, int i) {
        if (!(v.get(i) instanceof ArrayNode a)) {
            throw new IllegalArgumentException("Argument " + (i + 1) + " of " + c.name() + " must be an array");
        }
        return a;
    }

    /**
     * MathAdd's argument: AWS documents that a non-integer value is rounded off to the nearest integer (halves away
     * from zero), and an integer outside the 32-bit range is refused like any other bad argument.
     */
    private static int nearestInteger(Intrinsic.Call c, List<JsonNode> v, int i) {
        JsonNode n = v.get(i);
        if (n.isNumber()) {
            BigInteger rounded = n.decimalValue().setScale(0, java.math.RoundingMode.HALF_UP).toBigInteger();
            if (rounded.bitLength() < 32) {
                return rounded.intValue();
            }
        }
        throw new IllegalArgumentException("Argument " + (i + 1) + " of " + c.name() + " must be an integer");
    }

    private static int integer(Intrinsic.Call c, List<JsonNode> v, int i) {
        JsonNode n = v.get(i);
        if (n.isNumber()) {
            BigDecimal d = n.decimalValue();
            try {
                BigInteger exact = d.toBigIntegerExact();
                if (exact.bitLength() < 32) {
                    return exact.intValue();
                }
            } catch (ArithmeticException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("Argument " + (i + 1) + " of " + c.name() + " must be an integer");
    }
}
