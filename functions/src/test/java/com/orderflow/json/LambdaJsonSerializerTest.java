package com.orderflow.json;

import com.amazonaws.services.lambda.runtime.CustomPojoSerializer;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.orderflow.order.FailureInfo;
import com.orderflow.workflow.PersistOrderInput;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

class LambdaJsonSerializerTest {

    private final LambdaJsonSerializer serializer = new LambdaJsonSerializer();

    @Test
    void isRegisteredForTheLambdaRuntimeToFind() {
        assertThat(ServiceLoader.load(CustomPojoSerializer.class).stream().map(ServiceLoader.Provider::type))
                .containsExactly(LambdaJsonSerializer.class);
    }

    @Test
    void stepInput_keepsExactDecimals() throws Exception {
        var json = Files.readString(Path.of("..", "events", "workflow", "persist-order.json"));

        PersistOrderInput input = serializer.fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                PersistOrderInput.class);
        var out = new ByteArrayOutputStream();
        serializer.toJson(input, out, PersistOrderInput.class);

        assertThat(input.order().total()).isEqualByComparingTo(new BigDecimal("92.48"));
        assertThat(Json.mapper().readTree(out.toByteArray())).isEqualTo(Json.mapper().readTree(json));
    }

    @Test
    void catchResult_withCapitalisedNames_mapsToFailureInfo() {
        FailureInfo failure = serializer.fromJson("{\"Error\":\"E\",\"Cause\":\"C\"}", FailureInfo.class);

        assertThat(failure).isEqualTo(new FailureInfo("E", "C"));
    }

    @Test
    void apiGatewayProxyEvents_stillMapBothWays() {
        APIGatewayProxyRequestEvent request = serializer.fromJson("""
                {"resource":"/orders","path":"/orders","httpMethod":"POST",
                 "headers":{"Idempotency-Key":"k1"},"multiValueHeaders":{"Idempotency-Key":["k1"]},
                 "queryStringParameters":null,"pathParameters":null,
                 "requestContext":{"requestId":"r1","stage":"dev","identity":{"sourceIp":"203.0.113.9"}},
                 "body":"{}","isBase64Encoded":false}""", APIGatewayProxyRequestEvent.class);
        var response = new APIGatewayProxyResponseEvent().withStatusCode(202).withHeaders(Map.of("Location", "/orders/x"))
                .withBody("{}").withIsBase64Encoded(false);
        var out = new ByteArrayOutputStream();
        serializer.toJson(response, out, APIGatewayProxyResponseEvent.class);

        assertThat(request.getHttpMethod()).isEqualTo("POST");
        assertThat(request.getHeaders()).containsEntry("Idempotency-Key", "k1");
        assertThat(request.getRequestContext().getIdentity().getSourceIp()).isEqualTo("203.0.113.9");
        assertThat(request.getIsBase64Encoded()).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
                "{\"statusCode\":202,\"headers\":{\"Location\":\"/orders/x\"},\"body\":\"{}\",\"isBase64Encoded\":false}");
    }
}
