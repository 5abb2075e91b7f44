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
}
