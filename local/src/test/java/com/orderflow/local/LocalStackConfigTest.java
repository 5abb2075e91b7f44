package com.orderflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.orderflow.local.console.Console;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackConfigTest {

    @TempDir
    Path root;

    @Test
    void noSettings_givesTheDocumentedDefaults_andFindsTheRootAboveTheWorkingDirectory() throws Exception {
        Files.createDirectories(root.resolve("statemachine"));
        Files.writeString(root.resolve(LocalStackConfig.DEFINITION_FILE), "{}");
        Path module = Files.createDirectories(root.resolve("local"));

        var config = LocalStackConfig.resolve(List.of(), Map.of(), Map.of(), module);

        assertThat(config.projectRoot()).isEqualTo(root.toAbsolutePath().normalize());
        assertThat(config.apiPort()).isEqualTo(3000);
        assertThat(config.sfnPort()).isEqualTo(8083);
        assertThat(config.s3Port()).isEqualTo(9090);
        assertThat(config.bucket()).isEqualTo("orderflow-orders-local");
        assertThat(config.inMemory()).isFalse();
        assertThat(config.syncEachWrite()).isFalse();
        assertThat(config.bind().isLoopbackAddress()).isTrue();
        assertThat(config.loopbackOnly()).isTrue();
        assertThat(config.dataDir()).isEqualTo(config.projectRoot().resolve(".orderflow/data"));
        assertThat(config.displayPath(config.s3DataDir())).isEqualTo(".orderflow/data/s3");
    }

    @Test
    void optionsWinOverPropertiesWhichWinOverEnvironment() {
        var config = LocalStackConfig.resolve(
                List.of("--api-port=3101", "--bucket", "b-opt"),
                Map.of("orderflow.api.port", "3201", "orderflow.sfn.port", "8201", "orderflow.bucket", "b-prop"),
                Map.of("ORDERFLOW_API_PORT", "3301", "ORDERFLOW_SFN_PORT", "8301", "ORDERFLOW_S3_PORT", "9301",
                        "ORDERFLOW_IN_MEMORY", "true"),
                root);

        assertThat(config.apiPort()).isEqualTo(3101);
        assertThat(config.sfnPort()).isEqualTo(8201);
        assertThat(config.s3Port()).isEqualTo(9301);
        assertThat(config.bucket()).isEqualTo("b-opt");
        assertThat(config.inMemory()).isTrue();
    }

    @Test
    void watch_isOnByDefault_andTurnedOffWithFalseFromAnySource() {
        assertThat(LocalStackConfig.resolve(List.of(), Map.of(), Map.of(), root).watch()).isTrue();
        assertThat(LocalStackConfig.resolve(List.of("--watch"), Map.of(), Map.of(), root).watch()).isTrue();
        assertThat(LocalStackConfig.resolve(List.of("--watch=false"), Map.of(), Map.of(), root).watch()).isFalse();
        assertThat(LocalStackConfig.resolve(List.of(), Map.of("orderflow.watch", "false"), Map.of(), root).watch())
                .isFalse();
        assertThat(LocalStackConfig.resolve(List.of(), Map.of(), Map.of("ORDERFLOW_WATCH", "false"), root).watch())
                .isFalse();
    }

    @Test
    void bind_takesALiteralAddressFromAnySource_andRefusesAHostName() {
        assertThat(LocalStackConfig.resolve(List.of("--bind=0.0.0.0"), Map.of(), Map.of(), root).loopbackOnly()).isFalse();
        assertThat(LocalStackConfig.resolve(List.of(), Map.of("orderflow.bind", "::1"), Map.of(), root).loopbackOnly()).isTrue();
        assertThat(LocalStackConfig.resolve(List.of(), Map.of(), Map.of("ORDERFLOW_BIND", "127.0.0.2"), root)
                .bind().getHostAddress()).isEqualTo("127.0.0.2");
        assertThat(LocalStackConfig.resolve(List.of("--bind", "localhost"), Map.of(), Map.of(), root).loopbackOnly()).isTrue();
        assertThatThrownBy(() -> LocalStackConfig.resolve(List.of("--bind=my-laptop.example"), Map.of(), Map.of(), root))
                .isInstanceOf(LocalStackConfig.InvalidSettingException.class)
                .hasMessageContaining("must be an IP address").hasMessageContaining("-Dorderflow.bind=0.0.0.0");
    }

    @Test
    void maxOpenExecutions_defaultsPerCore_andRefusesANonPositiveCount() {
        assertThat(LocalStackConfig.resolve(List.of(), Map.of(), Map.of(), root).maxOpenExecutions())
                .isEqualTo(com.orderflow.local.sfn.StepFunctionsConfig.defaultMaxOpenExecutions());
        assertThat(LocalStackConfig.resolve(List.of("--max-open-executions=200"), Map.of(), Map.of(), root)
                .maxOpenExecutions()).isEqualTo(200);
        assertThatThrownBy(() -> LocalStackConfig.resolve(List.of(), Map.of("orderflow.max.open.executions", "0"),
                Map.of(), root))
                .isInstanceOf(LocalStackConfig.InvalidSettingException.class)
                .hasMessageContaining("at least 1");
    }

    @Test
    void console_isNormalTextByDefault_quietOrVerboseAsFlags_andJsonWhenAsked() {
        var defaults = LocalStackConfig.resolve(List.of(), Map.of(), Map.of(), root);
        assertThat(defaults.verbosity()).isEqualTo(Console.Verbosity.NORMAL);
        assertThat(defaults.logFormat()).isEqualTo(Console.Format.TEXT);
        assertThat(LocalStackConfig.resolve(List.of("--quiet"), Map.of(), Map.of(), root).verbosity())
                .isEqualTo(Console.Verbosity.QUIET);
        assertThat(LocalStackConfig.resolve(List.of(), Map.of("orderflow.verbose", "true"), Map.of(), root).verbosity())
                .isEqualTo(Console.Verbosity.VERBOSE);
        assertThat(LocalStackConfig.resolve(List.of("--log-format", "JSON"), Map.of(), Map.of(), root).logFormat())
                .isEqualTo(Console.Format.JSON);
        assertThatThrownBy(() -> LocalStackConfig.resolve(List.of("--quiet", "--verbose"), Map.of(), Map.of(), root))
                .isInstanceOf(LocalStackConfig.InvalidSettingException.class)
                .hasMessageContaining("both quiet and verbose");
        assertThatThrownBy(() -> LocalStackConfig.resolve(List.of(), Map.of(), Map.of("ORDERFLOW_LOG_FORMAT", "xml"), root))
                .isInstanceOf(LocalStackConfig.InvalidSettingException.class)
                .hasMessageContaining("must be text or json, not 'xml'");
    }

    @Test
    void corsOrigin_defaultsToAnyLocalPort_isOffOnRequest_andRefusesWhatIsNotAnOrigin() {
        assertThat(LocalStackConfig.resolve(List.of(), Map.of(), Map.of(), root).cors().originsSetting())
                .isEqualTo("http://localhost:*,http://127.0.0.1:*");
        assertThat(LocalStackConfig.resolve(List.of("--cors-origin=off"), Map.of(), Map.of(), root).cors().enabled()).isFalse();
        assertThat(LocalStackConfig.resolve(List.of(), Map.of(), Map.of("ORDERFLOW_CORS_ORIGIN", "https://shop.example.com"), root)
                .cors().allowOrigin("https://shop.example.com")).contains("https://shop.example.com");
        assertThatThrownBy(() -> LocalStackConfig.resolve(List.of(), Map.of("orderflow.cors.origin", "shop.example.com"),
                Map.of(), root))
                .isInstanceOf(LocalStackConfig.InvalidSettingException.class)
                .hasMessageContaining("CORS origins").hasMessageContaining("shop.example.com")
                .hasMessageContaining("-Dorderflow.cors.origin=");
    }

    @Test
    void relativeDataDir_resolvesAgainstTheProjectRoot() {
        var config = LocalStackConfig.resolve(List.of("--data-dir=tmp/d", "--root=" + root), Map.of(), Map.of(),
                Path.of("/"));

        assertThat(config.dataDir()).isEqualTo(root.toAbsolutePath().resolve("tmp/d"));
        assertThat(config.storeDir()).isEqualTo(root.toAbsolutePath().resolve("tmp/d/stepfunctions"));
    }

    @Test
    void syncEachWrite_fromTheOptionOrTheEnvironment() {
        assertThat(LocalStackConfig.resolve(List.of("--sync-each-write"), Map.of(), Map.of(), root).syncEachWrite()).isTrue();
        assertThat(LocalStackConfig.resolve(List.of(), Map.of(), Map.of("ORDERFLOW_SYNC_EACH_WRITE", "true"), root)
                .syncEachWrite()).isTrue();
        assertThat(LocalStackConfig.resolve(List.of(), Map.of("orderflow.sync.each.write", "false"), Map.of(), root)
                .syncEachWrite()).isFalse();
    }

    @Test
    void inMemoryFlag_withoutValue_turnsMemoryModeOn() {
        assertThat(LocalStackConfig.resolve(List.of("--in-memory"), Map.of(), Map.of(), root).inMemory()).isTrue();
    }

    @Test
    void portThatIsNotANumber_isRefusedWithTheSettingToFix() {
        assertThatThrownBy(() -> LocalStackConfig.resolve(List.of(), Map.of("orderflow.s3.port", "nine"), Map.of(), root))
                .isInstanceOf(LocalStackConfig.InvalidSettingException.class)
                .hasMessageContaining("'nine'")
                .hasMessageContaining("-Dorderflow.s3.port=9090");
    }

    @Test
    void unknownOption_isRefusedNamingTheKnownOnes() {
        assertThatThrownBy(() -> LocalStackConfig.resolve(List.of("--api-prot=1"), Map.of(), Map.of(), root))
                .isInstanceOf(LocalStackConfig.InvalidSettingException.class)
                .hasMessageContaining("--api-prot=1")
                .hasMessageContaining("--api-port");
    }

    @Test
    void portInUseMessage_namesThePortThePartAndTheSetting() {
        assertThat(StartupException.portInUse(3000, Setting.API_PORT).getMessage())
                .isEqualTo("Port 3000 is already in use (API). Free it or start with -Dorderflow.api.port=3001"
                        + " (or ORDERFLOW_API_PORT=3001).");
    }
}
