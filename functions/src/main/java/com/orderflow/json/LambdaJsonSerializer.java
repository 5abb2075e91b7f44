package com.orderflow.json;

import com.amazonaws.services.lambda.runtime.CustomPojoSerializer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;

/**
 * Makes the Lambda runtime map handler inputs and outputs with {@link Json#mapper()}, the mapper the
 * local stack and the tests use, so a record reads the same on AWS as on a laptop (exact decimals,
 * ISO instants, step-function {@code Error}/{@code Cause} aliases). Registered through
 * {@code META-INF/services/com.amazonaws.services.lambda.runtime.CustomPojoSerializer}.
 */
public final class LambdaJsonSerializer implements CustomPojoSerializer {

    @Override
    public <T> T fromJson(InputStream input, Type type) {
        try {
            return Json.mapper().readValue(input, Json.mapper().constructType(type));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public <T> T fromJson(String input, Type type) {
        try {
            return Json.mapper().readValue(input, Json.mapper().constructType(type));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public <T> void toJson(T value, OutputStream output, Type type) {
        try {
            Json.mapper().writerFor(Json.mapper().constructType(type)).writeValue(output, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
