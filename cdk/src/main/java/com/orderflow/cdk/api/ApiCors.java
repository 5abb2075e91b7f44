package com.orderflow.cdk.api;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import com.orderflow.cdk.AppConfig;

import software.amazon.awscdk.services.apigateway.IntegrationResponse;
import software.amazon.awscdk.services.apigateway.Method;
import software.amazon.awscdk.services.apigateway.MethodOptions;
import software.amazon.awscdk.services.apigateway.MethodResponse;
import software.amazon.awscdk.services.apigateway.MockIntegration;
import software.amazon.awscdk.services.apigateway.PassthroughBehavior;
import software.amazon.awscdk.services.apigateway.Resource;

/**
 * The API's CORS on AWS, from the same {@code cors.properties} the API function and the local front end read: an
 * OPTIONS method per resource with a mock integration answering preflights (204, the resource's methods, the allowed
 * headers, the max age, {@code Vary: Origin}, and the caller's origin named back only when a configured pattern
 * matches it), and the origins handed to the function, which adds the headers of the answers themselves.
 */
public final class ApiCors {

    /** The policy file, relative to the project root (the function's class path resource of the same name). */
    public static final String POLICY_FILE = "functions/src/main/resources/com/orderflow/api/http/cors.properties";
    /** The function's variable naming the allowed origins (its {@code ApiConfig.CORS_ALLOWED_ORIGINS}). */
    public static final String ORIGINS_VARIABLE = "CORS_ALLOWED_ORIGINS";

    /** The function accepts exactly these shapes; checked here too, so that a pattern goes into VTL unescaped. */
    private static final Pattern ORIGIN = Pattern.compile("^\\*$|^https?://[a-z0-9.-]+(:([0-9]{1,5}|\\*))?$");

    private final List<String> origins;
    private final Properties policy;

    private ApiCors(List<String> origins, Properties policy) {
        this.origins = origins;
        this.policy = policy;
    }

    /** The stage's CORS: its origins (none: no OPTIONS methods, no headers) and the shared policy file. */
    public static ApiCors of(AppConfig config) {
        for (var origin : config.corsOrigins()) {
            if (!ORIGIN.matcher(origin).matches()) {
                throw new IllegalArgumentException("corsOrigin '" + origin + "' is not an origin: use *, or"
                        + " scheme://host with an optional :port or :* in lower case, e.g. https://shop.example.com");
            }
        }
        if (config.corsOrigins().size() > 1 && config.corsOrigins().contains("*")) {
            throw new IllegalArgumentException("corsOrigin * allows every origin; it cannot be listed with others");
        }
        var policy = new Properties();
        try (Reader in = Files.newBufferedReader(config.projectRoot().resolve(POLICY_FILE))) {
            policy.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + POLICY_FILE, e);
        }
        return new ApiCors(config.corsOrigins(), policy);
    }

    public boolean enabled() {
        return !origins.isEmpty();
    }

    /** The value of the function's {@value #ORIGINS_VARIABLE}. */
    public String originsVariable() {
        return String.join(",", origins);
    }

    /**
     * Adds the OPTIONS method of each resource, keyed by its path template ({@code /orders/{id}}); none when no origin
     * is configured. Returns the methods, for the checks every method of the API gets.
     */
    public List<Method> addPreflights(Map<String, Resource> resources) {
        var methods = new ArrayList<Method>();
        if (!enabled()) {
            return methods;
        }
        resources.forEach((path, resource) -> methods.add(addPreflight(path, resource)));
        return methods;
    }

    private Method addPreflight(String path, Resource resource) {
        var allowMethods = policy.getProperty("allowMethods." + path);
        if (allowMethods == null) {
            throw new IllegalStateException(POLICY_FILE + " names no methods for " + path);
        }
        var headers = new LinkedHashMap<String, String>();
        headers.put("Access-Control-Allow-Methods", allowMethods.strip());
        headers.put("Access-Control-Allow-Headers", policy.getProperty("allowHeaders").strip());
        headers.put("Access-Control-Max-Age", policy.getProperty("maxAgeSeconds").strip());
        var any = origins.equals(List.of("*"));
        if (any) {
            headers.put("Access-Control-Allow-Origin", "*");
        } else {
            headers.put("Vary", "Origin");
        }
        var integrationParameters = new LinkedHashMap<String, String>();
        var methodParameters = new LinkedHashMap<String, Boolean>();
        headers.forEach((name, value) -> {
            integrationParameters.put("method.response.header." + name, "'" + value + "'");
            methodParameters.put("method.response.header." + name, true);
        });
        // named back by the template below, only for an origin that matches
        methodParameters.put("method.response.header.Access-Control-Allow-Origin", true);
        var response = IntegrationResponse.builder()
                .statusCode("204")
                .responseParameters(integrationParameters);
        if (!any) {
            response.responseTemplates(Map.of("application/json", originTemplate()));
        }
        return resource.addMethod("OPTIONS", MockIntegration.Builder.create()
                        .requestTemplates(Map.of("application/json", "{\"statusCode\": 200}"))
                        .passthroughBehavior(PassthroughBehavior.WHEN_NO_MATCH)
                        .integrationResponses(List.of(response.build()))
                        .build(),
                MethodOptions.builder()
                        .methodResponses(List.of(MethodResponse.builder()
                                .statusCode("204")
                                .responseParameters(methodParameters)
                                .build()))
                        .build());
    }

    /** VTL setting Access-Control-Allow-Origin to the request's Origin when one of the patterns matches it. */
    String originTemplate() {
        var conditions = origins.stream().map(o -> "$origin.matches(\"" + regexOf(o) + "\")").toList();
        return String.join("\n",
                "#set($origin = $input.params().header.get(\"Origin\"))",
                "#if(\"$!origin\" == \"\")#set($origin = $input.params().header.get(\"origin\"))#end",
                "#if(\"$!origin\" != \"\" && (" + String.join(" || ", conditions) + "))",
                "#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)",
                "#end");
    }

    /** The Java regular expression of an origin pattern, the same the function's CorsPolicy matches with. */
    static String regexOf(String origin) {
        var anyPort = origin.endsWith(":*");
        var base = anyPort ? origin.substring(0, origin.length() - 2) : origin;
        return "^" + base.replace(".", "[.]") + (anyPort ? "(:[0-9]{1,5})?" : "") + "$";
    }

}
