package com.orderflow.local.s3;

import com.robothy.s3.rest.LocalS3;
import com.robothy.s3.rest.bootstrap.LocalS3Mode;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A versioning S3 endpoint on this machine (LocalS3), in memory or persisted under a directory
 * so that stored objects survive a restart.
 */
public final class LocalS3Server implements AutoCloseable {

    private final LocalS3 localS3;
    private final Path dataDir;

    private LocalS3Server(LocalS3 localS3, Path dataDir) {
        this.localS3 = localS3;
        this.dataDir = dataDir;
    }

    /**
     * Starts LocalS3.
     *
     * @param port    0 for any free port
     * @param dataDir where objects are kept, or empty for memory only
     * @throws BindException when the port is in use
     */
    public static LocalS3Server start(int port, Optional<Path> dataDir) throws IOException {
        if (port != 0) {
            ensureFree(port);
        }
        // LocalS3's own buffer handling trips Netty's leak detector, whose reports (through JUL, since
        // Netty ignores SLF4J's no-op binding) would bury the stack's output; they are not ours to fix
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        var builder = LocalS3.builder()
                .port(port == 0 ? -1 : port)
                .initialDataCacheEnabled(false);
        if (dataDir.isPresent()) {
            Files.createDirectories(dataDir.get());
            builder.mode(LocalS3Mode.PERSISTENCE).dataPath(dataDir.get().toString());
        } else {
            builder.mode(LocalS3Mode.IN_MEMORY);
        }
        LocalS3 localS3 = builder.build();
        try {
            localS3.start();
        } catch (Exception e) {
            // Netty rethrows the bind failure undeclared
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                throw new BindException("Port " + port + " is already in use");
            }
            throw e;
        }
        return new LocalS3Server(localS3, dataDir.orElse(null));
    }

    private static void ensureFree(int port) throws BindException {
        try (var socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new BindException("Port " + port + " is already in use");
        }
    }

    public int port() {
        return localS3.getPort();
    }

    /** The endpoint URL to give S3 clients. */
    public URI endpoint() {
        return URI.create("http://localhost:" + port());
    }

    /** Where objects are persisted, or empty in memory mode. */
    public Optional<Path> dataDir() {
        return Optional.ofNullable(dataDir);
    }

    /** A new S3 client for this endpoint (path-style, fixed local credentials). */
    public S3Client newClient() {
        return clientFor(endpoint());
    }

    /** An S3 client for a local endpoint: path-style, fixed credentials, checksums only where required. */
    public static S3Client clientFor(URI endpoint) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .forcePathStyle(true)
                // LocalS3 predates the SDK's default flexible checksums (aws-chunked uploads)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @Override
    public void close() {
        try {
            localS3.shutdown();
        } catch (IllegalStateException e) {
            // already stopped (e.g. by LocalS3's own shutdown hook)
        }
    }
}
