package com.orderflow.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The prod stage: data survives the stack, logs live longer, limits are higher, configured countries are blocked. */
class ProductionStageTest {

    private static SynthesizedStack synth;

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedStack.prod();
    }

    @Test
    void buckets_areRetainedWhenTheStackIsDeleted() {
        for (var id : synth.logicalIds("AWS::S3::Bucket")) {
            assertThat(synth.resource(id).path("DeletionPolicy").asText()).as(id).isEqualTo("Retain");
            assertThat(synth.resource(id).path("UpdateReplacePolicy").asText()).as(id).isEqualTo("Retain");
        }
    }

    @Test
    void orderHistory_isKeptForAYear() {
        var orders = synth.resource(synth.logicalId("AWS::S3::Bucket", "StorageOrders"));

        assertThat(orders.at("/Properties/LifecycleConfiguration/Rules/0/NoncurrentVersionExpiration/NoncurrentDays").asInt())
                .isEqualTo(365);
    }

    @Test
    void logGroups_keepNinetyDays_andAreRetained() {
        for (var group : synth.resources("AWS::Logs::LogGroup")) {
            assertThat(group.at("/Properties/RetentionInDays").asInt()).isEqualTo(90);
            assertThat(group.path("DeletionPolicy").asText()).isEqualTo("Retain");
        }
    }

    @Test
    void resources_areNamedForTheProdStage() {
        assertThat(synth.artifact().getStackName()).isEqualTo("orderflow-prod");
        synth.resources("AWS::Lambda::Function")
                .forEach(f -> assertThat(f.at("/Properties/FunctionName").asText()).startsWith("orderflow-prod-"));
    }

    @Test
    void configuredCountries_areBlockedFirst() {
        var rules = new ArrayList<JsonNode>();
        synth.resources("AWS::WAFv2::WebACL").getFirst().at("/Properties/Rules").forEach(rules::add);
        var geo = rules.stream().filter(r -> r.at("/Statement/GeoMatchStatement").isObject()).toList();

        assertThat(geo).hasSize(1);
        assertThat(geo.getFirst().path("Priority").asInt()).isZero();
        assertThat(geo.getFirst().at("/Action/Block").isObject()).isTrue();
        var countries = new ArrayList<String>();
        geo.getFirst().at("/Statement/GeoMatchStatement/CountryCodes").forEach(c -> countries.add(c.asText()));
        assertThat(countries).containsExactly("KP", "IR");
    }

    @Test
    void apiThrottling_andWafRateLimit_areRaised() {
        var stage = synth.resources("AWS::ApiGateway::Stage").getFirst();
        assertThat(stage.at("/Properties/MethodSettings/0/ThrottlingRateLimit").asInt()).isEqualTo(100);
        assertThat(stage.at("/Properties/MethodSettings/0/ThrottlingBurstLimit").asInt()).isEqualTo(200);
        var rate = synth.resources("AWS::WAFv2::WebACL").getFirst().at("/Properties/Rules").findValue("RateBasedStatement");
        assertThat(rate.path("Limit").asInt()).isEqualTo(2000);
    }
}
