package com.orderflow.local;

import com.orderflow.api.http.CorsPolicy;
import com.orderflow.local.sfn.StepFunctionsConfig;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where and how the local stack runs: ports, bucket, data directory and project root.
 * Each setting comes from a command-line option, else a system property (Maven's {@code -D}),
 * else an environment variable, else its default.
 */
public record LocalStackConfig(
        Path projectRoot,
        int apiPort,
        int sfnPort,
        int s3Port,
        Path dataDir,
        String bucket,
        boolean inMemory,
        boolean syncEachWrite,
        InetAddress bind,
        int maxOpenExecutions,
        CorsPolicy cors) {

    /** The workflow definition, relative to the project root. */
    public static final String DEFINITION_FILE = "statemachine/order-workflow.asl.json";

    /** One configurable setting and the three names it can be given under. */
    public enum Setting {
        API_PORT("api-port", "orderflow.api.port", "ORDERFLOW_API_PORT", "API"),
        SFN_PORT("sfn-port", "orderflow.sfn.port", "ORDERFLOW_SFN_PORT", "Step Functions API"),
        S3_PORT("s3-port", "orderflow.s3.port", "ORDERFLOW_S3_PORT", "S3"),
        DATA_DIR("data-dir", "orderflow.data.dir", "ORDERFLOW_DATA_DIR", "data directory"),
        BUCKET("bucket", "orderflow.bucket", "ORDERFLOW_BUCKET", "orders bucket"),
        IN_MEMORY("in-memory", "orderflow.in.memory", "ORDERFLOW_IN_MEMORY", "in-memory mode"),
        SYNC_EACH_WRITE("sync-each-write", "orderflow.sync.each.write", "ORDERFLOW_SYNC_EACH_WRITE",
                "fsync before each acknowledgement"),
        BIND("bind", "orderflow.bind", "ORDERFLOW_BIND", "listen address"),
        MAX_OPEN_EXECUTIONS("max-open-executions", "orderflow.max.open.executions", "ORDERFLOW_MAX_OPEN_EXECUTIONS",
                "limit of open executions"),
        CORS_ORIGIN("cors-origin", "orderflow.cors.origin", "ORDERFLOW_CORS_ORIGIN", "CORS origins"),
        ROOT("root", "orderflow.root", "ORDERFLOW_ROOT", "project root");

        private final String option;
        private final String property;
        private final String environmentVariable;
        private final String label;

        Setting(String option, String property, String environmentVariable, String label) {
            this.option = option;
            this.property = property;
            this.environmentVariable = environmentVariable;
            this.label = label;
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

        /** How a user changes this setting, e.g. {@code -Dorderflow.api.port=3001 (or ORDERFLOW_API_PORT=3001)}. */
        public String howToSet(String value) {
            return "-D" + property + "=" + value + " (or " + environmentVariable + "=" + value + ")";
        }
    }

    /** Thrown for a setting whose value cannot be used; the message says which and why. */
    public static final class InvalidSettingException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public InvalidSettingException(String message) {
            super(message);
        }
    }

    public static final int DEFAULT_API_PORT = 3000;
    public static final int DEFAULT_SFN_PORT = 8083;
    public static final int DEFAULT_S3_PORT = 9090;
    public static final String DEFAULT_BUCKET = "orderflow-orders-local";
    /**
     * Pages served from this machine on any port (a front end's dev server) may call the API; no other site may. The
     * local API has no credentials to protect from a page, and the stack listens on loopback.
     */
    public static final String DEFAULT_CORS_ORIGIN = "http://localhost:*,http://127.0.0.1:*";

    public LocalStackConfig {
        projectRoot = projectRoot.toAbsolutePath().normalize();
        dataDir = projectRoot.resolve(dataDir).toAbsolutePath().normalize();
    }

    /** The configuration from the process's arguments, system properties and environment. */
    public static LocalStackConfig fromProcess(String[] args) {
        var properties = new HashMap<String, String>();
        System.getProperties().forEach((key, value) -> properties.put(key.toString(), value.toString()));
        return resolve(List.of(args), properties, System.getenv(), Path.of("").toAbsolutePath());
    }

    /**
     * Resolves every setting from the given sources (highest precedence first: options, properties,
     * environment), then defaults; the project root defaults to the nearest directory at or above
     * {@code workingDirectory} that holds {@value #DEFINITION_FILE}.
     */
    public static LocalStackConfig resolve(List<String> args, Map<String, String> properties,
                                           Map<String, String> environment, Path workingDirectory) {
        var options = parseOptions(args);
        var sources = new Sources(options, properties, environment);
        Path root = sources.value(Setting.ROOT).map(Path::of)
                .map(workingDirectory::resolve)
                .orElseGet(() -> findProjectRoot(workingDirectory).orElse(workingDirectory));
        return new LocalStackConfig(
                root,
                sources.port(Setting.API_PORT, DEFAULT_API_PORT),
                sources.port(Setting.SFN_PORT, DEFAULT_SFN_PORT),
                sources.port(Setting.S3_PORT, DEFAULT_S3_PORT),
                sources.value(Setting.DATA_DIR).map(Path::of).orElse(Path.of(".orderflow", "data")),
                sources.value(Setting.BUCKET).orElse(DEFAULT_BUCKET),
                sources.flag(Setting.IN_MEMORY),
                sources.flag(Setting.SYNC_EACH_WRITE),
                sources.address(Setting.BIND),
                sources.count(Setting.MAX_OPEN_EXECUTIONS, StepFunctionsConfig.defaultMaxOpenExecutions()),
                sources.cors(Setting.CORS_ORIGIN));
    }

    /** A copy with other ports (0 picks a free one). */
    public LocalStackConfig withPorts(int api, int sfn, int s3) {
        return new LocalStackConfig(projectRoot, api, sfn, s3, dataDir, bucket, inMemory, syncEachWrite, bind, maxOpenExecutions,
                cors);
    }

    /** A copy with another data directory and persistence mode. */
    public LocalStackConfig withStorage(Path dir, boolean memoryOnly) {
        return new LocalStackConfig(projectRoot, apiPort, sfnPort, s3Port, dir, bucket, memoryOnly, syncEachWrite, bind, maxOpenExecutions,
                cors);
    }

    /** Whether every port listens on loopback only, as it does unless the user asks otherwise. */
    public boolean loopbackOnly() {
        return bind.isLoopbackAddress();
    }

    /** The workflow definition file. */
    public Path definitionFile() {
        return projectRoot.resolve(DEFINITION_FILE);
    }

    /** Where the local S3 keeps its store in persistence mode. */
    public Path s3DataDir() {
        return dataDir.resolve("s3");
    }

    /** Where the Step Functions store (state machines and executions) lives. */
    public Path storeDir() {
        return dataDir.resolve("stepfunctions");
    }

    /** The data directory as a user would write it: relative to the project root when inside it. */
    public String displayPath(Path path) {
        return path.startsWith(projectRoot) ? projectRoot.relativize(path).toString() : path.toString();
    }

    static Optional<Path> findProjectRoot(Path start) {
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(DEFINITION_FILE))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> parseOptions(List<String> args) {
        var options = new HashMap<String, String>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.isBlank()) {
                continue;
            }
            Setting setting = settingForOption(arg);
            int eq = arg.indexOf('=');
            if (eq >= 0) {
                options.put(setting.option, arg.substring(eq + 1));
            } else if (setting == Setting.IN_MEMORY || setting == Setting.SYNC_EACH_WRITE) { // flags
                options.put(setting.option, "true");
            } else if (i + 1 < args.size()) {
                options.put(setting.option, args.get(++i));
            } else {
                throw new InvalidSettingException("Option " + arg + " needs a value, e.g. " + arg + "=...");
            }
        }
        return options;
    }

    private static Setting settingForOption(String arg) {
        String name = arg.startsWith("--") ? arg.substring(2) : arg;
        int eq = name.indexOf('=');
        String key = eq >= 0 ? name.substring(0, eq) : name;
        for (Setting setting : Setting.values()) {
            if (setting.option.equals(key)) {
                return setting;
            }
        }
        var known = new StringBuilder();
        for (Setting setting : Setting.values()) {
            known.append(known.isEmpty() ? "" : ", ").append(setting.option());
        }
        throw new InvalidSettingException("Unknown option " + arg + " (known: " + known + ")");
    }

    private record Sources(Map<String, String> options, Map<String, String> properties,
                           Map<String, String> environment) {

        Optional<String> value(Setting setting) {
            return firstNonBlank(options.get(setting.option), properties.get(setting.property),
                    environment.get(setting.environmentVariable));
        }

        int port(Setting setting, int defaultPort) {
            Optional<String> raw = value(setting);
            if (raw.isEmpty()) {
                return defaultPort;
            }
            try {
                int port = Integer.parseInt(raw.get().trim());
                if (port < 0 || port > 65_535) {
                    throw new NumberFormatException();
                }
                return port;
            } catch (NumberFormatException e) {
                throw new InvalidSettingException("The " + setting.label() + " port must be a number from 0 to 65535, not '"
                        + raw.get() + "'; set it with " + setting.howToSet(String.valueOf(defaultPort)));
            }
        }

        /**
         * The address every port listens on: loopback unless given. A literal IPv4 or IPv6 address (or
         * {@code localhost}); a host name is refused rather than looked up.
         */
        InetAddress address(Setting setting) {
            Optional<String> raw = value(setting);
            if (raw.isEmpty() || raw.get().equalsIgnoreCase("localhost")) {
                return InetAddress.getLoopbackAddress();
            }
            try {
                return InetAddress.ofLiteral(raw.get());
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException("The " + setting.label() + " must be an IP address such as 127.0.0.1, "
                        + "::1 or 0.0.0.0 (every interface), not '" + raw.get() + "'; set it with "
                        + setting.howToSet("0.0.0.0"));
            }
        }

        int count(Setting setting, int defaultValue) {
            Optional<String> raw = value(setting);
            if (raw.isEmpty()) {
                return defaultValue;
            }
            try {
                int value = Integer.parseInt(raw.get().trim());
                if (value < 1) {
                    throw new NumberFormatException();
                }
                return value;
            } catch (NumberFormatException e) {
                throw new InvalidSettingException("The " + setting.label() + " must be a whole number of at least 1, not '"
                        + raw.get() + "'; set it with " + setting.howToSet(String.valueOf(defaultValue)));
            }
        }

        /** The browser origins allowed to call the API ({@code off} for none); the rest of the policy is the API's. */
        CorsPolicy cors(Setting setting) {
            var raw = value(setting).orElse(DEFAULT_CORS_ORIGIN);
            try {
                return CorsPolicy.load(raw);
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException("The " + setting.label() + " must be off or a comma-separated list of"
                        + " origins: " + e.getMessage() + "; set it with " + setting.howToSet("http://localhost:5173"));
            }
        }

        boolean flag(Setting setting) {
            return value(setting).map(v -> v.isEmpty() || Boolean.parseBoolean(v.trim())).orElse(false);
        }

        private static Optional<String> firstNonBlank(String... values) {
            for (String value : values) {
                if (value != null && !value.isBlank()) {
                    return Optional.of(value.trim());
                }
            }
            return Optional.empty();
        }
    }
}
