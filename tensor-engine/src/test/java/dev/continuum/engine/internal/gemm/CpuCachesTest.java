package dev.continuum.engine.internal.gemm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuCachesTest {
    @TempDir
    Path dir;

    private void index(int n, String level, String type, String size) throws IOException {
        Path index = Files.createDirectories(dir.resolve("index" + n));
        Files.writeString(index.resolve("level"), level + "\n");
        Files.writeString(index.resolve("type"), type + "\n");
        Files.writeString(index.resolve("size"), size + "\n");
    }

    @Test
    void readsTheLevelOneDataCacheNotTheInstructionCacheOrLaterLevels() throws IOException {
        index(0, "1", "Instruction", "64K");
        index(1, "2", "Unified", "2048K");
        index(2, "1", "Data", "48K");
        index(3, "3", "Unified", "32M");
        assertThat(CpuCaches.l1DataBytes(dir)).isEqualTo(48 * 1024);
    }

    @Test
    void unknownWhenSysfsIsMissingOrUnreadable() throws IOException {
        assertThat(CpuCaches.l1DataBytes(dir.resolve("absent"))).isEqualTo(-1);
        assertThat(CpuCaches.l1DataBytes(dir)).isEqualTo(-1);
        Files.createDirectories(dir.resolve("index0"));
        assertThat(CpuCaches.l1DataBytes(dir)).isEqualTo(-1); // no level file
        index(1, "1", "Data", "lots");
        assertThat(CpuCaches.l1DataBytes(dir)).isEqualTo(-1);
    }

    @Test
    void parsesTheSizesSysfsWrites() {
        assertThat(CpuCaches.parseSize("32K")).isEqualTo(32768);
        assertThat(CpuCaches.parseSize(" 1024K\n")).isEqualTo(1 << 20);
        assertThat(CpuCaches.parseSize("32M")).isEqualTo(32 << 20);
        assertThat(CpuCaches.parseSize("4096")).isEqualTo(4096);
        assertThat(CpuCaches.parseSize("")).isEqualTo(-1);
        assertThat(CpuCaches.parseSize("-8K")).isEqualTo(-1);
        assertThat(CpuCaches.parseSize("9999999M")).isEqualTo(-1);
    }

    @Test
    void kBlocksOf256WhereL1HoldsAPanelAndAStripElse512() {
        assertThat(VectorPanels.kBlock16(48 * 1024)).isEqualTo(256);
        assertThat(VectorPanels.kBlock16(40 * 1024)).isEqualTo(256);
        assertThat(VectorPanels.kBlock16(32 * 1024)).isEqualTo(512);
        assertThat(VectorPanels.kBlock16(-1)).isEqualTo(256);
    }
}
