package com.orderflow.local.s3;

import com.orderflow.local.http.BlockingHttpServer;
import com.orderflow.local.http.ServerLimits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.auth.scheme.NoAuthAuthScheme;
import software.amazon.awssdk.http.auth.spi.scheme.AuthSchemeOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The local S3 endpoint: the project's own S3 REST API for versioned buckets ({@link S3Handler}) over a
 * {@link S3Store}, in memory or persisted under a directory, on the project's HTTP server.
 */
public final class LocalS3Server implements AutoCloseable {

    /** The largest object body a PutObject may carry here (S3 itself takes 5 GB in one PUT). */
    public static final int MAX_OBJECT_BYTES = 8 << 20;

    private final BlockingHttpServer http;
    private final S3Store store;
    private final Path dataDir;

    private LocalS3Server(BlockingHttpServer http, S3Store store, Path dataDir) {
        this.http = http;
        this.store = store;
        this.dataDir = dataDir;
    }

    /**
     * Opens the store and starts serving.
     *
     * @param bind         where to listen (loopback unless the user asks otherwise)
     * @param port         0 for any free port
     * @param dataDir      where the store's log is kept, or empty for memory only
     * @param syncInterval zero: a write is answered once fsynced; otherwise once the OS has it, fsynced within this
     * @throws java.net.BindException when the port is in use
     */
    public static LocalS3Server start(InetAddress bind, int port, Optional<Path> dataDir, Duration syncInterval)
            throws IOException {
        S3Store store = dataDir.isPresent() ? S3Store.open(dataDir.get(), syncInterval) : S3Store.inMemory();
        try {
            var limits = ServerLimits.defaults().withMaxBodyBytes(MAX_OBJECT_BYTES + (64 << 10));
            var http = BlockingHttpServer.start(bind, port, new S3Handler(store), limits);
            return new LocalS3Server(http, store, dataDir.orElse(null));
        } catch (java.net.BindException e) {
            store.close();
            throw new java.net.BindException("Port " + port + " is already in use");
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** An in-memory S3 on a free loopback port, for tests. */
    public static LocalS3Server inMemory() throws IOException {
        return start(InetAddress.getLoopbackAddress(), 0, Optional.empty(), Duration.ZERO);
    }

    public int port() {
        return http.port();
    }

    /** The address the endpoint listens on. */
    public InetSocketAddress address() {
        return http.address();
    }

    /** The endpoint URL to give S3 clients: localhost, unless bound to one other address. */
    public URI endpoint() {
        return URI.create("http://" + BlockingHttpServer.clientHost(http.address().getAddress()) + ":" + port());
    }


    /** Where objects are persisted, or empty in memory mode. */
    public Optional<Path> dataDir() {
        return Optional.ofNullable(dataDir);
    }

    /** Object versions and delete markers stored. */
    public long versionCount() {
        return store.versionCount();
    }

    /** A new S3 client for this endpoint (path-style, fixed local credentials). */
    public S3Client newClient() {
        return clientFor(endpoint());
    }

    /** Unsigned requests: the SDK's "no auth" scheme, which every client has beside SigV4. */
    public static final List<AuthSchemeOption> NO_AUTH =
            List.of(AuthSchemeOption.builder().schemeId(NoAuthAuthScheme.SCHEME_ID).build());

    /**
     * An S3 client for a local endpoint: path-style, unsigned requests, the JDK's HTTP client, and checksums only
     * where S3 requires them. This server reads no signature, so SigV4 (a tenth of the stack's CPU under load, spent by
     * the handlers' every S3 call) would buy nothing: the auth scheme is "no auth", since anonymous credentials alone
     * still ran the signer, which hashed every body, and the default scheme resolution walked the endpoint rules once
     * more per call (JFR). Unsigned, an upload is its plain body: no aws-chunked encoding, whose per-chunk signatures
     * and 128 KiB chunk buffer were a third of the stack's allocation under load (the server takes the SDK's default
     * aws-chunked uploads as well, {@code S3ApiTest}). The endpoint is resolved without the SDK's rules engine
     * ({@link PathStyleEndpoint}), and an upload goes in one round trip, without {@code Expect: 100-continue}
     * ({@link UploadsInOneRoundTrip}).
     */
    public static S3Client clientFor(URI endpoint) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .endpointProvider(new PathStyleEndpoint(endpoint, Region.US_EAST_1))
                .region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .authSchemeProvider(params -> NO_AUTH)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new UploadsInOneRoundTrip()))
                .build();
    }

    /** Stops serving, then fsyncs and closes the store. */
    @Override
    public void close() throws IOException {
        http.close();
        store.close();
    }
}
