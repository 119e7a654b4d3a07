package io.github.wasmgateway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.wasmgateway.engine.internal.CompileCache;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * AOT compiles each binary once; the classes are kept on disk, keyed by sha256 and
 * Chicory version, so that a restart skips compilation. What the cache holds is code the
 * gateway runs: an entry the gateway did not write is refused and compiled again, and a
 * directory others can write is refused.
 */
class CompileCacheTests {

	@TempDir
	Path cache;

	private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

	@BeforeEach
	void captureLog() {
		this.logged.start();
		((Logger) LoggerFactory.getLogger(CompileCache.class)).addAppender(this.logged);
	}

	@AfterEach
	void releaseLog() {
		((Logger) LoggerFactory.getLogger(CompileCache.class)).detachAppender(this.logged);
	}

	/**
	 * A restarted engine compiles {@code binary} again rather than read its entry, writes
	 * the entry again, and logs nothing.
	 */
	private void assertCompiledAgainQuietly(PluginBinary binary) {
		try (WasmEngine restarted = WasmEngine.builder().withCompileCache(this.cache).build()) {
			assertThat(restarted.compile(binary, ExecutionMode.AOT).fromCache()).isFalse();
			assertThat(restarted.compile(binary, ExecutionMode.AOT).fromCache()).as("the entry was written again")
				.isTrue();
			assertThat(this.logged.list).isEmpty();
		}
	}

	/** The cache entry of {@code binary}, written by an engine compiling it. */
	private Path cachedEntry(PluginBinary binary) {
		try (WasmEngine engine = WasmEngine.builder().withCompileCache(this.cache).build()) {
			engine.compile(binary, ExecutionMode.AOT);
		}
		return this.cache.resolve(binary.sha256() + "-chicory-1.7.5.jar");
	}

	@Test
	void secondEngineLoadsCompiledClassesFromTheCache() throws IOException {
		PluginBinary binary = Fixtures.binary("go-profile");
		try (WasmEngine first = WasmEngine.builder().withCompileCache(this.cache).build()) {
			CompiledPlugin compiled = first.compile(binary, ExecutionMode.AOT);
			assertThat(compiled.fromCache()).isFalse();
		}
		try (Stream<Path> files = Files.list(this.cache)) {
			assertThat(files.map((file) -> file.getFileName().toString()))
				.containsExactlyInAnyOrder(binary.sha256() + "-chicory-1.7.5.jar", "cache.key");
		}
		try (WasmEngine restarted = WasmEngine.builder().withCompileCache(this.cache).build()) {
			CompiledPlugin compiled = restarted.compile(binary, ExecutionMode.AOT);
			assertThat(compiled.fromCache()).isTrue();
			assertThat(requestHeadersAfterOneRequest(restarted, compiled, "cached").get("x-fixture"))
				.isEqualTo("go-profile");
		}
	}

	@Test
	void pluginLoadedFromTheCacheTrapsWithNamedWasmStack() {
		PluginBinary binary = Fixtures.binary("trap-on-marker");
		try (WasmEngine first = WasmEngine.builder().withCompileCache(this.cache).build()) {
			first.compile(binary, ExecutionMode.AOT);
		}
		try (WasmEngine restarted = WasmEngine.builder().withCompileCache(this.cache).build()) {
			CompiledPlugin compiled = restarted.compile(binary, ExecutionMode.AOT);
			assertThat(compiled.fromCache()).isTrue();
			try (Plugin plugin = restarted.createPlugin(compiled, PluginSettings.builder("trapper").build())) {
				PluginConfiguration configuration = plugin.configure(new byte[0]);
				TestExchange exchange = TestExchange.get("/", "x-trap", "1");
				HttpStream stream = plugin.openStream(configuration, exchange);
				Decision decision = stream.onRequestHeaders(true);
				stream.finish();
				// the function names come from the stripped module the cache keeps
				assertThat(decision).isInstanceOfSatisfying(Decision.Fail.class,
						(fail) -> assertThat(fail.failure().failure().wasmStack()).first()
							.asString()
							.startsWith("crash_here["));
			}
		}
	}

	@Test
	void tamperedStrippedModuleIsRefusedAndRecompiled() throws IOException {
		PluginBinary binary = Fixtures.binary("go-profile");
		Path entry = cachedEntry(binary);
		rewrite(entry, (name, bytes) -> {
			if (name.equals("module.wasm")) {
				bytes[bytes.length - 1] ^= 1;
			}
			return bytes;
		});
		try (WasmEngine restarted = WasmEngine.builder().withCompileCache(this.cache).build()) {
			assertThat(restarted.compile(binary, ExecutionMode.AOT).fromCache()).isFalse();
			assertThat(this.logged.list).extracting(ILoggingEvent::getFormattedMessage)
				.anySatisfy((message) -> assertThat(message).contains("Refused the compile cache entry " + entry));
		}
	}

	@Test
	void entryOfAnOlderFormatIsCompiledAgainQuietly() throws IOException {
		PluginBinary binary = Fixtures.binary("go-profile");
		Path entry = cachedEntry(binary);
		// the older formats were a bare jar, the MAC inside, the data segments unmerged
		Files.write(entry, Arrays.copyOfRange(Files.readAllBytes(entry), jarStart(entry), (int) Files.size(entry)));
		assertCompiledAgainQuietly(binary);
	}

	@Test
	void entryWithItsFunctionsInOneClassIsCompiledAgainQuietly() throws IOException {
		PluginBinary binary = Fixtures.binary("go-profile");
		Path entry = cachedEntry(binary);
		// format 3: as format 4, with every function in one class (Chicory's default)
		byte[] file = Files.readAllBytes(entry);
		int header = new String(file, 0, 100, StandardCharsets.ISO_8859_1).indexOf('\n') + 1;
		ByteArrayOutputStream format3 = new ByteArrayOutputStream();
		format3.writeBytes("wasm-gateway compile cache 3\n".getBytes(StandardCharsets.US_ASCII));
		format3.write(file, header, file.length - header);
		Files.write(entry, format3.toByteArray());
		assertCompiledAgainQuietly(binary);
	}

	@Test
	void functionLeftInterpretedRunsFromTheCache() throws IOException {
		PluginBinary binary = Fixtures.binary("huge-function");
		try (WasmEngine first = WasmEngine.builder().withCompileCache(this.cache).build()) {
			first.compile(binary, ExecutionMode.AOT);
		}
		try (WasmEngine restarted = WasmEngine.builder().withCompileCache(this.cache).build()) {
			CompiledPlugin compiled = restarted.compile(binary, ExecutionMode.AOT);
			assertThat(compiled.fromCache()).isTrue();
			assertThat(compiled.interpretedFunctions()).isEqualTo(1);
			// huge() ran in the interpreter, from the body the stripped module kept
			assertThat(requestHeadersAfterOneRequest(restarted, compiled, "huge").get("x-huge")).isEqualTo("ok");
		}
	}

	@Test
	void entryWrittenBeforeItsItemsWereStoredUncompressedIsRead() throws Exception {
		PluginBinary binary = Fixtures.binary("go-profile");
		Path entry = cachedEntry(binary);
		// as entries were written before: every item compressed, the MAC by the JCE
		rewrite(entry, (name, bytes) -> bytes);
		signWithTheJce(entry, binary.sha256());
		try (WasmEngine restarted = WasmEngine.builder().withCompileCache(this.cache).build()) {
			CompiledPlugin compiled = restarted.compile(binary, ExecutionMode.AOT);
			assertThat(compiled.fromCache()).isTrue();
			assertThat(requestHeadersAfterOneRequest(restarted, compiled, "cached").get("x-fixture"))
				.isEqualTo("go-profile");
			assertThat(this.logged.list).isEmpty();
		}
	}

	@Test
	void corruptCacheEntryIsRecompiled() throws IOException {
		PluginBinary binary = Fixtures.binary("tinygo-profile");
		Files.write(this.cache.resolve(binary.sha256() + "-chicory-1.7.5.jar"), new byte[] { 1, 2, 3 });
		try (WasmEngine engine = WasmEngine.builder().withCompileCache(this.cache).build()) {
			CompiledPlugin compiled = engine.compile(binary, ExecutionMode.AOT);
			assertThat(compiled.fromCache()).isFalse();
			assertThat(engine.compile(binary, ExecutionMode.AOT).fromCache()).isTrue();
		}
	}

	@Test
	void compiledPluginReportsInterpretedFunctions() {
		try (WasmEngine engine = WasmEngine.builder().build()) {
			PluginBinary binary = Fixtures.binary("go-profile");
			CompiledPlugin aot = engine.compile(binary, ExecutionMode.AOT);
			CompiledPlugin interpreted = engine.compile(binary, ExecutionMode.INTERPRETER);
			assertThat(aot.interpretedFunctions()).isZero();
			assertThat(interpreted.interpretedFunctions()).isPositive();
		}
	}

	@Test
	void tamperedClassIsRefusedLoggedAndRecompiled() throws IOException {
		PluginBinary binary = Fixtures.binary("go-profile");
		Path entry = cachedEntry(binary);
		rewrite(entry, (name, bytes) -> {
			if (name.endsWith(".class")) {
				bytes[bytes.length - 1] ^= 1; // one bit of one class: a tampered method
												// body
			}
			return bytes;
		});
		try (WasmEngine restarted = WasmEngine.builder().withCompileCache(this.cache).build()) {
			CompiledPlugin compiled = restarted.compile(binary, ExecutionMode.AOT);
			assertThat(compiled.fromCache()).isFalse();
			assertThat(this.logged.list).extracting(ILoggingEvent::getFormattedMessage)
				.anySatisfy((message) -> assertThat(message).contains("Refused the compile cache entry " + entry)
					.contains("compiling again"));
			assertThat(restarted.compile(binary, ExecutionMode.AOT).fromCache()).as("the entry was written again")
				.isTrue();
		}
	}

	@Test
	void entryOfAnotherBinaryIsRefused() throws IOException {
		PluginBinary go = Fixtures.binary("go-profile");
		PluginBinary tinygo = Fixtures.binary("tinygo-profile");
		try (WasmEngine engine = WasmEngine.builder().withCompileCache(this.cache).build()) {
			engine.compile(go, ExecutionMode.AOT);
			Files.copy(this.cache.resolve(go.sha256() + "-chicory-1.7.5.jar"),
					this.cache.resolve(tinygo.sha256() + "-chicory-1.7.5.jar"));
			CompiledPlugin compiled = engine.compile(tinygo, ExecutionMode.AOT);
			assertThat(compiled.fromCache()).isFalse();
			assertThat(compiled.profile().abiVersion()).isEqualTo(
					WasmEngine.builder().build().compile(tinygo, ExecutionMode.INTERPRETER).profile().abiVersion());
		}
	}

	@Test
	void entryWrittenWithAnotherKeyIsRefused() throws IOException {
		PluginBinary binary = Fixtures.binary("go-profile");
		try (WasmEngine engine = WasmEngine.builder().withCompileCache(this.cache).build()) {
			engine.compile(binary, ExecutionMode.AOT);
		}
		Files.delete(this.cache.resolve("cache.key"));
		try (WasmEngine engine = WasmEngine.builder().withCompileCache(this.cache).build()) {
			assertThat(engine.compile(binary, ExecutionMode.AOT).fromCache()).isFalse();
		}
	}

	@Test
	void directoryAndKeyAreCreatedOwnerOnly() throws IOException {
		Path directory = this.cache.resolve("new/cache");
		try (WasmEngine engine = WasmEngine.builder().withCompileCache(directory).build()) {
			engine.compile(Fixtures.binary("go-profile"), ExecutionMode.AOT);
		}
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
		try (Stream<Path> files = Files.list(directory)) {
			assertThat(files)
				.allSatisfy((file) -> assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
					.isEqualTo("rw-------"));
		}
	}

	@Test
	void worldWritableDirectoryIsRefused() throws IOException {
		Path shared = Files.createDirectory(this.cache.resolve("shared"));
		Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
		assertThatIllegalStateException().isThrownBy(() -> WasmEngine.builder().withCompileCache(shared).build())
			.withMessageContaining("The compile cache directory (wasm-gateway.compile-cache) " + shared
					+ " is writable by other users (rwxrwxrwx)")
			.withMessageContaining("chmod 700");
	}

	@Test
	void keyOthersCanReadIsRefused() throws IOException {
		try (WasmEngine engine = WasmEngine.builder().withCompileCache(this.cache).build()) {
			assertThat(engine.compileCacheDirectory()).isNotNull();
		}
		Files.setPosixFilePermissions(this.cache.resolve("cache.key"), PosixFilePermissions.fromString("rw-r--r--"));
		assertThatIllegalStateException().isThrownBy(() -> WasmEngine.builder().withCompileCache(this.cache).build())
			.withMessageContaining("can be read or written by other users (rw-r--r--)");
	}

	/**
	 * Rewrites every item of an entry's jar through {@code change} (null: left out),
	 * keeping the header and the MAC before it.
	 */
	/**
	 * The request's headers after {@code compiled} served one request from a new plugin.
	 */
	private static ListHeaderMap requestHeadersAfterOneRequest(WasmEngine engine, CompiledPlugin compiled,
			String name) {
		// huge-function's interpreted function is slow in a cold JVM: a deadline a loaded
		// machine cannot miss
		try (Plugin plugin = engine.createPlugin(compiled,
				PluginSettings.builder(name).withCallTimeout(Duration.ofSeconds(60)).build())) {
			PluginConfiguration configuration = plugin.configure(new byte[0]);
			TestExchange exchange = TestExchange.get("/");
			HttpStream stream = plugin.openStream(configuration, exchange);
			assertThat(stream.onRequestHeaders(true)).isEqualTo(Decision.Flow.CONTINUE);
			stream.finish();
			return exchange.requestHeaders;
		}
	}

	private static void rewrite(Path entry, java.util.function.BiFunction<String, byte[], byte[]> change)
			throws IOException {
		byte[] file = Files.readAllBytes(entry);
		int jarStart = jarStart(entry);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(file, 0, jarStart);
		try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(file, jarStart, file.length - jarStart));
				JarOutputStream rewritten = new JarOutputStream(out)) {
			for (JarEntry item = in.getNextJarEntry(); item != null; item = in.getNextJarEntry()) {
				byte[] changed = change.apply(item.getName(), in.readAllBytes());
				if (changed != null) {
					rewritten.putNextEntry(new JarEntry(item.getName()));
					rewritten.write(changed);
					rewritten.closeEntry();
				}
			}
		}
		Files.write(entry, out.toByteArray());
	}

	/**
	 * Writes the entry's MAC as javax.crypto.Mac computes it over the header, the
	 * binary's sha256, the Chicory version and the jar, each length-prefixed.
	 */
	private void signWithTheJce(Path entry, String sha256) throws Exception {
		byte[] file = Files.readAllBytes(entry);
		int jarStart = jarStart(entry);
		int macStart = jarStart - 32;
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(Files.readAllBytes(this.cache.resolve("cache.key")), "HmacSHA256"));
		for (byte[] field : List.of(Arrays.copyOfRange(file, 0, macStart), sha256.getBytes(StandardCharsets.UTF_8),
				"1.7.5".getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(file, jarStart, file.length))) {
			mac.update(ByteBuffer.allocate(4).putInt(field.length).array());
			mac.update(field);
		}
		System.arraycopy(mac.doFinal(), 0, file, macStart, 32);
		Files.write(entry, file);
	}

	/** Where the jar of an entry starts: its first local file header. */
	private static int jarStart(Path entry) throws IOException {
		byte[] file = Files.readAllBytes(entry);
		for (int i = 0; i + 3 < file.length; i++) {
			if (file[i] == 'P' && file[i + 1] == 'K' && file[i + 2] == 3 && file[i + 3] == 4) {
				return i;
			}
		}
		throw new AssertionError("no jar in " + entry);
	}

}
