package com.orderflow.api.orders;

import com.orderflow.order.OrderId;
import com.orderflow.json.Json;
import com.orderflow.order.OrderIndex;
import com.orderflow.order.OrderRecord;
import com.orderflow.order.OrderStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * Reads what the workflow stored: every status of an order is a version of {@code orders/{orderId}.json} in a
 * versioned bucket. Callers pass only ids that passed {@link OrderId#isValid}; this class checks again because
 * it is the one that turns ids into keys.
 */
public final class OrderStore {

    /** One stored version of an order with S3's own bookkeeping. */
    public record StoredVersion(String versionId, Instant storedAt, boolean latest, OrderRecord record) {
    }

    /** A page of current records in key order, and where the next page starts (null on the last page). */
    public record Listing(List<OrderRecord> records, PageToken next) {
    }

    /** Parallel GETs per request; enough to hide S3 latency without opening a connection per object. */
    private static final int MAX_CONCURRENT_GETS = 8;
    /** Versions read for one history; an order passes through two or three statuses, so this is only a guard. */
    private static final int MAX_VERSIONS = 1000;

    private final S3Client s3;
    private final String bucket;

    public OrderStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** The latest stored record of an order, if the workflow stored one yet. */
    public Optional<OrderRecord> current(String orderId) {
        return Optional.ofNullable(read(key(orderId), null));
    }

    /** Up to {@code limit} current records, continuing after {@code after} when given. */
    public Listing list(int limit, PageToken after) {
        var listing = s3.listObjectsV2(b -> {
            b.bucket(bucket).prefix(OrderRecord.KEY_PREFIX).maxKeys(limit);
            if (after != null) {
                b.startAfter(after.afterKey());
            }
        });
        var keys = listing.contents().stream().map(S3Object::key).filter(OrderStore::isOrderKey).toList();
        var records = fetchAll(keys, key -> read(key, null)).stream().filter(Objects::nonNull).toList();
        PageToken next = null;
        if (Boolean.TRUE.equals(listing.isTruncated()) && !listing.contents().isEmpty()) {
            next = new PageToken(listing.contents().getLast().key());
        }
        return new Listing(records, next);
    }

    /**
     * Up to {@code limit} current records that {@code filter} selects, newest created first, continuing after the
     * index position {@code after} when given. Each status asked for is one listing of its {@link OrderIndex} prefix
     * from the page's start, at most {@code limit + 1} entries; the lists merge by position (they share one order),
     * and only the page's own entries' records are read. An entry whose record says another status (the moment
     * between PersistOrder's writes) is left out, so a page can hold fewer than {@code limit} and still go on.
     */
    public Listing list(OrderFilter filter, int limit, PageToken after) {
        var start = after == null ? null : after.afterKey();
        if (filter.createdBefore() != null) {
            var boundary = OrderIndex.boundary(filter.createdBefore());
            start = start == null || start.compareTo(boundary) < 0 ? boundary : start;
        }
        var end = filter.createdAfter() == null ? null : OrderIndex.boundary(filter.createdAfter());
        var candidates = new TreeMap<String, EnumSet<OrderStatus>>();
        var more = false;
        for (var status : filter.statuses()) {
            var prefix = OrderIndex.prefix(status);
            var from = start;
            var listing = s3.listObjectsV2(b -> {
                b.bucket(bucket).prefix(prefix).maxKeys(limit + 1);
                if (from != null) {
                    b.startAfter(prefix + from);
                }
            });
            var pastEnd = false;
            for (var object : listing.contents()) {
                var position = object.key().substring(prefix.length());
                pastEnd = end != null && position.compareTo(end) > 0;
                if (OrderIndex.isPosition(position) && !pastEnd) {
                    candidates.computeIfAbsent(position, p -> EnumSet.noneOf(OrderStatus.class)).add(status);
                }
            }
            // a listing cut short before the range ended has more to give
            more |= Boolean.TRUE.equals(listing.isTruncated()) && !pastEnd;
        }
        var page = new ArrayList<>(candidates.keySet());
        if (page.size() > limit) {
            page = new ArrayList<>(page.subList(0, limit));
            more = true;
        }
        var records = fetchAll(page, position -> {
            var record = read(OrderRecord.key(OrderIndex.orderIdOf(position)), null);
            return record != null && candidates.get(position).contains(record.status()) ? record : null;
        });
        var next = more && !page.isEmpty() ? new PageToken(PageToken.Kind.NEWEST_FIRST, page.getLast()) : null;
        return new Listing(records.stream().filter(Objects::nonNull).toList(), next);
    }

    /** Every stored version of an order, oldest first; empty when nothing was stored. */
    public List<StoredVersion> versions(String orderId) {
        var key = key(orderId);
        var found = new ArrayList<ObjectVersion>();
        String keyMarker = null;
        String versionMarker = null;
        while (found.size() < MAX_VERSIONS) {
            var km = keyMarker;
            var vm = versionMarker;
            var page = s3.listObjectVersions(b -> b.bucket(bucket).prefix(key).keyMarker(km).versionIdMarker(vm));
            page.versions().stream().filter(v -> key.equals(v.key())).forEach(found::add);
            if (!Boolean.TRUE.equals(page.isTruncated())) {
                break;
            }
            keyMarker = page.nextKeyMarker();
            versionMarker = page.nextVersionIdMarker();
        }
        // S3 lists a key's versions newest first; reversing keeps versions stored within one second in order
        Collections.reverse(found);
        var ordered = found.stream().sorted(Comparator.comparing(ObjectVersion::lastModified)).toList();
        var versions = fetchAll(ordered, v -> {
            var record = read(key, v.versionId());
            return record == null ? null : new StoredVersion(v.versionId(), v.lastModified(), Boolean.TRUE.equals(v.isLatest()), record);
        });
        return versions.stream().filter(Objects::nonNull).toList();
    }

    private OrderRecord read(String key, String versionId) {
        byte[] bytes;
        try {
            bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).versionId(versionId)).asByteArray();
        } catch (NoSuchKeyException e) {
            return null;
        }
        try {
            return Json.mapper().readValue(bytes, OrderRecord.class);
        } catch (IOException e) {
            throw new IllegalStateException("stored order record is not readable: " + key, e);
        }
    }

    private static String key(String orderId) {
        if (!OrderId.isValid(orderId)) {
            throw new IllegalArgumentException("not an order id");
        }
        return OrderRecord.key(orderId);
    }

    private static boolean isOrderKey(String key) {
        return OrderRecord.orderIdOfKey(key).isPresent();
    }

    /** {@code fetch} applied to each input on virtual threads, results in input order. */
    private static <T, R> List<R> fetchAll(List<T> inputs, Function<T, R> fetch) {
        if (inputs.size() < 2) {
            var results = new ArrayList<R>();
            inputs.forEach(input -> results.add(fetch.apply(input)));
            return results;
        }
        var permits = new Semaphore(MAX_CONCURRENT_GETS);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<R>>(inputs.size());
            for (var input : inputs) {
                futures.add(executor.submit(() -> {
                    permits.acquire();
                    try {
                        return fetch.apply(input);
                    } finally {
                        permits.release();
                    }
                }));
            }
            var results = new ArrayList<R>(inputs.size());
            for (var future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading orders", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("reading orders failed", e.getCause());
        }
    }
}
