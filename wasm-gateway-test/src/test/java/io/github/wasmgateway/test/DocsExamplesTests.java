package io.github.wasmgateway.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The code docs/plugins/testing.md shows is code these tests run: a block after
 * {@code <!-- the whole of PATH -->} is that file (tabs shown as four spaces), a block
 * after {@code <!-- from PATH -->} is a run of its lines (indentation aside).
 */
class DocsExamplesTests {

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	private static final Pattern BLOCK = Pattern
		.compile("<!-- (the whole of|from) (\\S+) -->\\n```[a-z]*\\n(.*?)```\\n", Pattern.DOTALL);

	@Test
	void theTestingPageShowsTheCodeOfRealTests() throws IOException {
		String page = Files.readString(ROOT.resolve("docs/plugins/testing.md"));
		Matcher block = BLOCK.matcher(page);
		List<String> checked = new ArrayList<>();
		while (block.find()) {
			String source = Files.readString(ROOT.resolve(block.group(2))).replace("\t", "    ");
			String shown = block.group(3);
			if (block.group(1).equals("the whole of")) {
				assertThat(shown).as("docs/plugins/testing.md shows all of %s", block.group(2)).isEqualTo(source);
			}
			else {
				assertThat(Collections.indexOfSubList(trimmed(source), trimmed(shown)))
					.as("docs/plugins/testing.md shows lines of %s:%n%s", block.group(2), shown)
					.isNotNegative();
			}
			checked.add(block.group(2));
		}
		assertThat(checked)
			.contains("wasm-gateway-test/src/test/java/io/github/wasmgateway/test/GoSdkPluginExampleTests.java");
	}

	private static List<String> trimmed(String text) {
		return text.lines().map(String::strip).toList();
	}

}
