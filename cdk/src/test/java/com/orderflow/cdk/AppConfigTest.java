package com.orderflow.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Stage defaults and the validation that keeps physical names legal. */
class AppConfigTest {

    private static final Path ROOT = Path.of("/repo");

    @Test
    void forStage_pointsAtTheBuiltJarAndTheAslFile() {
        var config = AppConfig.forStage("dev", ROOT);

        assertThat(config.lambdaJar()).isEqualTo(Path.of("/repo/functions/target/orderflow-lambda.jar"));
        assertThat(config.stateMachineFile()).isEqualTo(Path.of("/repo/statemachine/order-workflow.asl.json"));
        assertThat(config.stackName()).isEqualTo("orderflow-dev");
        assertThat(config.resourceName("api")).isEqualTo("orderflow-dev-api");
        assertThat(config.isProduction()).isFalse();
        assertThat(AppConfig.forStage("prod", ROOT).isProduction()).isTrue();
    }

    @Test
    void stageNames_thatWouldMakeIllegalResourceNames_areRejected() {
        for (var stage : List.of("Prod", "my_stage", "-dev", "", "averyveryverylongstage")) {
            assertThatThrownBy(() -> AppConfig.forStage(stage, ROOT)).as(stage)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("stage");
        }
    }

    @Test
    void blockedCountries_areTrimmedAndUpperCased() {
        var config = AppConfig.forStage("dev", ROOT).withBlockedCountries(AppConfig.parseCountries(" kp, ir ,"));

        assertThat(config.blockedCountries()).containsExactly("KP", "IR");
    }

    @Test
    void blockedCountries_mustBeTwoLetterCodes() {
        assertThatThrownBy(() -> AppConfig.forStage("dev", ROOT).withBlockedCountries(List.of("North Korea")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("North Korea");
    }

    @Test
    void noCountries_meansNoGeoBlocking() {
        assertThat(AppConfig.parseCountries(null)).isEmpty();
        assertThat(AppConfig.parseCountries("  ")).isEmpty();
        assertThat(AppConfig.forStage("dev", ROOT).blockedCountries()).isEmpty();
    }

    @Test
    void abuseLimits_followTheStage_andPostOrdersIsTighterThanTheStage() {
        var dev = AppConfig.forStage("dev", ROOT);
        var prod = AppConfig.forStage("prod", ROOT);

        assertThat(dev.abuseLimits()).isEqualTo(new AbuseLimits(100, 10, 20, 10_000, 10));
        assertThat(prod.abuseLimits()).isEqualTo(new AbuseLimits(300, 50, 100, 200_000, 50));
        for (var config : List.of(dev, prod)) {
            assertThat(config.abuseLimits().orderPostRate()).isLessThan(config.apiRateLimit());
            assertThat(config.abuseLimits().orderPostBurst()).isLessThan(config.apiBurstLimit());
            assertThat(config.abuseLimits().orderPostsPerIp()).isLessThan(config.wafRateLimit());
        }
    }

    @Test
    void abuseLimits_belowWafsMinimumOrNotPositive_areRejected() {
        assertThatThrownBy(() -> new AbuseLimits(9, 10, 20, 1, 1)).hasMessageContaining("at least 10");
        assertThatThrownBy(() -> new AbuseLimits(10, 10, 20, 1, 0)).hasMessageContaining("positive");
    }

    @Test
    void deployStrategy_isCanaryUnlessChosen() {
        assertThat(AppConfig.forStage("dev", ROOT).deployStrategy()).isEqualTo(com.orderflow.cdk.rollout.DeployStrategy.CANARY);
        assertThat(AppConfig.forStage("dev", ROOT).withDeployStrategy(com.orderflow.cdk.rollout.DeployStrategy.ALL_AT_ONCE)
                .withAlarmEmail("a@b.c").deployStrategy()).isEqualTo(com.orderflow.cdk.rollout.DeployStrategy.ALL_AT_ONCE);
    }
}
