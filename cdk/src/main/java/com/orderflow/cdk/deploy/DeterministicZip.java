package com.orderflow.cdk.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Zips a directory so that the same files always give the same bytes: entries sorted by path, one fixed timestamp,
 * no directory entries. An unchanged asset then never looks new to S3 or to Lambda.
 */
public final class DeterministicZip {

    /** 1980-01-01 00:00, the earliest time the zip format stores. */
    static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private DeterministicZip() {
    }

    /** The zip bytes of {@code source}: the directory's files, or the single file when it is one. */
    public static byte[] zip(Path source) {
        try (var bytes = new ByteArrayOutputStream(); var zip = new ZipOutputStream(bytes)) {
            List<Path> files;
            Path base;
            if (Files.isDirectory(source)) {
                base = source;
                try (Stream<Path> walk = Files.walk(source)) {
                    files = walk.filter(Files::isRegularFile)
                            .sorted((a, b) -> entryName(source, a).compareTo(entryName(source, b)))
                            .toList();
                }
            } else {
                base = source.getParent();
                files = List.of(source);
            }
            for (var file : files) {
                var entry = new ZipEntry(entryName(base, file));
                // local date-time fields only: no time zone conversion and no extended timestamp field
                entry.setTimeLocal(FIXED_TIME);
                zip.putNextEntry(entry);
                Files.copy(file, zip);
                zip.closeEntry();
            }
            zip.finish();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot zip asset " + source, e);
        }
    }

    private static String entryName(Path base, Path file) {
        return base.relativize(file).toString().replace('\\', '/');
    }
}
