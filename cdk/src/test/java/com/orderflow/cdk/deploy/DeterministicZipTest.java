package com.orderflow.cdk.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeterministicZipTest {

    @TempDir
    Path a;
    @TempDir
    Path b;

    @Test
    void sameFiles_writtenInAnotherOrderAtAnotherTime_zipToTheSameBytes() throws IOException {
        Files.createDirectories(a.resolve("lib"));
        Files.writeString(a.resolve("z.txt"), "zed");
        Files.writeString(a.resolve("lib/a.txt"), "ay");
        Files.writeString(a.resolve("m.txt"), "em");
        Files.setLastModifiedTime(a.resolve("m.txt"), FileTime.from(Instant.parse("2020-05-05T10:00:00Z")));

        Files.writeString(b.resolve("m.txt"), "em");
        Files.createDirectories(b.resolve("lib"));
        Files.writeString(b.resolve("lib/a.txt"), "ay");
        Files.writeString(b.resolve("z.txt"), "zed");

        assertThat(DeterministicZip.zip(a)).isEqualTo(DeterministicZip.zip(b));
    }

    @Test
    void entries_areSortedFiles_withTheFixedTimestamp() throws IOException {
        Files.writeString(a.resolve("z.txt"), "zed");
        Files.createDirectories(a.resolve("lib"));
        Files.writeString(a.resolve("lib/a.txt"), "ay");

        var names = new ArrayList<String>();
        var times = new ArrayList<LocalDateTime>();
        try (var zip = new ZipInputStream(new ByteArrayInputStream(DeterministicZip.zip(a)))) {
            for (var entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                names.add(entry.getName());
                times.add(entry.getTimeLocal());
            }
        }

        assertThat(names).containsExactly("lib/a.txt", "z.txt");
        assertThat(times).containsOnly(LocalDateTime.of(1980, 1, 1, 0, 0));
    }

    @Test
    void changedContent_changesTheZip() throws IOException {
        Files.writeString(a.resolve("handler.txt"), "v1");
        Files.writeString(b.resolve("handler.txt"), "v2");

        assertThat(DeterministicZip.zip(a)).isNotEqualTo(DeterministicZip.zip(b));
        assertThat(List.of(a, b)).allSatisfy(dir -> assertThat(DeterministicZip.zip(dir)).isNotEmpty());
    }
}
