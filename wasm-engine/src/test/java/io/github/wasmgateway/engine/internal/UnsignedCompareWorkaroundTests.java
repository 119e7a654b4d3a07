package io.github.wasmgateway.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wasmgateway.engine.WasmEngine;
import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class UnsignedCompareWorkaroundTests {

	@Test
	void onlyHotSpot17NeedsIt() {
		assertThat(UnsignedCompareWorkaround.needed("17", "OpenJDK 64-Bit Server VM", null)).isTrue();
		assertThat(UnsignedCompareWorkaround.needed("17", "Java HotSpot(TM) 64-Bit Server VM", null)).isTrue();
		assertThat(UnsignedCompareWorkaround.needed("17", "OpenJDK 64-Bit Server VM", "false")).isFalse();
		assertThat(UnsignedCompareWorkaround.needed("21", "OpenJDK 64-Bit Server VM", null)).isFalse();
		assertThat(UnsignedCompareWorkaround.needed("25", "OpenJDK 64-Bit Server VM", null)).isFalse();
		assertThat(UnsignedCompareWorkaround.needed("17", "Eclipse OpenJ9 VM", null)).isFalse();
	}

	@Test
	void theDirectiveCoversTheClassesTheEngineCompilesAtLoad() {
		// their functions live in <name>FuncGroup_N, whose name has no "Machine"
		String compiled = ModuleCompiler.compiledClassName("e694a5130c038498e694a5130c038498");
		assertThat(compiled).doesNotContain("Machine");
		String packagePattern = compiled.substring(0, compiled.lastIndexOf('.') + 1).replace('.', '/') + "*.*";
		assertThat(UnsignedCompareWorkaround.DIRECTIVE).contains("\"" + packagePattern + "\"");
	}

	@Test
	void theDirectiveCoversTheEngineMethodWasmCodeIsInlinedInto() {
		// a directive applies by the root of a compilation, and C2 inlines a module's
		// functions into GuestCalls.invokeWithin (seen with -XX:+PrintInlining)
		String enginePrefix = WasmEngine.class.getPackageName().replace('.', '/') + "/";
		assertThat(UnsignedCompareWorkaround.DIRECTIVE).contains("\"" + enginePrefix + "*.*\"");
		assertThat(GuestCalls.class.getName().replace('.', '/')).startsWith(enginePrefix);
	}

	@Test
	void anEngineOnThisJvmHasTheDirectiveExactlyWhenItIsNeeded() throws Exception {
		WasmEngine.builder().build();
		boolean needed = UnsignedCompareWorkaround.needed(System.getProperty("java.specification.version"),
				System.getProperty("java.vm.name"), System.getProperty(UnsignedCompareWorkaround.DISABLE_PROPERTY));
		assertThat(UnsignedCompareWorkaround.applied()).isEqualTo(needed);
		String directives = String.valueOf(ManagementFactory.getPlatformMBeanServer()
			.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesPrint",
					new Object[] { new String[0] }, new String[] { String[].class.getName() }));
		assertThat(directives.contains("-java/lang/Integer.compareUnsigned")).isEqualTo(needed);
	}

}
