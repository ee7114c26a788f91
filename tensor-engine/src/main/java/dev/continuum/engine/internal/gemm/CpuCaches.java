package dev.continuum.engine.internal.gemm;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The size of the first core's level-1 data cache, as Linux reports it in sysfs
 * ({@code /sys/devices/system/cpu/cpu0/cache/index}<i>N</i>{@code /level}, {@code type},
 * {@code size}). Kernels size their cache blocks by it; elsewhere (another OS, a container that
 * hides sysfs) it is unknown and they keep their defaults.
 */
final class CpuCaches {
    private static final Path SYSFS = Path.of("/sys/devices/system/cpu/cpu0/cache");

    /** This machine's L1 data cache in bytes, or -1 when it cannot be read. */
    static final int L1_DATA_BYTES = l1DataBytes(SYSFS);

    private CpuCaches() {
    }

    /** The L1 data (or unified) cache's size under a cpu's {@code cache} directory, or -1. */
    static int l1DataBytes(Path cacheDir) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(cacheDir, "index*")) {
            for (Path index : entries) {
                if (read(index, "level").equals("1") && !read(index, "type").equals("Instruction")) {
                    return parseSize(read(index, "size"));
                }
            }
        } catch (IOException | SecurityException e) {
            return -1; // no such directory or file, or not readable here
        }
        return -1;
    }

    /** "32K", "1024K", "32M" or a plain byte count, as sysfs writes them; -1 when it is none of these. */
    static int parseSize(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        int scale = 1;
        if (s.endsWith("K")) {
            scale = 1 << 10;
        } else if (s.endsWith("M")) {
            scale = 1 << 20;
        }
        if (scale != 1) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            long bytes = Long.parseLong(s) * scale;
            return bytes > 0 && bytes <= Integer.MAX_VALUE ? (int) bytes : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String read(Path index, String name) throws IOException {
        return Files.readString(index.resolve(name)).trim();
    }
}
