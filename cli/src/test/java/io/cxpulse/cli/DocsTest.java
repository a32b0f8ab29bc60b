package io.cxpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.cxpulse.common.problem.ProblemType;

import org.junit.jupiter.api.Test;

/**
 * The documentation a user reads: every link in README.md and docs/ leads to a file of the repository, no text of
 * the repository points outside it, and the problem types docs/api.md lists are those the services answer with.
 */
class DocsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of(".git", "target", "node_modules", ".cxpulse",
            ".mvn");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");
    /** Paths outside the repository that a text could name: a sibling checkout's folders, a machine's paths. */
    private static final Pattern OUTSIDE = Pattern.compile("\\.\\./(shared|\\.library)\\b|/work/");

    @Test
    void shouldLinkOnlyToFilesThatExist() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : markdownPages()) {
            Matcher link = LINK.matcher(Files.readString(page, StandardCharsets.UTF_8));
            while (link.find()) {
                String target = link.group(1);
                if (!target.contains("://") && !Files.exists(page.getParent().resolve(target).normalize())) {
                    broken.add(ROOT.relativize(page) + " -> " + target);
                }
            }
        }

        assertThat(broken).isEmpty();
    }

    @Test
    void shouldNotReferToPathsOutsideTheRepository() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = walk()) {
            for (Path file : files.filter(DocsTest::isText).toList()) {
                String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    if (OUTSIDE.matcher(lines[i]).find() && !file.endsWith("DocsTest.java")) {
                        found.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + lines[i].strip());
                    }
                }
            }
        }

        assertThat(found).isEmpty();
    }

    @Test
    void shouldListTheProblemTypesTheServicesAnswerWith() throws IOException {
        String api = Files.readString(ROOT.resolve("docs/api.md"), StandardCharsets.UTF_8);
        List<String> listed = new ArrayList<>();
        Matcher row = Pattern.compile("(?m)^\\| `([a-z_]+)` \\| (\\d{3}) \\| ([^|]+) \\|").matcher(api);
        while (row.find()) {
            listed.add(row.group(1) + " " + row.group(2) + " " + row.group(3).strip());
        }

        assertThat(listed).containsExactlyElementsOf(Arrays.stream(ProblemType.values())
                .map(type -> type.slug() + " " + type.status() + " " + type.title()).toList());
    }

    private static List<Path> markdownPages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    private static Stream<Path> walk() throws IOException {
        return Files.walk(ROOT).filter(Files::isRegularFile).filter(path -> {
            for (Path part : ROOT.relativize(path)) {
                if (SKIPPED_DIRECTORIES.contains(part.toString())) {
                    return false;
                }
            }
            return true;
        });
    }

    private static boolean isText(Path file) {
        String name = file.getFileName().toString();
        return name.matches(".*\\.(md|java|ya?ml|xml|json|py|sh|properties|avsc|txt|js)$") || name.equals("Dockerfile")
                || name.equals("cxpulse") || name.equals("run");
    }
}
