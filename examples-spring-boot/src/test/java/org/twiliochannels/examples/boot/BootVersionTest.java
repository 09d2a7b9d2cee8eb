package org.twiliochannels.examples.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;

/**
 * This example is built on Spring Boot's parent, like an application, so that it runs with the
 * library versions Boot manages; that parent's version is written in its pom, apart from the
 * {@code spring-boot.version} the starter is built against. They must be the same Boot.
 */
class BootVersionTest {

    @Test
    void runsOnTheBootTheStarterIsBuiltAgainst() throws Exception {
        String rootPom = Files.readString(Path.of("..", "pom.xml"));
        Matcher m = Pattern.compile("<spring-boot.version>([^<]+)</spring-boot.version>").matcher(rootPom);
        assertTrue(m.find(), "the root pom names spring-boot.version");
        assertEquals(m.group(1), SpringBootVersion.getVersion(),
                "examples-spring-boot/pom.xml's parent must be the Spring Boot of the root pom's spring-boot.version");
    }
}
