package com.orderflow.local;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * One setting of the local stack: the three names it can be given under (an option, a {@code -D} property, an
 * environment variable), its default and what it is for. {@code --help} and the README's settings table are both
 * this list; a test holds the README to it.
 */
public enum Setting {
    API_PORT("api-port", "orderflow.api.port", "ORDERFLOW_API_PORT", "API", "3000",
            "port of the API (POST/GET /orders) and the execution view /ui/"),
    SFN_PORT("sfn-port", "orderflow.sfn.port", "ORDERFLOW_SFN_PORT", "Step Functions API", "8083",
            "port of the Step Functions JSON API (AWS SDKs and CLI with --endpoint-url)"),
    S3_PORT("s3-port", "orderflow.s3.port", "ORDERFLOW_S3_PORT", "S3", "9090", "port of the local S3"),
    DATA_DIR("data-dir", "orderflow.data.dir", "ORDERFLOW_DATA_DIR", "data directory", ".orderflow/data",
            "where orders and executions are kept, relative to the project root"),
    BUCKET("bucket", "orderflow.bucket", "ORDERFLOW_BUCKET", "orders bucket", "orderflow-orders-local",
            "the versioned bucket orders are stored in"),
    IN_MEMORY("in-memory", "orderflow.in.memory", "ORDERFLOW_IN_MEMORY", "in-memory mode", "off",
            "keep nothing on disk: empty at every start"),
    SYNC_EACH_WRITE("sync-each-write", "orderflow.sync.each.write", "ORDERFLOW_SYNC_EACH_WRITE",
            "fsync before each acknowledgement", "off",
            "acknowledge a start or an S3 write only after its fsync (else fsynced within 20 ms)"),
    BIND("bind", "orderflow.bind", "ORDERFLOW_BIND", "listen address", "127.0.0.1",
            "the address every port listens on; anything but loopback is reachable from other machines"),
    CORS_ORIGIN("cors-origin", "orderflow.cors.origin", "ORDERFLOW_CORS_ORIGIN", "CORS origins",
            LocalStackConfig.DEFAULT_CORS_ORIGIN,
            "browser origins allowed to call the API: a comma-separated list with * for a port or host part, off for none"),
    MAX_OPEN_EXECUTIONS("max-open-executions", "orderflow.max.open.executions", "ORDERFLOW_MAX_OPEN_EXECUTIONS",
            "limit of open executions", "500 per core",
            "executions open at once before StartExecution is throttled and POST /orders answers 503"),
    MOCK_CONFIG("mock-config", "orderflow.mock.config", "SFN_MOCK_CONFIG", "mock configuration", "none",
            "a Step Functions Local mock configuration file: executions started as <arn>#<test case> use it"),
    WATCH("watch", "orderflow.watch", "ORDERFLOW_WATCH", "hot reload of the workflow file", "on",
            "publish each save of " + LocalStackConfig.DEFINITION_FILE + " as a new version; --watch=false turns it off"),
    QUIET("quiet", "orderflow.quiet", "ORDERFLOW_QUIET", "quiet console", "off",
            "say only start-up, warnings, failed orders and errors the functions log"),
    VERBOSE("verbose", "orderflow.verbose", "ORDERFLOW_VERBOSE", "verbose console", "off",
            "also say every line the functions log"),
    LOG_FORMAT("log-format", "orderflow.log.format", "ORDERFLOW_LOG_FORMAT", "console format", "text",
            "text, or json for one JSON object per line"),
    ROOT("root", "orderflow.root", "ORDERFLOW_ROOT", "project root", "the nearest directory above with "
            + LocalStackConfig.DEFINITION_FILE, "the project the stack runs (its statemachine/ and test-payloads/)");

    /** Settings that are on when named without a value ({@code --in-memory}). */
    static final Set<Setting> FLAGS = EnumSet.of(IN_MEMORY, SYNC_EACH_WRITE, WATCH, QUIET, VERBOSE);

    private final String option;
    private final String property;
    private final String environmentVariable;
    private final String label;
    private final String defaultValue;
    private final String purpose;

    Setting(String option, String property, String environmentVariable, String label, String defaultValue,
            String purpose) {
        this.option = option;
        this.property = property;
        this.environmentVariable = environmentVariable;
        this.label = label;
        this.defaultValue = defaultValue;
        this.purpose = purpose;
    }

    public String option() {
        return "--" + option;
    }

    public String property() {
        return property;
    }

    public String environmentVariable() {
        return environmentVariable;
    }

    public String label() {
        return label;
    }

    /** The default as a person reads it ({@code 3000}, {@code off}). */
    public String defaultValue() {
        return defaultValue;
    }

    /** What the setting is for, in a line. */
    public String purpose() {
        return purpose;
    }

    public boolean isFlag() {
        return FLAGS.contains(this);
    }

    /** How a user changes this setting, e.g. {@code -Dorderflow.api.port=3001 (or ORDERFLOW_API_PORT=3001)}. */
    public String howToSet(String value) {
        return "-D" + property + "=" + value + " (or " + environmentVariable + "=" + value + ")";
    }

    /** The setting an option names ({@code api-port}, without the dashes). */
    static Optional<Setting> forOption(String name) {
        return Arrays.stream(values()).filter(setting -> setting.option.equals(name)).findFirst();
    }

    /** What {@code --help} prints: how settings are given, then each setting's names, default and purpose. */
    public static String usage() {
        var text = new StringBuilder("""
                Usage: mvn -Plocal [-Dlocal.args="--option=value ..."] [-Dproperty=value ...]

                Each setting is taken from its option, else its -D property, else its environment variable,
                else its default. Flags (--in-memory, --sync-each-write, --watch, --quiet, --verbose) need no value.

                """);
        for (Setting setting : values()) {
            text.append("  ").append(setting.option()).append(setting.isFlag() ? "" : "=<value>").append('\n')
                    .append("      ").append(setting.purpose()).append('\n')
                    .append("      -D").append(setting.property()).append("   ").append(setting.environmentVariable())
                    .append("   default: ").append(setting.defaultValue()).append('\n');
        }
        return text.append("  --help\n      print this and exit\n").toString();
    }
}
