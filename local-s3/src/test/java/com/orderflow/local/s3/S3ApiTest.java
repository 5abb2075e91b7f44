package com.orderflow.local.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The local S3 through the real AWS SDK, configured as an application would configure it for S3 (its default
 * checksums, so PutObject bodies arrive aws-chunked with a trailing checksum).
 */
class S3ApiTest {

    private static LocalS3Server server;
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        server = LocalS3Server.inMemory();
        s3 = S3Client.builder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
        server.close();
    }

    private static String versionedBucket(String name) {
        s3.createBucket(b -> b.bucket(name));
        s3.putBucketVersioning(b -> b.bucket(name).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        return name;
    }

    @Test
    void everyPut_isANewVersion_readableByItsId_newestFirstInTheListing() {
        String bucket = versionedBucket("versions");
        var ids = new ArrayList<String>();
        for (int i = 1; i <= 3; i++) {
            int n = i;
            ids.add(s3.putObject(b -> b.bucket(bucket).key("orders/o-1.json").contentType("application/json")
                    .metadata(Map.of("status", "S" + n)), RequestBody.fromString("{\"v\":" + n + "}")).versionId());
        }
        assertThat(ids).doesNotHaveDuplicates().doesNotContain("null");

        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("orders/o-1.json")).asUtf8String()).isEqualTo("{\"v\":3}");
        var first = s3.getObjectAsBytes(b -> b.bucket(bucket).key("orders/o-1.json").versionId(ids.get(0)));
        assertThat(first.asUtf8String()).isEqualTo("{\"v\":1}");
        assertThat(first.response().metadata()).containsEntry("status", "S1");
        assertThat(first.response().contentType()).isEqualTo("application/json");
        assertThat(first.response().eTag()).isEqualTo("\"" + md5Hex("{\"v\":1}") + "\"");

        var versions = s3.listObjectVersions(b -> b.bucket(bucket).prefix("orders/o-1.json")).versions();
        assertThat(versions).extracting(ObjectVersion::versionId).containsExactly(ids.get(2), ids.get(1), ids.get(0));
        assertThat(versions).extracting(ObjectVersion::isLatest).containsExactly(true, false, false);
        assertThat(versions).extracting(ObjectVersion::size).containsOnly(7L);

        var head = s3.headObject(b -> b.bucket(bucket).key("orders/o-1.json").versionId(ids.get(1)));
        assertThat(head.contentLength()).isEqualTo(7L);
        assertThat(head.versionId()).isEqualTo(ids.get(1));
    }

    @Test
    void versionListing_pagesWithKeyAndVersionMarkers_withoutLosingOrRepeatingAVersion() {
        String bucket = versionedBucket("paging");
        var written = new ArrayList<String>();
        for (int k = 0; k < 7; k++) {
            for (int v = 0; v < 3; v++) {
                String key = "orders/" + k + ".json";
                written.add(key + "@" + s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("x")).versionId());
            }
        }
        s3.putObject(b -> b.bucket(bucket).key("other/skip.json"), RequestBody.fromString("x"));

        var seen = new ArrayList<String>();
        int pages = 0;
        String keyMarker = null;
        String versionMarker = null;
        while (true) {
            String km = keyMarker;
            String vm = versionMarker;
            var page = s3.listObjectVersions(b -> b.bucket(bucket).prefix("orders/").maxKeys(4).keyMarker(km).versionIdMarker(vm));
            pages++;
            page.versions().forEach(v -> seen.add(v.key() + "@" + v.versionId()));
            if (!page.isTruncated()) {
                break;
            }
            keyMarker = page.nextKeyMarker();
            versionMarker = page.nextVersionIdMarker();
        }
        assertThat(pages).isEqualTo(6);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(written).doesNotHaveDuplicates();
    }

    @Test
    void delete_leavesAMarker_thatHidesTheObject_andDeletingTheMarkerBringsItBack() {
        String bucket = versionedBucket("markers");
        String kept = s3.putObject(b -> b.bucket(bucket).key("a.json"), RequestBody.fromString("kept")).versionId();

        var deleted = s3.deleteObject(b -> b.bucket(bucket).key("a.json"));
        assertThat(deleted.deleteMarker()).isTrue();
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("a.json"))).isInstanceOf(NoSuchKeyException.class);
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
        var listing = s3.listObjectVersions(b -> b.bucket(bucket));
        assertThat(listing.deleteMarkers()).singleElement().satisfies(m -> assertThat(m.isLatest()).isTrue());
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("a.json").versionId(kept)).asUtf8String()).isEqualTo("kept");

        s3.deleteObject(b -> b.bucket(bucket).key("a.json").versionId(deleted.versionId()));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("a.json")).asUtf8String()).isEqualTo("kept");

        s3.deleteObject(b -> b.bucket(bucket).key("a.json").versionId(kept));
        assertThat(s3.listObjectVersions(b -> b.bucket(bucket)).versions()).isEmpty();
        s3.deleteBucket(b -> b.bucket(bucket));
        assertThatThrownBy(() -> s3.headBucket(b -> b.bucket(bucket))).isInstanceOf(NoSuchBucketException.class);
    }

    @Test
    void listObjectsV2_pagesWithContinuationTokens_andRollsUpCommonPrefixes() {
        s3.createBucket(b -> b.bucket("plain"));
        for (String key : List.of("a/1", "a/2", "b/1", "c", "d", "e")) {
            s3.putObject(b -> b.bucket("plain").key(key), RequestBody.fromString(key));
        }
        var keys = new ArrayList<String>();
        String token = null;
        do {
            String t = token;
            var page = s3.listObjectsV2(b -> b.bucket("plain").maxKeys(2).continuationToken(t));
            page.contents().forEach(o -> keys.add(o.key()));
            token = page.nextContinuationToken();
        } while (token != null);
        assertThat(keys).containsExactly("a/1", "a/2", "b/1", "c", "d", "e");

        var rolled = s3.listObjectsV2(b -> b.bucket("plain").delimiter("/"));
        assertThat(rolled.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("a/", "b/");
        assertThat(rolled.contents()).extracting(S3Object::key).containsExactly("c", "d", "e");

        // an unversioned bucket overwrites in place: one "null" version
        s3.putObject(b -> b.bucket("plain").key("c"), RequestBody.fromString("again"));
        assertThat(s3.listObjectVersions(b -> b.bucket("plain").prefix("c")).versions())
                .singleElement().satisfies(v -> assertThat(v.versionId()).isEqualTo("null"));
    }

    @Test
    void conditionalWrites_rangesAndBatchDeletes_behaveAsOnS3() {
        String bucket = versionedBucket("conditions");
        s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("0123456789"));
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(bucket).key("k").ifNoneMatch("*"), RequestBody.fromString("x")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        s3.putObject(b -> b.bucket(bucket).key("new").ifNoneMatch("*"), RequestBody.fromString("first"));

        var part = s3.getObjectAsBytes(b -> b.bucket(bucket).key("k").range("bytes=2-5"));
        assertThat(part.asUtf8String()).isEqualTo("2345");
        assertThat(part.response().contentRange()).isEqualTo("bytes 2-5/10");

        var result = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(
                ObjectIdentifier.builder().key("k").build(), ObjectIdentifier.builder().key("new").build())));
        assertThat(result.deleted()).hasSize(2).allSatisfy(d -> assertThat(d.deleteMarker()).isTrue());
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
    }

    @Test
    void copyObject_copiesTheBodyAndMetadata_orReplacesTheMetadata_andCopiesAnOlderVersion() {
        s3.createBucket(b -> b.bucket("copies"));
        s3.putBucketVersioning(b -> b.bucket("copies").versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        String first = s3.putObject(b -> b.bucket("copies").key("a b.txt").contentType("text/plain")
                .metadata(Map.of("origin", "test")), RequestBody.fromString("one")).versionId();
        s3.putObject(b -> b.bucket("copies").key("a b.txt").contentType("text/plain"), RequestBody.fromString("two"));

        var copied = s3.copyObject(b -> b.sourceBucket("copies").sourceKey("a b.txt").destinationBucket("copies")
                .destinationKey("latest.txt"));
        var latest = s3.getObjectAsBytes(b -> b.bucket("copies").key("latest.txt"));
        assertThat(latest.asUtf8String()).isEqualTo("two");
        assertThat(latest.response().contentType()).isEqualTo("text/plain");
        assertThat(copied.copyObjectResult().eTag()).isEqualTo(latest.response().eTag());
        assertThat(copied.versionId()).isEqualTo(latest.response().versionId());

        s3.copyObject(b -> b.sourceBucket("copies").sourceKey("a b.txt").sourceVersionId(first)
                .destinationBucket("copies").destinationKey("first.txt"));
        var older = s3.getObjectAsBytes(b -> b.bucket("copies").key("first.txt"));
        assertThat(older.asUtf8String()).isEqualTo("one");
        assertThat(older.response().metadata()).containsEntry("origin", "test");

        s3.copyObject(b -> b.sourceBucket("copies").sourceKey("first.txt").destinationBucket("copies")
                .destinationKey("first.txt").metadataDirective("REPLACE").contentType("application/json"));
        var replaced = s3.headObject(b -> b.bucket("copies").key("first.txt"));
        assertThat(replaced.contentType()).isEqualTo("application/json");
        assertThat(replaced.metadata()).isEmpty();

        assertThatThrownBy(() -> s3.copyObject(b -> b.sourceBucket("copies").sourceKey("absent")
                .destinationBucket("copies").destinationKey("x"))).isInstanceOf(NoSuchKeyException.class);
        assertThatThrownBy(() -> s3.copyObject(b -> b.sourceBucket("copies").sourceKey("latest.txt")
                .destinationBucket("copies").destinationKey("latest.txt")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequest"));
    }

    @Test
    void mistakes_getS3sErrorCodes() {
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("no-such-bucket").key("k")))
                .isInstanceOf(NoSuchBucketException.class);
        s3.createBucket(b -> b.bucket("errors"));
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("errors").key("missing")))
                .isInstanceOf(NoSuchKeyException.class);
        assertThatThrownBy(() -> s3.createBucket(b -> b.bucket("errors")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BucketAlreadyOwnedByYou"));
        s3.putObject(b -> b.bucket("errors").key("k"), RequestBody.fromString("x"));
        assertThatThrownBy(() -> s3.deleteBucket(b -> b.bucket("errors")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BucketNotEmpty"));
        assertThatThrownBy(() -> s3.getBucketPolicy(b -> b.bucket("errors")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(501);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NotImplemented");
                });
    }

    @Test
    void virtualHostedRequests_nameTheBucketInTheHost() throws Exception {
        s3.createBucket(b -> b.bucket("hosted"));
        s3.putObject(b -> b.bucket("hosted").key("dir/file.txt"), RequestBody.fromString("hello"));
        // the request goes to loopback with the Host header a virtual-hosted client sends
        try (var socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.port())) {
            var out = socket.getOutputStream();
            out.write(("GET /dir/file.txt HTTP/1.1\r\nHost: hosted.localhost:" + server.port() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200").endsWith("hello");
        }
        try (var client = HttpClient.newHttpClient()) {
            var listing = client.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/hosted?list-type=2")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(listing.headers().firstValue("Content-Type")).contains("application/xml");
            assertThat(listing.body()).contains("<Key>dir/file.txt</Key>");
        }
    }

    private static String md5Hex(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
