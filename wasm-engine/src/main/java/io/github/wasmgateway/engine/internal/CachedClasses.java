package io.github.wasmgateway.engine.internal;

import com.dylibso.chicory.compiler.internal.ClassLoadingCollector;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The classes of a compile cache entry, defined in a class loader of their own (one per
 * binary, as Chicory's compiler does), each when the JVM first resolves it, and the
 * factory of their machine. Only the machine class and those every call goes through are
 * defined (and verified) up front: the function groups ({@code FuncGroup_N},
 * {@link ModuleCompiler#FUNCTIONS_PER_CLASS} functions each), the dispatch and
 * {@code call_indirect} classes are defined, and so verified, when a call first reaches
 * them, so a warm start verifies only what its VM's start-up runs (the generated code
 * names them in {@code invokestatic} instructions, which the JVM resolves at their first
 * execution; the verifier checks their arguments against Chicory's types, not theirs).
 * Until then their bytes stay in {@link Machines#undefined()}, which the plugin's
 * footprint counts. The bytes come from an entry whose MAC verified, and every class is
 * still verified when it is linked.
 * <p>
 * Compared with Chicory's {@link ClassLoadingCollector} for a fresh compile, this also
 * saves two costs of a JVM that has just started: the collector reads each class's name
 * from its bytes with ASM, where the entry names them, and makes the factory a
 * {@code MethodHandleProxies} proxy (a class generated at run time), where a constructor
 * does.
 */
final class CachedClasses extends ClassLoader {

	private final Map<String, byte[]> undefined;

	private CachedClasses(Map<String, byte[]> undefined) {
		super(ClassLoadingCollector.class.getClassLoader());
		this.undefined = undefined;
	}

	/**
	 * Defines and initializes (so verifies) the main class of {@code entry} and those
	 * every call goes through, leaves the others to be defined when first resolved, and
	 * gives the factory of its machine.
	 */
	static Machines define(CompileCache.Entry entry) {
		Map<String, byte[]> undefined = new ConcurrentHashMap<>(entry.classes());
		byte[] main = undefined.remove(entry.mainClass());
		CachedClasses loader = new CachedClasses(undefined);
		try {
			Class<?> type = loader.defineClass(entry.mainClass(), main, 0, main.length);
			Constructor<? extends Machine> constructor = Class.forName(type.getName(), true, loader)
				.asSubclass(Machine.class)
				.getConstructor(Instance.class);
			for (String name : entry.classes().keySet()) {
				if (name.startsWith(entry.mainClass()) && isOnEveryCall(name.substring(entry.mainClass().length()))) {
					Class.forName(name, true, loader);
				}
			}
			return new Machines(constructor, undefined);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("the compile cache's class " + entry.mainClass() + " is not a machine", ex);
		}
	}

	/**
	 * Whether the class of this name (after the main class's) is one every call from the
	 * host goes through, so the first VM's start-up needs it anyway: Chicory's
	 * {@code MachineCall} and {@code Dispatch_N} (from a function index to its group) and
	 * {@code Shaded} (helpers the compiled code calls). Defined up front, they are
	 * verified while the stripped module is parsed on the other thread
	 * ({@link ModuleCompiler#cached}), rather than on the first call.
	 */
	private static boolean isOnEveryCall(String suffix) {
		return suffix.equals("MachineCall") || suffix.equals("Shaded") || suffix.startsWith("Dispatch_");
	}

	/**
	 * Defines a class of the entry when the JVM first asks for it (its parent, asked
	 * first, does not have it); called with this loader's lock held, so once per class.
	 */
	@Override
	protected Class<?> findClass(String name) throws ClassNotFoundException {
		byte[] bytes = this.undefined.get(name);
		if (bytes == null) {
			throw new ClassNotFoundException(name);
		}
		Class<?> type = defineClass(name, bytes, 0, bytes.length);
		this.undefined.remove(name);
		return type;
	}

	/**
	 * The machine factory of a cache entry's classes; {@code undefined} holds the bytes
	 * of those not defined yet (read by a walk of the plugin's heap: the class loader
	 * that also holds them is where such a walk stops).
	 */
	record Machines(Constructor<? extends Machine> constructor,
			Map<String, byte[]> undefined) implements Function<Instance, Machine> {

		@Override
		public Machine apply(Instance instance) {
			try {
				return this.constructor.newInstance(instance);
			}
			catch (InvocationTargetException ex) {
				if (ex.getCause() instanceof RuntimeException runtime) {
					throw runtime;
				}
				if (ex.getCause() instanceof Error error) {
					throw error;
				}
				throw new IllegalStateException(ex.getCause());
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException("cannot create the machine of " + this.constructor.getDeclaringClass(),
						ex);
			}
		}

	}

}
