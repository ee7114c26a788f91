package dev.continuum.controller.telemetry.mosquitto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MosquittoPasswordsTest {
    @TempDir
    Path tmp;

    @Test
    void aHashHasMosquittosFormatAndVerifiesOnlyItsPassword() {
        String h = MosquittoPasswords.hash("ctd_secret");
        String[] parts = h.split("\\$");
        assertThat(parts).hasSize(5);
        assertThat(parts[1]).isEqualTo("7");
        assertThat(parts[2]).isEqualTo("101");
        assertThat(Base64.getDecoder().decode(parts[3])).hasSize(12);
        assertThat(Base64.getDecoder().decode(parts[4])).hasSize(64);
        assertThat(MosquittoPasswords.verify("ctd_secret", h)).isTrue();
        assertThat(MosquittoPasswords.verify("ctd_other", h)).isFalse();
        assertThat(MosquittoPasswords.hash("ctd_secret")).as("salted").isNotEqualTo(h);
    }

    @Test
    void anythingButASha512Pbkdf2HashDoesNotVerify() {
        assertThat(MosquittoPasswords.verify("x", null)).isFalse();
        assertThat(MosquittoPasswords.verify("x", "$6$abc$def")).isFalse();
        assertThat(MosquittoPasswords.verify("x", "$7$101$!!!$???")).isFalse();
        assertThat(MosquittoPasswords.verify("x", "$7$0$AAAA$AAAA")).isFalse();
    }

    @Test
    void aHashWrittenByMosquittoPasswdVerifies() throws Exception {
        Path tool = Path.of("/usr/bin/mosquitto_passwd");
        assumeTrue(Files.isExecutable(tool), "mosquitto_passwd is not installed");
        Path file = tmp.resolve("passwd");
        Process p = new ProcessBuilder(tool.toString(), "-b", "-c", file.toString(), "dev-1", "ctd_from_mosquitto")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes())).isZero();
        List<String> lines = Files.readAllLines(file);
        String hash = lines.get(0).substring("dev-1:".length());
        assertThat(hash).startsWith("$7$");
        assertThat(MosquittoPasswords.verify("ctd_from_mosquitto", hash)).isTrue();
        assertThat(MosquittoPasswords.verify("ctd_wrong", hash)).isFalse();
    }
}
