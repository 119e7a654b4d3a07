package io.github.wasmgateway.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import io.github.wasmgateway.engine.BothModes;
import io.github.wasmgateway.engine.ExecutionMode;
import io.github.wasmgateway.engine.PluginBinary;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module's memory after instantiation is the same whether it is built from the binary
 * or from the stripped module that compiling stores in the cache (its data segments
 * merged), cold and warm: segments that overlap (the later wins), touch, leave small or
 * large gaps, come out of address order, or write zeros over earlier bytes. Modules that
 * can name a segment (a DataCount section, passive segments) keep theirs.
 */
class DataSegmentMergeTests {

	private static final int PAGE = 65536;

	@TempDir
	Path cacheDirectory;

	@BothModes
	void mergedSegmentsLeaveTheMemoryAsTheBinaryDoes(ExecutionMode mode) {
		byte[] binary = module(2, false, active(1024, bytes(1, 16)), active(1040, bytes(2, 8)), // adjacent
				active(1044, bytes(3, 8)), // overlaps the end of the one before
				active(1100, bytes(4, 4)), // a small gap
				active(1028, new byte[6]), // zeros over bytes written before
				active(90_000, bytes(5, 32)), // a large gap, in the second page
				active(512, bytes(6, 4)), // below the others
				active(90_010, bytes(7, 3)));
		WasmModule original = Parser.parse(binary);

		LoadedModule merged = assertSameMemoryCachedOrNot(mode, binary);

		if (mode == ExecutionMode.AOT) {
			assertThat(merged.module().dataSection().dataSegmentCount()).as("segments after the merge")
				.isEqualTo(3)
				.isLessThan(original.dataSection().dataSegmentCount());
		}
	}

	@BothModes
	void moduleThatCanNameItsSegmentsKeepsThem(ExecutionMode mode) {
		byte[] binary = module(1, true, active(100, bytes(1, 8)), passive(bytes(2, 8)), active(108, bytes(3, 8)));

		LoadedModule loaded = assertSameMemoryCachedOrNot(mode, binary);

		assertThat(loaded.module().dataSection().dataSegmentCount()).isEqualTo(3);
	}

	/**
	 * The memory of an instance of the binary as Chicory builds it, against that of the
	 * module the engine loads in {@code mode}: compiled (cold), then from the cache
	 * (warm).
	 */
	private LoadedModule assertSameMemoryCachedOrNot(ExecutionMode mode, byte[] binary) {
		WasmModule original = Parser.parse(binary);
		byte[] expected = memory(Instance.builder(original).withStart(false).build());
		if (mode == ExecutionMode.INTERPRETER) {
			LoadedModule interpreted = ModuleCompiler.interpreted(original);
			assertThat(memory(instantiate(interpreted))).isEqualTo(expected);
			return interpreted;
		}
		String sha256 = PluginBinary.of(binary, "segments").sha256();
		CompileCache cache = new CompileCache(this.cacheDirectory);
		LoadedModule compiled = ModuleCompiler.compile(binary, original, sha256, cache);
		assertThat(memory(instantiate(compiled))).as("compiled").isEqualTo(expected);
		LoadedModule cached = ModuleCompiler.cached(sha256, cache);
		assertThat(cached).isNotNull();
		assertThat(cached.fromCache()).isTrue();
		assertThat(memory(instantiate(cached))).as("from the cache").isEqualTo(expected);
		return cached;
	}

	private static Instance instantiate(LoadedModule loaded) {
		return Instance.builder(loaded.module())
			.withMachineFactory(loaded.machineFactoryOrInterpreter())
			.withStart(false)
			.build();
	}

	private static byte[] memory(Instance instance) {
		return instance.memory().readBytes(0, instance.memory().pages() * PAGE);
	}

	private static byte[] bytes(int seed, int length) {
		byte[] bytes = new byte[length];
		for (int i = 0; i < length; i++) {
			bytes[i] = (byte) (seed * 31 + i + 1);
		}
		return bytes;
	}

	/** An active segment of memory 0 at {@code i32.const offset}. */
	private static byte[] active(int offset, byte[] data) {
		ByteArrayOutputStream segment = new ByteArrayOutputStream();
		segment.write(0);
		segment.write(0x41);
		DataSegmentMerge.writeVarInt32(segment, offset);
		segment.write(0x0b);
		ModuleCompiler.writeVarUInt32(segment, data.length);
		segment.writeBytes(data);
		return segment.toByteArray();
	}

	private static byte[] passive(byte[] data) {
		ByteArrayOutputStream segment = new ByteArrayOutputStream();
		segment.write(1);
		ModuleCompiler.writeVarUInt32(segment, data.length);
		segment.writeBytes(data);
		return segment.toByteArray();
	}

	/** A module of one memory of {@code pages} and the given data segments. */
	private static byte[] module(int pages, boolean dataCount, byte[]... segments) {
		ByteArrayOutputStream module = new ByteArrayOutputStream();
		module.writeBytes(new byte[] { 0, 'a', 's', 'm', 1, 0, 0, 0 });
		section(module, 5, new byte[] { 1, 0, (byte) pages });
		if (dataCount) {
			section(module, 12, new byte[] { (byte) segments.length });
		}
		ByteArrayOutputStream data = new ByteArrayOutputStream();
		ModuleCompiler.writeVarUInt32(data, segments.length);
		for (byte[] segment : segments) {
			data.writeBytes(segment);
		}
		section(module, 11, data.toByteArray());
		return module.toByteArray();
	}

	private static void section(ByteArrayOutputStream module, int id, byte[] contents) {
		module.write(id);
		ModuleCompiler.writeVarUInt32(module, contents.length);
		module.writeBytes(contents);
	}

}
