package com.orderflow.local.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Puts the orders bucket back together after an unclean stop. LocalS3 (persistence mode) keeps each object's bytes
 * in its own file under {@code .storage/} but rewrites the bucket's whole index, {@code <bucket>.bucket.meta}, in
 * place on every change; a kill during that rewrite leaves the index empty or cut short and LocalS3 cannot start.
 * The object files are intact, and every one of them in the orders bucket is an order record naming its order and
 * time, which is all it takes to store them again as the versions of {@code orders/{orderId}.json}, oldest first.
 */
public final class BucketMetadataRepair {

    private static final String SUFFIX = ".bucket.meta";
    private static final Pattern ORDER_ID = Pattern.compile("^ord_[0-9a-z]{26}$");

    /**
     * A bucket whose index was damaged and moved aside.
     *
     * @param bucket      the bucket's name
     * @param quarantined where the damaged index now lies
     * @param objectFiles the object files no intact index refers to: the damaged bucket's versions
     */
    public record Damaged(String bucket, Path quarantined, List<Path> objectFiles) {
    }

    private BucketMetadataRepair() {
    }

    /**
     * Before LocalS3 starts: moves every bucket index that is not complete JSON out of LocalS3's way and lists the
     * object files that only it could have referred to.
     */
    public static List<Damaged> quarantine(Path s3DataDir) throws IOException {
        if (!Files.isDirectory(s3DataDir)) {
            return List.of();
        }
        var intact = new StringBuilder();
        var damagedIndexes = new ArrayList<Path>();
        try (var files = Files.list(s3DataDir)) {
            for (Path index : files.filter(p -> fileName(p).endsWith(SUFFIX)).sorted().toList()) {
                String text = Files.readString(index, StandardCharsets.UTF_8);
                if (isCompleteJson(text)) {
                    intact.append(text);
                } else {
                    damagedIndexes.add(index);
                }
            }
        }
        if (damagedIndexes.isEmpty()) {
            return List.of();
        }
        var orphans = new ArrayList<Path>();
        Path storage = s3DataDir.resolve(".storage");
        if (Files.isDirectory(storage)) {
            try (var files = Files.list(storage)) {
                files.filter(Files::isRegularFile).filter(f -> intact.indexOf(fileName(f)) < 0).sorted()
                        .forEach(orphans::add);
            }
        }
        var damaged = new ArrayList<Damaged>();
        for (Path index : damagedIndexes) {
            String name = fileName(index);
            Path aside = index.resolveSibling(name + ".damaged-" + System.currentTimeMillis());
            Files.move(index, aside, StandardCopyOption.ATOMIC_MOVE);
            // with several damaged buckets the orphans cannot be told apart; each repair takes only its own records
            damaged.add(new Damaged(name.substring(0, name.length() - SUFFIX.length()), aside, List.copyOf(orphans)));
        }
        return damaged;
    }

    /**
     * After the bucket exists again: stores every order record among the damaged bucket's object files as a new
     * version of its order, oldest first, then deletes those files (the new versions have their own).
     *
     * @return how many versions were stored again
     */
    public static int restoreOrders(S3Client s3, Damaged damaged) throws IOException {
        record Version(Path file, String orderId, Instant updatedAt, byte[] bytes) {
        }
        var versions = new ArrayList<Version>();
        for (Path file : damaged.objectFiles()) {
            byte[] bytes = Files.readAllBytes(file);
            JsonNode record;
            try {
                record = Json.mapper().readTree(bytes);
            } catch (IOException e) {
                continue; // cut short by the kill: its PUT never returned, so nothing relied on it
            }
            String orderId = record == null ? null : record.path("orderId").asText(null);
            String updatedAt = record == null ? null : record.path("updatedAt").asText(null);
            if (orderId == null || updatedAt == null || !ORDER_ID.matcher(orderId).matches()) {
                continue;
            }
            try {
                versions.add(new Version(file, orderId, Instant.parse(updatedAt), bytes));
            } catch (java.time.format.DateTimeParseException e) {
                // not an order record
            }
        }
        versions.sort(Comparator.comparing(Version::updatedAt));
        for (var version : versions) {
            s3.putObject(b -> b.bucket(damaged.bucket()).key("orders/" + version.orderId() + ".json")
                    .contentType("application/json"), RequestBody.fromBytes(version.bytes()));
        }
        for (var version : versions) {
            Files.deleteIfExists(version.file());
        }
        return versions.size();
    }

    private static String fileName(Path path) {
        Path name = path.getFileName();
        return name == null ? "" : name.toString();
    }

    private static boolean isCompleteJson(String text) {
        try {
            var node = Json.mapper().readTree(text);
            return node != null && node.isObject();
        } catch (IOException e) {
            return false;
        }
    }
}
