package com.orderflow.api.validation;

import java.io.IOException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.orderflow.api.http.ApiRequest;
import com.orderflow.api.http.FieldError;
import com.orderflow.api.http.Problem;
import com.orderflow.json.Json;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Turns a request body into a JSON tree or a 4xx problem: media type (415), presence and size (400, 413),
 * base64 and UTF-8 well-formedness, then strict JSON (nesting, number length and duplicate keys are bounded
 * by the shared mapper; trailing data is refused here).
 */
public final class JsonBody {

    /** Largest accepted body, in bytes after base64 decoding. */
    public static final int MAX_BYTES = 64 * 1024;

    private static final ObjectReader READER = Json.mapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonBody() {
    }

    /** The body of {@code request} as a JSON tree; throws a {@link com.orderflow.api.http.ProblemException} otherwise. */
    public static JsonNode read(ApiRequest request) {
        requireJsonContentType(request.header("Content-Type"));
        var bytes = bytes(request);
        try {
            var tree = READER.readTree(bytes);
            if (tree == null || tree.isMissingNode()) {
                throw Problem.invalid("The request body is empty.", List.of(FieldError.body("", "a JSON object is required"))).toException();
            }
            return tree;
        } catch (StreamConstraintsException e) {
            throw Problem.invalid("The request body exceeds a JSON limit (nesting depth " + Json.MAX_NESTING_DEPTH
                    + ", number length or string length).", List.of()).toException();
        } catch (IOException | IllegalArgumentException | ArithmeticException e) {
            // the parser's own message names offsets and internal types; the client gets a stable one
            throw Problem.invalid("The request body is not well-formed JSON.", List.of()).toException();
        }
    }

    static void requireJsonContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            throw Problem.of(415, "Send the order as JSON with Content-Type: application/json.").toException();
        }
        var parts = contentType.split(";");
        var mediaType = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            throw Problem.of(415, "Only application/json is accepted.").toException();
        }
        for (int i = 1; i < parts.length; i++) {
            var parameter = parts[i].strip().toLowerCase(Locale.ROOT).replace(" ", "");
            if (parameter.startsWith("charset=") && !parameter.equals("charset=utf-8") && !parameter.equals("charset=\"utf-8\"")) {
                throw Problem.of(415, "JSON must be encoded as UTF-8.").toException();
            }
        }
    }

    private static byte[] bytes(ApiRequest request) {
        var body = request.body();
        if (body == null || body.isEmpty()) {
            throw Problem.invalid("The request body is empty.", List.of(FieldError.body("", "a JSON object is required"))).toException();
        }
        if (request.base64Encoded()) {
            // 4 base64 characters carry 3 bytes; refuse before decoding anything oversized
            if ((long) body.length() > (MAX_BYTES + 2L) / 3 * 4 + 4) {
                throw tooLarge();
            }
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw Problem.invalid("The request body is marked base64 but is not valid base64.", List.of()).toException();
            }
            if (decoded.length > MAX_BYTES) {
                throw tooLarge();
            }
            requireUtf8(decoded);
            return decoded;
        }
        if (body.length() > MAX_BYTES) {
            throw tooLarge();
        }
        byte[] encoded;
        try {
            // a String body with an unpaired surrogate cannot be UTF-8; encoding with REPORT says so instead of writing '?'
            var buffer = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(body));
            encoded = new byte[buffer.remaining()];
            buffer.get(encoded);
        } catch (CharacterCodingException e) {
            throw notUtf8();
        }
        if (encoded.length > MAX_BYTES) {
            throw tooLarge();
        }
        return encoded;
    }

    private static void requireUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw notUtf8();
        }
    }

    private static RuntimeException notUtf8() {
        return Problem.invalid("The request body is not valid UTF-8.", List.of()).toException();
    }

    private static RuntimeException tooLarge() {
        return Problem.of(413, "The request body must not exceed " + MAX_BYTES + " bytes.").toException();
    }
}
