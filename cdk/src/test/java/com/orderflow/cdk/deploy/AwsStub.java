package com.orderflow.cdk.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * A loopback stand-in for CloudFormation (query protocol), S3 (REST, path-style) and STS (query), in AWS's XML wire
 * formats, kept only for what moto's server cannot be made to do: fail a resource and roll back (into
 * UPDATE_ROLLBACK_COMPLETE, or UPDATE_ROLLBACK_FAILED), throttle, reject credentials, hold a stack in any status,
 * report per-resource events over several pages and replacement flags, and record every request so a test can
 * prove none was sent. Everything a correct CloudFormation does is tested against moto instead
 * ({@link DeployerMotoTest}, {@link MotoDeployTest}); this stub is not a second opinion on that.
 */
final class AwsStub implements AutoCloseable {

    static final String ACCOUNT = "123456789012";
    static final String REGION = "eu-west-1";
    static final String NO_CHANGES_REASON =
            "The submitted information didn't contain changes. Submit different information to create a change set.";
    private static final String CFN_NS = "http://cloudformation.amazonaws.com/doc/2010-05-15/";
    private static final String STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";
    private static final Pattern SERVICE = Pattern.compile("Credential=[^/]+/\\d{8}/[^/]+/([^/]+)/aws4_request");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One request as the stub saw it.
     *
     * @param service the signing name from the Authorization header: cloudformation, s3 or sts
     * @param action  the query Action, or the S3 operation the method and path amount to
     * @param params  the form parameters (query protocols) or query parameters (S3)
     * @param path    the request path
     * @param body    the decoded request body
     */
    record Call(String service, String action, Map<String, String> params, String path, byte[] body) {
        String param(String name) {
            return params.get(name);
        }
    }

    /** A stack event as CloudFormation records it. */
    record Event(String id, String logicalId, String physicalId, String type, String status, String reason, Instant time) { }

    /** A stack the stub holds; public fields because tests set them up directly. */
    static final class FakeStack {
        final String name;
        final String id;
        String status;
        String templateBody = "{}";
        final List<Event> events = new ArrayList<>();
        /** Steps still to play before the current operation completes: one per DescribeStacks. */
        final List<Runnable> pending = new ArrayList<>();

        FakeStack(String name, String status) {
            this.name = name;
            this.id = "arn:aws:cloudformation:" + REGION + ":" + ACCOUNT + ":stack/" + name + "/" + UUID.randomUUID();
            this.status = status;
        }
    }

    /** A change set the stub holds. */
    static final class FakeChangeSet {
        final String name;
        final String id;
        final FakeStack stack;
        final String type;
        final String templateBody;
        final List<String[]> changes;
        String status = "CREATE_PENDING";
        String reason;
        int describes;

        FakeChangeSet(String name, FakeStack stack, String type, String templateBody, List<String[]> changes) {
            this.name = name;
            this.id = "arn:aws:cloudformation:" + REGION + ":" + ACCOUNT + ":changeSet/" + name + "/" + UUID.randomUUID();
            this.stack = stack;
            this.type = type;
            this.templateBody = templateBody;
            this.changes = changes;
        }
    }

    private final HttpServer server;
    final List<Call> calls = new CopyOnWriteArrayList<>();
    final Map<String, Map<String, byte[]>> buckets = new LinkedHashMap<>();
    final List<FakeStack> stacks = new ArrayList<>();
    final List<FakeChangeSet> changeSets = new ArrayList<>();
    /** Replacement answers per logical id for Modify changes ("True", "False", "Conditional"); default False. */
    final Map<String, String> replacements = new LinkedHashMap<>();
    /** When set, executing a change set fails this resource with this reason. */
    String failingResource;
    String failureReason;
    /** When set, the rollback after {@link #failingResource} fails too, leaving UPDATE_ROLLBACK_FAILED. */
    boolean rollbackFails;
    /** When set, STS answers GetCallerIdentity with this error code. */
    String stsError;
    /** CloudFormation answers this action with Throttling while {@link #throttleLeft} lasts. */
    private String throttledAction;
    private int throttleLeft;
    /** How many requests were answered with Throttling. */
    int throttled;
    /** When set, CloudFormation answers this action with an error body in JSON, as some emulators do. */
    String jsonErrorAction;
    /** When set, CloudFormation answers this action with AccessDenied (403). */
    String deniedAction;
    private int eventCounter;

    AwsStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ---- test set-up and inspection ------------------------------------------------------------------------

    void bucket(String name) {
        buckets.put(name, new LinkedHashMap<>());
    }

    /**
     * An account bootstrapped as {@code mvn -Pbootstrap} leaves it: the toolkit stack, naming {@code bucket} in its
     * outputs, and the bucket. Bootstrap itself runs against moto ({@link DeployerMotoTest}), not here.
     */
    void bootstrapped(String bucket) {
        bucket(bucket);
        stack(ToolkitStack.NAME, "CREATE_COMPLETE", """
                {"Resources": {"AssetsBucket": {"Type": "AWS::S3::Bucket"}}, "Outputs": {
                  "AssetsBucketName": {"Value": "%s"}, "ToolkitVersion": {"Value": "%d"}}}"""
                .formatted(bucket, ToolkitTemplate.VERSION));
    }

    FakeStack stack(String name, String status, String templateBody) {
        var stack = new FakeStack(name, status);
        stack.templateBody = templateBody;
        stack.events.add(event(stack, stack.name, stack.id, "AWS::CloudFormation::Stack", status, null));
        synchronized (this) {
            stacks.add(stack);
        }
        return stack;
    }

    /** Answers the next {@code times} requests of {@code action} with CloudFormation's Throttling error. */
    void throttle(String action, int times) {
        throttledAction = action;
        throttleLeft = times;
    }

    List<Call> calls(String service) {
        return calls.stream().filter(c -> c.service().equals(service)).toList();
    }

    List<Call> calls(String service, String action) {
        return calls.stream().filter(c -> c.service().equals(service) && c.action().equals(action)).toList();
    }

    List<String> actions(String service) {
        return calls(service).stream().map(Call::action).toList();
    }

    // ---- HTTP ----------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var raw = exchange.getRequestBody().readAllBytes();
            var headers = exchange.getRequestHeaders();
            var sha = headers.getFirst("x-amz-content-sha256");
            var body = sha != null && sha.startsWith("STREAMING-") ? decodeChunked(raw) : raw;
            var auth = Objects.requireNonNullElse(headers.getFirst("Authorization"), "");
            var matcher = SERVICE.matcher(auth);
            var service = matcher.find() ? matcher.group(1) : "unsigned";
            Reply reply;
            synchronized (this) {
                reply = switch (service) {
                    case "s3" -> s3(exchange.getRequestMethod(), exchange.getRequestURI(), body);
                    case "sts" -> sts(form(new String(body, StandardCharsets.UTF_8)));
                    case "cloudformation" -> cloudFormation(form(new String(body, StandardCharsets.UTF_8)));
                    default -> new Reply(403, "", Map.of());
                };
            }
            var bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.getResponseHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
            if (bytes.length > 0) {
                exchange.getResponseHeaders().add("Content-Type", "text/xml");
            }
            var head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(reply.status(), head || bytes.length == 0 ? -1 : bytes.length);
            if (!head && bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            throw e;
        }
    }

    private record Reply(int status, String body, Map<String, String> headers) { }

    private void record(String service, String action, Map<String, String> params, String path, byte[] body) {
        calls.add(new Call(service, action, params, path, body));
    }

    // ---- STS -----------------------------------------------------------------------------------------------

    private Reply sts(Map<String, String> params) {
        record("sts", params.get("Action"), params, "/", new byte[0]);
        if (stsError != null) {
            return new Reply(403, """
                    <ErrorResponse xmlns="%s"><Error><Type>Sender</Type><Code>%s</Code>\
                    <Message>The security token included in the request is expired</Message></Error>\
                    <RequestId>%s</RequestId></ErrorResponse>""".formatted(STS_NS, stsError, UUID.randomUUID()), Map.of());
        }
        return new Reply(200, """
                <GetCallerIdentityResponse xmlns="%s"><GetCallerIdentityResult>\
                <Arn>arn:aws:sts::%s:assumed-role/Deployer/dev</Arn><UserId>AROAEXAMPLE:dev</UserId>\
                <Account>%s</Account></GetCallerIdentityResult>\
                <ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata></GetCallerIdentityResponse>"""
                .formatted(STS_NS, ACCOUNT, ACCOUNT, UUID.randomUUID()), Map.of());
    }

    // ---- S3 ------------------------------------------------------------------------------------------------

    private Reply s3(String method, URI uri, byte[] body) {
        var path = uri.getRawPath();
        var query = form(Objects.requireNonNullElse(uri.getRawQuery(), ""));
        query.remove("x-id");
        var parts = path.substring(1).split("/", 2);
        var bucket = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
        var key = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : null;
        var action = switch (method) {
            case "HEAD" -> key == null ? "HeadBucket" : "HeadObject";
            case "PUT" -> key == null ? "CreateBucket" : "PutObject";
            default -> method;
        };
        record("s3", action, query, path, body);
        var objects = buckets.get(bucket);
        if (objects == null) {
            return "HEAD".equals(method) ? new Reply(404, "", Map.of()) : s3Error(404, "NoSuchBucket", bucket);
        }
        return switch (action) {
            case "HeadBucket" -> new Reply(200, "", Map.of("x-amz-bucket-region", REGION));
            case "HeadObject" -> objects.containsKey(key)
                    ? new Reply(200, "", Map.of("ETag", etag(objects.get(key)), "Content-Length", String.valueOf(objects.get(key).length)))
                    : new Reply(404, "", Map.of());
            case "PutObject" -> {
                objects.put(key, body);
                yield new Reply(200, "", Map.of("ETag", etag(body)));
            }
            default -> s3Error(501, "NotImplemented", action);
        };
    }

    private static Reply s3Error(int status, String code, String resource) {
        return new Reply(status, """
                <?xml version="1.0" encoding="UTF-8"?>
                <Error><Code>%s</Code><Message>The specified resource does not exist</Message>\
                <Resource>%s</Resource><RequestId>%s</RequestId></Error>""".formatted(code, resource, UUID.randomUUID()),
                Map.of());
    }

    private static String etag(byte[] body) {
        try {
            return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body)) + "\"";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Undoes aws-chunked content encoding: "size;chunk-signature=...\r\n" data "\r\n" ... "0...\r\n" trailers. */
    static byte[] decodeChunked(byte[] raw) {
        var out = new ByteArrayOutputStream();
        var pos = 0;
        while (pos < raw.length) {
            var lineEnd = pos;
            while (raw[lineEnd] != '\r' || raw[lineEnd + 1] != '\n') {
                lineEnd++;
            }
            var header = new String(raw, pos, lineEnd - pos, StandardCharsets.US_ASCII);
            var size = Integer.parseInt(header.split(";")[0].trim(), 16);
            pos = lineEnd + 2;
            if (size == 0) {
                break;
            }
            out.write(raw, pos, size);
            pos += size + 2;
        }
        return out.toByteArray();
    }

    // ---- CloudFormation ------------------------------------------------------------------------------------

    private Reply cloudFormation(Map<String, String> p) {
        var action = p.get("Action");
        record("cloudformation", action, p, "/", new byte[0]);
        if (action.equals(jsonErrorAction)) {
            return new Reply(400, "{\"__type\": \"BadRequestException\", \"message\": \"The REST API doesn't contain"
                    + " any methods\"}", Map.of());
        }
        if (action.equals(deniedAction)) {
            return error(403, "AccessDenied", "User is not authorized to perform: cloudformation:" + action);
        }
        if (action.equals(throttledAction) && throttleLeft > 0) {
            throttleLeft--;
            throttled++;
            return error(400, "Throttling", "Rate exceeded");
        }
        return switch (action) {
            case "DescribeStacks" -> {
                var stack = findStack(p.get("StackName"));
                if (stack == null) {
                    yield validationError("Stack with id " + p.get("StackName") + " does not exist");
                }
                if (!stack.pending.isEmpty()) {
                    stack.pending.removeFirst().run();
                }
                yield ok(action, "<Stacks><member>" + stackXml(stack) + "</member></Stacks>");
            }
            case "CreateChangeSet" -> createChangeSet(p);
            case "DescribeChangeSet" -> {
                var cs = findChangeSet(p.get("ChangeSetName"));
                if (cs == null) {
                    yield error(404, "ChangeSetNotFound", "ChangeSet [" + p.get("ChangeSetName") + "] does not exist");
                }
                // the first look finds it still being computed, as on AWS
                if (cs.describes++ > 0 && cs.status.equals("CREATE_PENDING")) {
                    cs.status = cs.changes.isEmpty() ? "FAILED" : "CREATE_COMPLETE";
                    cs.reason = cs.changes.isEmpty() ? NO_CHANGES_REASON : null;
                }
                var changes = new StringBuilder();
                for (var c : cs.changes) {
                    changes.append("<member><Type>Resource</Type><ResourceChange><Action>").append(c[0])
                            .append("</Action><LogicalResourceId>").append(c[1]).append("</LogicalResourceId>")
                            .append("<ResourceType>").append(c[2]).append("</ResourceType>")
                            .append(c[3] == null ? "" : "<Replacement>" + c[3] + "</Replacement>")
                            .append("<Scope>").append(c[0].equals("Modify") ? "<member>Properties</member>" : "")
                            .append("</Scope><Details/></ResourceChange></member>");
                }
                yield ok(action, "<ChangeSetName>" + cs.name + "</ChangeSetName><ChangeSetId>" + cs.id + "</ChangeSetId>"
                        + "<StackId>" + cs.stack.id + "</StackId><StackName>" + cs.stack.name + "</StackName>"
                        + "<Status>" + cs.status + "</Status>"
                        + (cs.reason == null ? "" : "<StatusReason>" + xml(cs.reason) + "</StatusReason>")
                        + "<ExecutionStatus>" + (cs.status.equals("CREATE_COMPLETE") ? "AVAILABLE" : "UNAVAILABLE")
                        + "</ExecutionStatus><CreationTime>" + Instant.now() + "</CreationTime>"
                        + "<Changes>" + changes + "</Changes>");
            }
            case "ListChangeSets" -> {
                var stack = findStack(p.get("StackName"));
                var members = new StringBuilder();
                changeSets.stream().filter(cs -> cs.stack == stack).forEach(cs -> members
                        .append("<member><ChangeSetName>").append(cs.name).append("</ChangeSetName><ChangeSetId>")
                        .append(cs.id).append("</ChangeSetId><StackName>").append(cs.stack.name).append("</StackName>")
                        .append("<Status>").append(cs.status).append("</Status></member>"));
                yield ok(action, "<Summaries>" + members + "</Summaries>");
            }
            case "DeleteChangeSet" -> {
                changeSets.remove(findChangeSet(p.get("ChangeSetName")));
                yield ok(action, "");
            }
            case "ExecuteChangeSet" -> executeChangeSet(findChangeSet(p.get("ChangeSetName")));
            case "DescribeStackEvents" -> describeEvents(p);
            case "DeleteStack" -> {
                var stack = findStack(p.get("StackName"));
                if (stack != null) {
                    deleteStack(stack);
                }
                yield ok(action, "");
            }
            default -> validationError("stub does not implement " + action);
        };
    }

    private Reply createChangeSet(Map<String, String> p) {
        var name = p.get("StackName");
        var type = p.get("ChangeSetType");
        var body = p.get("TemplateBody");
        var stack = findStack(name);
        if ("CREATE".equals(type)) {
            if (stack != null && !stack.status.equals("REVIEW_IN_PROGRESS")) {
                return error(400, "AlreadyExistsException", "Stack [" + name + "] already exists");
            }
            if (stack == null) {
                stack = stack(name, "REVIEW_IN_PROGRESS", "{}");
            }
        } else if (stack == null) {
            return validationError("Stack [" + name + "] does not exist");
        }
        var cs = new FakeChangeSet(p.get("ChangeSetName"), stack, type, body, changes(stack.templateBody, body));
        changeSets.add(cs);
        return ok("CreateChangeSet", "<Id>" + cs.id + "</Id><StackId>" + stack.id + "</StackId>");
    }

    /** Add / Remove / Modify per logical id, comparing the resources of two templates. */
    private List<String[]> changes(String before, String after) {
        var changes = new ArrayList<String[]>();
        var old = resourceNodes(before);
        var now = resourceNodes(after);
        now.forEach((id, node) -> {
            var type = node.path("Type").asText();
            if (!old.containsKey(id)) {
                changes.add(new String[] {"Add", id, type, null});
            } else if (!old.get(id).equals(node)) {
                changes.add(new String[] {"Modify", id, type, replacements.getOrDefault(id, "False")});
            }
        });
        old.forEach((id, node) -> {
            if (!now.containsKey(id)) {
                changes.add(new String[] {"Remove", id, node.path("Type").asText(), null});
            }
        });
        if (changes.isEmpty() && !json(before).equals(json(after))) {
            // outputs or metadata only: CloudFormation still has something to do
            changes.add(new String[] {"Modify", "(stack)", "AWS::CloudFormation::Stack", "False"});
        }
        return changes;
    }

    private Reply executeChangeSet(FakeChangeSet cs) {
        var stack = cs.stack;
        var create = cs.type.equals("CREATE");
        var verb = create ? "CREATE" : "UPDATE";
        stack.status = verb + "_IN_PROGRESS";
        stack.events.add(event(stack, stack.name, stack.id, "AWS::CloudFormation::Stack", stack.status, "User Initiated"));
        changeSets.remove(cs);
        var resources = resources(cs.templateBody);
        for (var entry : resources.entrySet()) {
            var id = entry.getKey();
            stack.pending.add(() -> stack.events.add(event(stack, id, "", entry.getValue(), verb + "_IN_PROGRESS", null)));
            if (id.equals(failingResource)) {
                stack.pending.add(() -> {
                    stack.events.add(event(stack, id, "", entry.getValue(), verb + "_FAILED", failureReason));
                    stack.status = create ? "ROLLBACK_IN_PROGRESS" : "UPDATE_ROLLBACK_IN_PROGRESS";
                    stack.events.add(event(stack, stack.name, stack.id, "AWS::CloudFormation::Stack", stack.status,
                            "The following resource(s) failed: [" + id + "]"));
                });
                stack.pending.add(() -> {
                    stack.status = create ? "ROLLBACK_COMPLETE"
                            : rollbackFails ? "UPDATE_ROLLBACK_FAILED" : "UPDATE_ROLLBACK_COMPLETE";
                    stack.events.add(event(stack, stack.name, stack.id, "AWS::CloudFormation::Stack", stack.status, null));
                });
                return ok("ExecuteChangeSet", "");
            }
            stack.pending.add(() -> stack.events.add(event(stack, id, physicalId(stack, id), entry.getValue(),
                    verb + "_COMPLETE", null)));
        }
        stack.pending.add(() -> {
            stack.templateBody = cs.templateBody;
            stack.status = verb + "_COMPLETE";
            stack.events.add(event(stack, stack.name, stack.id, "AWS::CloudFormation::Stack", stack.status, null));
        });
        return ok("ExecuteChangeSet", "");
    }

    private void deleteStack(FakeStack stack) {
        stack.status = "DELETE_IN_PROGRESS";
        stack.events.add(event(stack, stack.name, stack.id, "AWS::CloudFormation::Stack", stack.status, "User Initiated"));
        var template = json(stack.templateBody).path("Resources");
        for (var entry : template.properties()) {
            var retain = entry.getValue().path("DeletionPolicy").asText("Delete").startsWith("Retain");
            var type = entry.getValue().path("Type").asText();
            stack.pending.add(() -> stack.events.add(event(stack, entry.getKey(), physicalId(stack, entry.getKey()), type,
                    retain ? "DELETE_SKIPPED" : "DELETE_COMPLETE", null)));
        }
        stack.pending.add(() -> {
            stack.status = "DELETE_COMPLETE";
            stack.events.add(event(stack, stack.name, stack.id, "AWS::CloudFormation::Stack", stack.status, null));
        });
    }

    private Reply describeEvents(Map<String, String> p) {
        var stack = findStack(p.get("StackName"));
        if (stack == null) {
            return validationError("Stack [" + p.get("StackName") + "] does not exist");
        }
        // newest first, three to a page, so that the deployer's paging is exercised
        var newestFirst = stack.events.reversed();
        var from = p.containsKey("NextToken") ? Integer.parseInt(p.get("NextToken")) : 0;
        var to = Math.min(from + 3, newestFirst.size());
        var members = new StringBuilder();
        for (var e : newestFirst.subList(from, to)) {
            members.append("<member><StackId>").append(stack.id).append("</StackId><EventId>").append(e.id())
                    .append("</EventId><StackName>").append(stack.name).append("</StackName><LogicalResourceId>")
                    .append(e.logicalId()).append("</LogicalResourceId><PhysicalResourceId>").append(e.physicalId())
                    .append("</PhysicalResourceId><ResourceType>").append(e.type()).append("</ResourceType><Timestamp>")
                    .append(e.time()).append("</Timestamp><ResourceStatus>").append(e.status()).append("</ResourceStatus>")
                    .append(e.reason() == null ? "" : "<ResourceStatusReason>" + xml(e.reason()) + "</ResourceStatusReason>")
                    .append("</member>");
        }
        return ok("DescribeStackEvents", "<StackEvents>" + members + "</StackEvents>"
                + (to < newestFirst.size() ? "<NextToken>" + to + "</NextToken>" : ""));
    }

    private FakeStack findStack(String nameOrId) {
        for (var stack : stacks.reversed()) {
            if (stack.id.equals(nameOrId) || (stack.name.equals(nameOrId) && !stack.status.equals("DELETE_COMPLETE"))) {
                return stack;
            }
        }
        return null;
    }

    private FakeChangeSet findChangeSet(String nameOrId) {
        return changeSets.stream().filter(cs -> cs.id.equals(nameOrId) || cs.name.equals(nameOrId)).findFirst().orElse(null);
    }

    private String stackXml(FakeStack stack) {
        var outputs = new StringBuilder();
        if (stack.status.endsWith("_COMPLETE") && !stack.status.startsWith("DELETE")) {
            for (var output : json(stack.templateBody).path("Outputs").properties()) {
                var value = output.getValue().path("Value");
                outputs.append("<member><OutputKey>").append(output.getKey()).append("</OutputKey><OutputValue>")
                        .append(xml(value.isTextual() ? value.asText()
                                : physicalId(stack, value.path("Ref").asText(output.getKey()))))
                        .append("</OutputValue></member>");
            }
        }
        return "<StackId>" + stack.id + "</StackId><StackName>" + stack.name + "</StackName>"
                + "<CreationTime>2026-01-01T00:00:00Z</CreationTime><StackStatus>" + stack.status + "</StackStatus>"
                + "<Outputs>" + outputs + "</Outputs>";
    }

    private Event event(FakeStack stack, String logicalId, String physicalId, String type, String status, String reason) {
        return new Event(stack.name + "-" + (++eventCounter), logicalId, physicalId, type, status, reason,
                Instant.parse("2026-01-01T00:00:00Z").plusSeconds(eventCounter));
    }

    private static String physicalId(FakeStack stack, String logicalId) {
        return (stack.name + "-" + logicalId).toLowerCase();
    }

    private static Map<String, String> resources(String template) {
        var types = new LinkedHashMap<String, String>();
        resourceNodes(template).forEach((id, node) -> types.put(id, node.path("Type").asText()));
        return types;
    }

    private static Map<String, JsonNode> resourceNodes(String template) {
        var nodes = new TreeMap<String, JsonNode>();
        json(template).path("Resources").properties().forEach(e -> nodes.put(e.getKey(), e.getValue()));
        return nodes;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Reply ok(String action, String result) {
        return new Reply(200, "<" + action + "Response xmlns=\"" + CFN_NS + "\"><" + action + "Result>" + result + "</"
                + action + "Result><ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata></"
                + action + "Response>", Map.of());
    }

    private static Reply validationError(String message) {
        return error(400, "ValidationError", message);
    }

    private static Reply error(int status, String code, String message) {
        return new Reply(status, "<ErrorResponse xmlns=\"" + CFN_NS + "\"><Error><Type>Sender</Type><Code>" + code
                + "</Code><Message>" + xml(message) + "</Message></Error><RequestId>" + UUID.randomUUID()
                + "</RequestId></ErrorResponse>", Map.of());
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static Map<String, String> form(String body) {
        var params = new LinkedHashMap<String, String>();
        if (body.isEmpty()) {
            return params;
        }
        for (var pair : body.split("&")) {
            var eq = pair.indexOf('=');
            var key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            var value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }
}
