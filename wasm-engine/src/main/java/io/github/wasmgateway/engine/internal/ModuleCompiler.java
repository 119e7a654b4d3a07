package io.github.wasmgateway.engine.internal;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.internal.ClassLoadingCollector;
import com.dylibso.chicory.compiler.internal.Compiler;
import com.dylibso.chicory.compiler.internal.CompilerResult;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.WasmWriter;
import com.dylibso.chicory.wasm.types.AnnotatedInstruction;
import com.dylibso.chicory.wasm.types.CodeSection;
import com.dylibso.chicory.wasm.types.CustomSection;
import com.dylibso.chicory.wasm.types.DataCountSection;
import com.dylibso.chicory.wasm.types.DataSection;
import com.dylibso.chicory.wasm.types.ElementSection;
import com.dylibso.chicory.wasm.types.ExportSection;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionBody;
import com.dylibso.chicory.wasm.types.FunctionSection;
import com.dylibso.chicory.wasm.types.GlobalSection;
import com.dylibso.chicory.wasm.types.ImportSection;
import com.dylibso.chicory.wasm.types.MemorySection;
import com.dylibso.chicory.wasm.types.OpCode;
import com.dylibso.chicory.wasm.types.RawSection;
import com.dylibso.chicory.wasm.types.Section;
import com.dylibso.chicory.wasm.types.SectionId;
import com.dylibso.chicory.wasm.types.StartSection;
import com.dylibso.chicory.wasm.types.TableSection;
import com.dylibso.chicory.wasm.types.TagSection;
import com.dylibso.chicory.wasm.types.TypeSection;
import io.github.wasmgateway.engine.PluginLoadException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Parses, verifies and compiles a plugin binary once, for every VM of it.
 */
public final class ModuleCompiler {

	/**
	 * The body of every function a stripped binary replaced ({@code strip}): no locals,
	 * {@code unreachable}, {@code end}, as Chicory's parser decodes it from a one-body
	 * code section. Immutable, so shared by every module and instance.
	 */
	private static final FunctionBody UNREACHABLE = unreachableBody();

	/**
	 * The functions of one generated class ({@code FuncGroup_N}; Chicory's default is
	 * 12,288, so one class for nearly any module): a warm start defines, and so verifies,
	 * a group only when a call first reaches it ({@link CachedClasses}), so a large
	 * module's start-up verifies the few groups it runs instead of all its code. Part of
	 * the compile cache's format ({@link CompileCache#HEADER}): an entry of another size
	 * is compiled again.
	 */
	static final int FUNCTIONS_PER_CLASS = 256;

	/** A custom section's name as the binary spells it: its length, then "name". */
	private static final byte[] NAME_SECTION_PREFIX = { 4, 'n', 'a', 'm', 'e' };

	private ModuleCompiler() {
	}

	/**
	 * Parses and validates; refuses what is not WebAssembly with a message that says so.
	 */
	public static WasmModule parse(byte[] bytes, String origin) {
		return parse(bytes, origin, Parser::parse);
	}

	/**
	 * Every section but the code, for a binary whose code never runs (a precompiled
	 * plugin runs the classes generated from it at build time): the profile, the host
	 * functions and the function names are read from it without decoding the code.
	 */
	public static WasmModule parseWithoutCode(byte[] bytes, String origin) {
		return parse(bytes, origin, (binary) -> Parser.parse(strip(binary, 0, Set.of(), null)));
	}

	private static WasmModule parse(byte[] bytes, String origin, Function<byte[], WasmModule> parser) {
		if (bytes.length < 8 || bytes[0] != 0 || bytes[1] != 'a' || bytes[2] != 's' || bytes[3] != 'm') {
			throw new PluginLoadException(origin + " is not a WebAssembly binary (it does not start with the "
					+ "\\0asm magic number); check that the location points at a .wasm file");
		}
		try {
			return parser.apply(bytes);
		}
		catch (OutOfMemoryError ex) {
			// Chicory reads the bytes again through a stream (copies of up to three times
			// the binary's size): a large binary can exhaust a small heap. The copies are
			// garbage once this frame is left, so the gateway can refuse the plugin and
			// go on.
			throw new PluginLoadException(origin + " (" + bytes.length + " bytes) could not be parsed: the heap ran "
					+ "out (parsing takes about four times the binary's size); give the JVM more heap (-Xmx) or "
					+ "lower wasm-gateway.max-binary-size");
		}
		catch (RuntimeException ex) {
			// Chicory's own errors, and whatever else malformed bytes make its parser
			// throw (fuzzing found a NullPointerException on an unbalanced block end)
			throw new PluginLoadException(origin + " is not a valid WebAssembly module: " + ex.getMessage()
					+ "; the file is corrupt or truncated, rebuild or re-download it", ex);
		}
	}

	/**
	 * The module for Chicory's interpreter: the whole parsed module, nothing compiled.
	 */
	public static LoadedModule interpreted(WasmModule module) {
		return new LoadedModule(module, null, FunctionNames.of(module), functionCount(module), false, 0, null,
				new InterpretedStacks());
	}

	/**
	 * The module from its compile cache entry, or null when the cache has none for
	 * {@code sha256}: the stripped binary and the classes stored with it, so a warm start
	 * neither parses nor validates the plugin's code again. That is safe because an entry
	 * exists only when this gateway (the holder of the cache key) parsed, validated and
	 * compiled the binary of that sha256 with this Chicory version, and its MAC is
	 * verified before anything of it is used. The stripped binary is parsed on a thread
	 * of its own while this one defines the classes (in a JVM that has just started, each
	 * takes about as long as the other).
	 */
	public static LoadedModule cached(String sha256, CompileCache cache) {
		long started = System.nanoTime();
		AtomicReference<FutureTask<Stripped>> parsing = new AtomicReference<>();
		CompileCache.Entry entry = cache.get(sha256, (module, interpreted) -> {
			// parsed on a second core while this thread reads and defines the classes
			FutureTask<Stripped> parse = new FutureTask<>(() -> parseStripped(module, interpreted));
			Thread thread = new Thread(parse,
					"wasm-gateway-parse-" + sha256.substring(0, Math.min(8, sha256.length())));
			thread.setDaemon(true);
			thread.start();
			parsing.set(parse);
		});
		String className = compiledClassName(sha256);
		if (entry == null || !entry.mainClass().startsWith(className)) {
			// none, or compiled before its classes had names of their own: compile again
			return null;
		}
		Function<Instance, Machine> machineFactory = CachedClasses.define(entry);
		Stripped stripped;
		try {
			stripped = parsing.get().get();
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof Error error) {
				throw error;
			}
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime
					: new IllegalStateException(ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while loading " + sha256 + " from the compile cache", ex);
		}
		return loaded(entry, stripped, machineFactory, true, started, className);
	}

	/**
	 * Compiles to JVM bytecode and stores the classes, with the stripped binary, in the
	 * cache when there is one. Only what instances need is kept: a module whose compiled
	 * function bodies are replaced by {@code unreachable}. Functions too large for a JVM
	 * method stay interpreted.
	 */
	public static LoadedModule compile(byte[] bytes, WasmModule module, String sha256, CompileCache cache) {
		return compile(bytes, module, sha256, cache, FUNCTIONS_PER_CLASS);
	}

	static LoadedModule compile(byte[] bytes, WasmModule module, String sha256, CompileCache cache,
			int functionsPerClass) {
		long started = System.nanoTime();
		String className = compiledClassName(sha256);
		CompilerResult result = Compiler.builder(module)
			.withClassName(className)
			.withMaxFunctionsPerClass(functionsPerClass)
			.withInterpreterFallback(InterpreterFallback.SILENT)
			.withClassCollectorFactory(ClassLoadingCollector::new)
			.build()
			.compile();
		ClassLoadingCollector collector = (ClassLoadingCollector) result.collector();
		CompileCache.Entry entry = new CompileCache.Entry(collector.mainClassName(),
				new LinkedHashMap<>(result.classBytes()), result.interpretedFunctions(),
				strip(bytes, module.importSection().count(ExternalType.FUNCTION), result.interpretedFunctions(),
						DataSegmentMerge.mergedSection(module)));
		if (cache != null) {
			cache.put(sha256, entry);
		}
		return loaded(entry, parseStripped(entry.module(), entry.interpretedFunctions()), collector.machineFactory(),
				false, started, className);
	}

	private static LoadedModule loaded(CompileCache.Entry entry, Stripped stripped,
			Function<Instance, Machine> machineFactory, boolean fromCache, long started, String className) {
		return new LoadedModule(stripped.module(), machineFactory, stripped.names(),
				entry.interpretedFunctions().size(), fromCache, (System.nanoTime() - started) / 1_000_000, className,
				new InterpretedStacks());
	}

	/**
	 * Parses a stripped binary this gateway made from a binary it validated (just now, or
	 * in a cache entry whose MAC verified), so without validating it again, and without
	 * the digest of the bytes Chicory's {@code Parser.parse} computes and nothing here
	 * reads: both cost about as much as the parse in a JVM that has just started. When no
	 * function is {@code interpreted}, every body is {@code unreachable} and the code
	 * section is not decoded: every function gets the one shared body
	 * ({@link #UNREACHABLE}), where Chicory's parser would build a body, an instruction
	 * list and a control tree for each (about half the parse of a large module, and its
	 * heap). Otherwise the code is decoded and its stubs share one body
	 * ({@link #withSharedStubs}). The data section of merged segments
	 * ({@link DataSegmentMerge#read}) and the function names
	 * ({@link FunctionNames#of( WasmModule, ByteBuffer)}) are read without Chicory's
	 * parser, which copies its whole input through 1 KB reads first and checks every name
	 * with a stream of its characters (in a JVM that has just started, 30 and 80 ms of
	 * the large fixture's parse).
	 */
	static Stripped parseStripped(byte[] stripped, Set<Integer> interpreted) {
		return parseStripped(stripped, !interpreted.isEmpty());
	}

	private static Stripped parseStripped(byte[] stripped, boolean decodeCode) {
		Parser.Builder parser = Parser.builder();
		for (int id = SectionId.CUSTOM; id <= SectionId.TAG; id++) {
			if (id != SectionId.CODE || decodeCode) {
				parser.includeSectionId(id);
			}
		}
		WasmModule.Builder builder = WasmModule.builder().withValidation(false);
		// the data and name sections are read here (most of a large module's stripped
		// binary, and its 2,172 names), the rest by Chicory's parser
		ByteArrayOutputStream rest = new ByteArrayOutputStream();
		rest.write(stripped, 0, 8);
		ByteBuffer names = null;
		ByteBuffer sections = ByteBuffer.wrap(stripped);
		sections.position(8);
		while (sections.hasRemaining()) {
			int start = sections.position();
			int id = sections.get() & 0xff;
			int size = (int) readVarUInt32(sections);
			int contents = sections.position();
			sections.position(contents + size);
			DataSection data = (id == SectionId.DATA) ? DataSegmentMerge.read(stripped, contents, contents + size)
					: null;
			if (data != null) {
				builder.setDataSection(data);
			}
			else if (id == SectionId.CUSTOM && isNameSection(stripped, contents, size)) {
				names = ByteBuffer.wrap(stripped, contents + NAME_SECTION_PREFIX.length,
						size - NAME_SECTION_PREFIX.length);
			}
			else {
				rest.write(stripped, start, contents + size - start);
			}
		}
		AtomicInteger functions = new AtomicInteger();
		parser.build().parse(new ByteArrayInputStream(rest.toByteArray()), (section) -> {
			if (section instanceof FunctionSection declared) {
				functions.set(declared.functionCount());
			}
			addSection(builder, section);
		});
		if (!decodeCode) {
			CodeSection.Builder code = CodeSection.builder();
			for (int i = 0; i < functions.get(); i++) {
				code.addFunctionBody(UNREACHABLE);
			}
			builder.setCodeSection(code.build());
		}
		WasmModule module = builder.build();
		return new Stripped(module, (names != null) ? FunctionNames.of(module, names) : FunctionNames.of(module));
	}

	/**
	 * A stripped binary parsed: the module (without its name section, which only
	 * {@code names} needs) and its function names.
	 */
	record Stripped(WasmModule module, FunctionNames names) {
	}

	private static void addSection(WasmModule.Builder builder, Section section) {
		if (section instanceof CustomSection custom) {
			builder.addCustomSection(custom.name(), custom);
		}
		else if (section instanceof TypeSection types) {
			builder.setTypeSection(types);
		}
		else if (section instanceof ImportSection imports) {
			builder.setImportSection(imports);
		}
		else if (section instanceof FunctionSection functions) {
			builder.setFunctionSection(functions);
		}
		else if (section instanceof TableSection tables) {
			builder.setTableSection(tables);
		}
		else if (section instanceof MemorySection memories) {
			builder.setMemorySection(memories);
		}
		else if (section instanceof GlobalSection globals) {
			builder.setGlobalSection(globals);
		}
		else if (section instanceof ExportSection exports) {
			builder.setExportSection(exports);
		}
		else if (section instanceof StartSection start) {
			builder.setStartSection(start);
		}
		else if (section instanceof ElementSection elements) {
			builder.setElementSection(elements);
		}
		else if (section instanceof CodeSection code) {
			builder.setCodeSection(withSharedStubs(code));
		}
		else if (section instanceof DataSection data) {
			builder.setDataSection(data);
		}
		else if (section instanceof DataCountSection dataCount) {
			builder.setDataCountSection(dataCount);
		}
		else if (section instanceof TagSection tags) {
			builder.setTagSection(tags);
		}
		else {
			builder.addIgnoredSection(section.sectionId());
		}
	}

	/**
	 * The code section with its stubs ({@code unreachable}: the bodies compiled code
	 * replaces, which nothing reads) as one shared object instead of a body, an
	 * instruction list and two instructions each: for a small plugin that was a sixth of
	 * its heap. Other bodies (the interpreted ones) stay as they are.
	 */
	static CodeSection withSharedStubs(CodeSection code) {
		CodeSection.Builder shared = CodeSection.builder().setRequiresDataCount(code.isRequiresDataCount());
		FunctionBody stub = null;
		for (int i = 0; i < code.functionBodyCount(); i++) {
			FunctionBody body = code.getFunctionBody(i);
			if (isStub(body)) {
				if (stub == null) {
					stub = body;
				}
				body = stub;
			}
			shared.addFunctionBody(body);
		}
		return shared.build();
	}

	private static boolean isStub(FunctionBody body) {
		List<AnnotatedInstruction> instructions = body.instructions();
		return body.localTypes().isEmpty() && instructions.size() == 2
				&& instructions.get(0).opcode() == OpCode.UNREACHABLE && instructions.get(1).opcode() == OpCode.END;
	}

	/**
	 * The name of the classes compiled from one binary: a name of their own (Chicory's
	 * default is the same for every module), so that a profiler's samples of compiled
	 * code can be told apart by plugin.
	 */
	static String compiledClassName(String sha256) {
		return "io.github.wasmgateway.compiled.Wasm" + sha256.substring(0, Math.min(16, sha256.length()));
	}

	/**
	 * The stripped module of each class generated at build time, parsed once (as long as
	 * the class lives, as the class's own {@code load()} keeps it) from the
	 * {@code <SimpleName>.meta} resource the compiler Maven plugin writes next to it,
	 * with its stubs shared ({@link #withSharedStubs}); through {@code load()} when there
	 * is no such resource.
	 */
	private static final ClassValue<WasmModule> PRECOMPILED_MODULES = new ClassValue<>() {

		@Override
		protected WasmModule computeValue(Class<?> type) {
			try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".meta")) {
				if (in != null) {
					// written by the build from a binary it validated, on the class path
					// with the classes themselves; which functions the build left
					// interpreted is not recorded, so the code is decoded
					return parseStripped(in.readAllBytes(), true).module();
				}
				return (WasmModule) type.getMethod("load").invoke(null);
			}
			catch (IOException | ReflectiveOperationException | RuntimeException ex) {
				throw new IllegalStateException("its module cannot be read: " + ex, ex);
			}
		}

	};

	/**
	 * Loads classes generated at build time by Chicory's compiler Maven plugin: a class
	 * with static {@code load()} (the stripped module) and {@code create(Instance)}.
	 */
	public static LoadedModule precompiled(WasmModule original, String className, ClassLoader classLoader) {
		try {
			Class<?> type = Class.forName(className, true, classLoader);
			WasmModule stripped = PRECOMPILED_MODULES.get(type);
			Method create = type.getMethod("create", Instance.class);
			Function<Instance, Machine> factory = (instance) -> {
				try {
					return (Machine) create.invoke(null, instance);
				}
				catch (ReflectiveOperationException ex) {
					throw new IllegalStateException("cannot create the machine of " + className, ex);
				}
			};
			// the compiler Maven plugin names the machine class and its function groups
			// after the class it is given, plus "Machine"
			return new LoadedModule(stripped, factory, FunctionNames.of(original), 0, true, 0, className + "Machine",
					new InterpretedStacks());
		}
		catch (ReflectiveOperationException | ClassCastException | IllegalStateException ex) {
			throw new PluginLoadException("precompiled plugin class " + className + " cannot be loaded (" + ex
					+ "); is the plugins jar on the class path and built with the same Chicory version?", ex);
		}
	}

	private static FunctionBody unreachableBody() {
		ByteArrayOutputStream binary = new ByteArrayOutputStream();
		binary.writeBytes(new byte[] { 0, 'a', 's', 'm', 1, 0, 0, 0, SectionId.CODE, 5, 1, 3, 0 });
		binary.write(OpCode.UNREACHABLE.opcode());
		binary.write(OpCode.END.opcode());
		AtomicReference<FunctionBody> body = new AtomicReference<>();
		Parser.builder()
			.includeSectionId(SectionId.CODE)
			.build()
			.parse(new ByteArrayInputStream(binary.toByteArray()),
					(section) -> body.set(((CodeSection) section).getFunctionBody(0)));
		return body.get();
	}

	/**
	 * The binary with every function body that compiled code replaces (all but the
	 * {@code interpreted} function indices) turned into {@code unreachable}, and custom
	 * sections other than the function names dropped, and the data section replaced by
	 * {@code dataSection} unless null ({@link DataSegmentMerge}); parsed, it costs a
	 * fraction of the original's heap, and it is all a warm start parses.
	 */
	static byte[] strip(byte[] bytes, int importedFunctions, Set<Integer> interpreted, byte[] dataSection) {
		WasmWriter writer = new WasmWriter();
		Parser.parseWithoutDecoding(bytes, (section) -> {
			if (section.sectionId() == SectionId.CODE) {
				ByteBuffer source = ByteBuffer.wrap(((RawSection) section).contents());
				ByteArrayOutputStream out = new ByteArrayOutputStream();
				long count = readVarUInt32(source);
				writeVarUInt32(out, count);
				for (int i = 0; i < count; i++) {
					int size = (int) readVarUInt32(source);
					if (interpreted.contains(importedFunctions + i)) {
						writeVarUInt32(out, size);
						out.write(source.array(), source.position(), size);
					}
					else {
						// size 3: no locals, unreachable, end
						writeVarUInt32(out, 3);
						out.write(0);
						out.write(OpCode.UNREACHABLE.opcode());
						out.write(OpCode.END.opcode());
					}
					source.position(source.position() + size);
				}
				writer.writeSection(SectionId.CODE, out.toByteArray());
			}
			else if (section.sectionId() == SectionId.DATA && dataSection != null) {
				writer.writeSection(SectionId.DATA, dataSection);
			}
			else if (section.sectionId() == SectionId.CUSTOM && isNameSection((RawSection) section)) {
				writer.writeSection(SectionId.CUSTOM, functionNamesOnly(((RawSection) section).contents()));
			}
			else if (section.sectionId() != SectionId.CUSTOM) {
				writer.writeSection((RawSection) section);
			}
		});
		return writer.bytes();
	}

	/**
	 * The name section with only its module and function names (subsections 0 and 1):
	 * local and label names serve nothing here, and parsing them cost a warm start as
	 * much as the function names. Kept whole when it is not well formed.
	 */
	private static byte[] functionNamesOnly(byte[] contents) {
		ByteBuffer source = ByteBuffer.wrap(contents);
		source.position(NAME_SECTION_PREFIX.length);
		ByteArrayOutputStream out = new ByteArrayOutputStream(contents.length);
		out.write(contents, 0, NAME_SECTION_PREFIX.length);
		try {
			while (source.hasRemaining()) {
				int id = source.get() & 0xff;
				int size = (int) readVarUInt32(source);
				int start = source.position();
				source.position(start + size);
				if (id <= 1) {
					out.write(id);
					writeVarUInt32(out, size);
					out.write(contents, start, size);
				}
			}
		}
		catch (RuntimeException ex) {
			return contents;
		}
		return out.toByteArray();
	}

	private static boolean isNameSection(RawSection section) {
		return isNameSection(section.contents(), 0, section.contents().length);
	}

	private static boolean isNameSection(byte[] bytes, int contents, int size) {
		return size >= NAME_SECTION_PREFIX.length && Arrays.equals(bytes, contents,
				contents + NAME_SECTION_PREFIX.length, NAME_SECTION_PREFIX, 0, NAME_SECTION_PREFIX.length);
	}

	static long readVarUInt32(ByteBuffer buffer) {
		long value = 0;
		int shift = 0;
		while (true) {
			int b = buffer.get() & 0xff;
			value |= (long) (b & 0x7f) << shift;
			if ((b & 0x80) == 0) {
				return value;
			}
			shift += 7;
		}
	}

	static void writeVarUInt32(ByteArrayOutputStream out, long value) {
		do {
			int b = (int) (value & 0x7f);
			value >>>= 7;
			out.write((value != 0) ? (b | 0x80) : b);
		}
		while (value != 0);
	}

	/** The functions a loaded module defines (its imports not counted). */
	public static int functions(LoadedModule loaded) {
		return functionCount(loaded.module());
	}

	private static int functionCount(WasmModule module) {
		return module.functionSection().functionCount();
	}

}
