package com.orderflow.local.sfn;

import static org.assertj.core.api.Assertions.assertThat;

import com.orderflow.json.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ApiJsonTest {

    @Test
    void write_givesWhatTheSharedMapperWrites_forEveryKindOfNodeTheApiAnswersWith() throws Exception {
        var body = ApiJson.object();
        body.put("executionArn", "arn:aws:states:us-east-1:000000000000:execution:m:ünïcode-\"quoted\"\\\n\t\u0001");
        body.set("startDate", ApiJson.epochSeconds(Instant.parse("2026-12-07T12:00:00.250Z")));
        body.set("whole", ApiJson.epochSeconds(Instant.parse("2026-12-07T12:00:00Z")));
        body.put("exponent", new BigDecimal("1E+3")).put("tiny", new BigDecimal("1E-9")).put("double", 0.1)
                .put("count", 42).put("big", Long.MAX_VALUE).put("yes", true).putNull("none");
        body.putArray("executions").addObject().put("status", "SUCCEEDED");
        body.putArray("empty");
        body.putObject("nested").putObject("deeper").put("emoji", "\uD83D\uDE00");

        assertThat(new String(ApiJson.write(body), StandardCharsets.UTF_8))
                .isEqualTo(new String(Json.mapper().writeValueAsBytes(body), StandardCharsets.UTF_8));
        body.remove("exponent");
        body.remove("tiny");
        body.remove("nested");
        assertThat(new String(ApiJson.write(body), StandardCharsets.UTF_8))
                .isEqualTo(new String(Json.mapper().writeValueAsBytes(body), StandardCharsets.UTF_8))
                .contains("\"startDate\":1796644800.250");
    }
}
