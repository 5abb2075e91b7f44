package com.orderflow.local;

import com.orderflow.local.console.Console;
import com.orderflow.api.http.CorsPolicy;
import com.orderflow.local.sfn.StepFunctionsConfig;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where and how the local stack runs: ports, bucket, data directory, project root, console. Each {@link Setting}
 * comes from a command-line option, else a system property (Maven's {@code -D}), else an environment variable,
 * else its default; {@code given} says, for each setting not left at its default, how it was given
 * ({@code --api-port=3001}, {@code -Dorderflow.api.port=3001}, {@code ORDERFLOW_API_PORT=3001}).
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
        Console.Verbosity verbosity,
        Console.Format logFormat,
        Optional<Path> mockConfig,
        boolean watch,
        CorsPolicy cors,
        Map<Setting, String> given) {

    /** The workflow definition, relative to the project root. */
    public static final String DEFINITION_FILE = "statemachine/order-workflow.asl.json";

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
        Path root = projectRoot;
        mockConfig = mockConfig.map(file -> root.resolve(file).toAbsolutePath().normalize());
        // EnumMap's copy constructor refuses an empty map that is not an EnumMap
        given = given.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(given));
    }

    /** Whether the arguments ask for the settings' usage ({@code --help} or {@code -h}) rather than a start. */
    public static boolean wantsHelp(String[] args) {
        return Arrays.stream(args).anyMatch(arg -> arg.equals("--help") || arg.equals("-h"));
    }

    /** The settings not at their default and how each was given, for the start-up's first lines. */
    public List<String> nonDefaultSettings() {
        return List.copyOf(given.values());
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
                sources.verbosity(),
                sources.logFormat(),
                sources.value(Setting.MOCK_CONFIG).map(Path::of),
                sources.flag(Setting.WATCH, true),
                sources.cors(Setting.CORS_ORIGIN),
                sources.given());
    }

    /** A copy with other ports (0 picks a free one). */
    public LocalStackConfig withPorts(int api, int sfn, int s3) {
        return new LocalStackConfig(projectRoot, api, sfn, s3, dataDir, bucket, inMemory, syncEachWrite, bind, maxOpenExecutions,
                verbosity, logFormat, mockConfig, watch, cors, given);
    }

    /** A copy with another data directory and persistence mode. */
    public LocalStackConfig withStorage(Path dir, boolean memoryOnly) {
        return new LocalStackConfig(projectRoot, apiPort, sfnPort, s3Port, dir, bucket, memoryOnly, syncEachWrite, bind,
                maxOpenExecutions, verbosity, logFormat, mockConfig, watch, cors, given);
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

    private static Map<Setting, String> parseOptions(List<String> args) {
        var options = new EnumMap<Setting, String>(Setting.class);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.isBlank()) {
                continue;
            }
            Setting setting = settingForOption(arg);
            int eq = arg.indexOf('=');
            if (eq >= 0) {
                options.put(setting, arg.substring(eq + 1));
            } else if (setting.isFlag()) {
                options.put(setting, "true");
            } else if (i + 1 < args.size()) {
                options.put(setting, args.get(++i));
            } else {
                throw new InvalidSettingException("Option " + arg + " needs a value, e.g. " + arg + "=...");
            }
        }
        return options;
    }

    private static Setting settingForOption(String arg) {
        String name = arg.startsWith("--") ? arg.substring(2) : arg;
        int eq = name.indexOf('=');
        return Setting.forOption(eq >= 0 ? name.substring(0, eq) : name).orElseThrow(() -> {
            var known = new StringBuilder();
            for (Setting setting : Setting.values()) {
                known.append(known.isEmpty() ? "" : ", ").append(setting.option());
            }
            return new InvalidSettingException("Unknown option " + arg + " (known: " + known + "; --help lists them)");
        });
    }

    private record Sources(Map<Setting, String> options, Map<String, String> properties,
                           Map<String, String> environment) {

        Optional<String> value(Setting setting) {
            return firstNonBlank(options.get(setting), properties.get(setting.property()),
                    environment.get(setting.environmentVariable()));
        }

        /** How each setting that has a value was given, in the order of {@link Setting}. */
        Map<Setting, String> given() {
            var given = new EnumMap<Setting, String>(Setting.class);
            for (Setting setting : Setting.values()) {
                String option = options.get(setting);
                String property = properties.get(setting.property());
                String variable = environment.get(setting.environmentVariable());
                if (option != null && !option.isBlank()) {
                    given.put(setting, setting.isFlag() && option.equals("true") ? setting.option()
                            : setting.option() + "=" + option.strip());
                } else if (property != null && !property.isBlank()) {
                    given.put(setting, "-D" + setting.property() + "=" + property.strip());
                } else if (variable != null && !variable.isBlank()) {
                    given.put(setting, setting.environmentVariable() + "=" + variable.strip());
                }
            }
            return given;
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

        Console.Verbosity verbosity() {
            boolean quiet = flag(Setting.QUIET);
            boolean verbose = flag(Setting.VERBOSE);
            if (quiet && verbose) {
                throw new InvalidSettingException("The console cannot be both quiet and verbose: drop "
                        + Setting.QUIET.option() + " or " + Setting.VERBOSE.option());
            }
            return quiet ? Console.Verbosity.QUIET : verbose ? Console.Verbosity.VERBOSE : Console.Verbosity.NORMAL;
        }

        Console.Format logFormat() {
            Optional<String> raw = value(Setting.LOG_FORMAT);
            if (raw.isEmpty()) {
                return Console.Format.TEXT;
            }
            return switch (raw.get().toLowerCase(Locale.ROOT)) {
                case "text" -> Console.Format.TEXT;
                case "json" -> Console.Format.JSON;
                default -> throw new InvalidSettingException("The " + Setting.LOG_FORMAT.label() + " must be text or json, not '"
                        + raw.get() + "'; set it with " + Setting.LOG_FORMAT.howToSet("json"));
            };
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
            return flag(setting, false);
        }

        /** A flag with a default: {@code --watch=false} turns off one that is on unless told otherwise. */
        boolean flag(Setting setting, boolean otherwise) {
            return value(setting).map(v -> v.isEmpty() || Boolean.parseBoolean(v.trim())).orElse(otherwise);
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
