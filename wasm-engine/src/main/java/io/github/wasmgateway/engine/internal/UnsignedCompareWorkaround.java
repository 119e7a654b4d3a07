package io.github.wasmgateway.engine.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps HotSpot 17's C2 from inlining {@code Integer/Long.compareUnsigned} into the code
 * that runs Wasm (Chicory's compiled classes, its interpreter and opcode helpers).
 * <p>
 * On Java 17, C2 sometimes miscompiles an unsigned comparison once it is inlined into the
 * large methods Chicory generates: {@code malloc(9)} of a built-in plugin aborted as
 * "allocation too large" ({@code i32.gt_u} answering true for 9 &gt; 1073741820) in about
 * one test run in two; never with C1 only, never on Java 21 or 25. Chicory knows the bug
 * (dylibso/chicory issues 755 and 843, PR 1178) and works around it for {@code i32.ge_u}
 * only. A compiler directive, added once per JVM through the {@code DiagnosticCommand}
 * MBean (what {@code jcmd Compiler.directives_add} does), keeps the two comparisons out
 * of line in those classes only: they stay compiled, so a comparison costs a call.
 * Nothing is done on other Java versions or JVMs, or when the system property
 * {@value #DISABLE_PROPERTY} is {@code false}.
 */
public final class UnsignedCompareWorkaround {

	/** The system property that turns the workaround off ({@code false}). */
	public static final String DISABLE_PROPERTY = "wasm-gateway.hotspot17-unsigned-compare-workaround";

	/**
	 * Chicory's own classes (interpreter, opcodes), the classes its compiler generates at
	 * build time ({@code <name>Machine}, {@code <name>MachineFuncGroup_N}, ...) and those
	 * the engine compiles at load ({@code io.github.wasmgateway.compiled.Wasm<hash>},
	 * {@code ...Wasm<hash>FuncGroup_N}: no "Machine" in the name of the classes that hold
	 * the functions, see {@code ModuleCompiler.compiledClassName}), and the engine's own
	 * classes: a directive applies to the compilations it matches by their root method,
	 * and C2 inlines a module's small functions into {@code GuestCalls.invokeWithin}, the
	 * method every guest call goes through, when it compiles that.
	 */
	static final String DIRECTIVE = """
			[{
			  match: ["com/dylibso/chicory/*.*", "*Machine*.*", "io/github/wasmgateway/compiled/*.*",
			          "io/github/wasmgateway/engine/*.*"],
			  inline: ["-java/lang/Integer.compareUnsigned", "-java/lang/Long.compareUnsigned"]
			}]
			""";

	private static final Logger log = LoggerFactory.getLogger(UnsignedCompareWorkaround.class);

	private static final boolean APPLIED = apply();

	private UnsignedCompareWorkaround() {
	}

	/** Applies the workaround on first use (once per JVM); whether it is in place. */
	public static boolean applied() {
		return APPLIED;
	}

	/** Whether a JVM of this version and name needs the workaround. */
	static boolean needed(String javaSpecificationVersion, String vmName, String setting) {
		if ("false".equalsIgnoreCase(setting)) {
			return false;
		}
		return "17".equals(javaSpecificationVersion) && vmName != null
				&& (vmName.contains("HotSpot") || vmName.contains("OpenJDK"));
	}

	private static void notAdded(String why) {
		log.warn("Java 17: could not add the compiler directive that avoids C2 miscompiling unsigned "
				+ "comparisons in Wasm code ({}); run on Java 21 or later", why);
	}

	private static boolean apply() {
		if (!needed(System.getProperty("java.specification.version"), System.getProperty("java.vm.name"),
				System.getProperty(DISABLE_PROPERTY))) {
			return false;
		}
		Path file = null;
		try {
			file = Files.createTempFile("wasm-gateway-compiler-directive", ".json");
			Files.writeString(file, DIRECTIVE, StandardCharsets.UTF_8);
			MBeanServer server = ManagementFactory.getPlatformMBeanServer();
			Object answer = server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
					"compilerDirectivesAdd", new Object[] { new String[] { file.toString() } },
					new String[] { String[].class.getName() });
			boolean added = String.valueOf(answer).contains("1 compiler directives added");
			if (added) {
				log.info("Java 17: keeping C2 from inlining unsigned comparisons into Wasm code, which it can "
						+ "miscompile (see docs/engine.md; -D{}=false turns this off)", DISABLE_PROPERTY);
			}
			else {
				log.warn(
						"Java 17: could not add the compiler directive that avoids C2 miscompiling unsigned "
								+ "comparisons in Wasm code ({}); run on Java 21 or later",
						String.valueOf(answer).trim());
			}
			return added;
		}
		catch (IOException | JMException | RuntimeException ex) {
			log.warn("Java 17: could not add the compiler directive that avoids C2 miscompiling unsigned "
					+ "comparisons in Wasm code ({}); run on Java 21 or later", ex.toString());
			return false;
		}
		finally {
			if (file != null) {
				try {
					Files.deleteIfExists(file);
				}
				catch (IOException ex) {
					// a temporary file left behind is harmless
				}
			}
		}
	}

}
