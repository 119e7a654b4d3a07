package io.github.wasmgateway.plugins;

import io.github.wasmgateway.test.PluginTester;
import io.github.wasmgateway.test.TestConfiguration;
import io.github.wasmgateway.test.TestRequest;
import io.github.wasmgateway.test.TestResult;
import io.github.wasmgateway.test.PluginTester;
import io.github.wasmgateway.test.TestConfiguration;
import io.github.wasmgateway.test.TestRequest;
import io.github.wasmgateway.test.TestResult;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The SDK's regular expression engine (sdk/regex.ts), checked against
 * {@code java.util.regex} on patterns using every supported construct: each pattern is a
 * request-block {@code block_regexp_urls} entry and each text a request path, so a block
 * is a match.
 */
class RegexEngineTests {

	static final PluginTester plugin = BuiltinPlugins.tester("request-block");

	static final List<String> PATTERNS = List.of("abc", "^/a", "c$", "^/$", "a.c", "a[bc]+d", "[^a-z/]", "x{2}",
			"x{2,}", "^/x{1,3}$", "(ab|cd)+e", "(?:ab)?c", "\\d{3}-\\d{4}", "\\bword\\b", "\\Bor", "\\w+@\\w+\\.com",
			"[A-z]", "(?i)HeLLo", "a(?i)b", "(?i:X)y", "[\\d_]+$", "[a-c-]x", "[]a]", "a|b|^/c", "(a|)+b", "(a*)*b",
			"(x+x+)+y", "\\$\\(\\)\\.", "%20", "\\x41", "\\Q.*\\E", "^/(foo|bar)/(\\d+)?$", "a*?b", "colou?r",
			".{0,5}z");

	static final List<String> TEXTS = List.of("/", "/abc", "/ABC", "/a", "/xabc", "/ac", "/abd", "/abbcd", "/A", "/xx",
			"/x", "/xxx", "/xxxx", "/ababe", "/cde", "/c", "/555-1234", "/a word here", "/sword", "/for",
			"/me@host.com", "/[", "/hello", "/HELLO", "/aB", "/AB", "/xY", "/Xy", "/12_", "/-x", "/]", "/b", "/aaab",
			"/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "/$().", "/42", "/a%20b", "/.*", "/foo/12", "/bar/", "/color", "/colour",
			"/abcdez", "/zzz", "/caab");

	@AfterAll
	static void close() {
		plugin.close();
	}

	@Test
	void agreesWithJavaRegex() {
		for (String pattern : PATTERNS) {
			String json = "{\"block_regexp_urls\": [\"" + pattern.replace("\\", "\\\\") + "\"]}";
			TestConfiguration configuration = plugin.configure(json);
			Pattern reference = Pattern.compile(pattern);
			for (String text : TEXTS) {
				boolean expected = reference.matcher(text).find();
				boolean blocked = BuiltinPlugins.send(plugin, configuration, TestRequest.get(text)).status() == 403;
				assertThat(blocked).as("/%s/ on %s", pattern, text).isEqualTo(expected);
			}
		}
		assertThat(plugin.failures()).isZero();
	}

	@Test
	void posixClassesAsInRe2() {
		TestConfiguration configuration = plugin.configure("{\"block_regexp_urls\": [\"^/[[:digit:]]{2}$\"]}");
		assertThat(BuiltinPlugins.send(plugin, configuration, TestRequest.get("/42")).status()).isEqualTo(403);
		assertThat(BuiltinPlugins.send(plugin, configuration, TestRequest.get("/4a")).passed()).isTrue();
	}

	@Test
	void nestedRepetitionDoesNotBlowUp() {
		TestConfiguration configuration = plugin.configure("{\"block_regexp_urls\": [\"^/(a+)+$\", \"(x+x+)+y\"]}");
		String path = "/" + "a".repeat(20_000) + "!";
		assertThat(BuiltinPlugins.send(plugin, configuration, TestRequest.get(path)).passed()).isTrue();
		assertThat(BuiltinPlugins.send(plugin, configuration, TestRequest.get("/" + "x".repeat(20_000))).passed())
			.isTrue();
		assertThat(plugin.failures()).isZero();
	}

}
