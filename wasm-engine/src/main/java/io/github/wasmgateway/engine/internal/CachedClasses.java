package io.github.wasmgateway.engine.internal;

import com.dylibso.chicory.compiler.internal.ClassLoadingCollector;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.function.Function;

/**
 * The classes of a compile cache entry, defined in a class loader of their own (one per
 * binary, as Chicory's compiler does) and verified as they are defined, and the factory
 * of their machine. What Chicory's {@link ClassLoadingCollector} does for a fresh
 * compile, less two costs of a JVM that has just started: the collector reads each
 * class's name from its bytes with ASM (a scan of the constant pool of a 3 MB class, not
 * yet JIT-compiled), where the entry names them, and it makes the factory a
 * {@code MethodHandleProxies} proxy (a class generated at run time), where a constructor
 * does.
 */
final class CachedClasses extends ClassLoader {

	private CachedClasses() {
		super(ClassLoadingCollector.class.getClassLoader());
	}

	/**
	 * Defines and initializes (so verifies) every class of {@code entry}, the main class
	 * last as Chicory's compiler does, and gives the factory of its machine.
	 */
	static Function<Instance, Machine> define(CompileCache.Entry entry) {
		CachedClasses loader = new CachedClasses();
		try {
			for (Map.Entry<String, byte[]> type : entry.classes().entrySet()) {
				if (!type.getKey().equals(entry.mainClass())) {
					loader.defineAndVerify(type.getKey(), type.getValue());
				}
			}
			Constructor<? extends Machine> constructor = loader
				.defineAndVerify(entry.mainClass(), entry.classes().get(entry.mainClass()))
				.asSubclass(Machine.class)
				.getConstructor(Instance.class);
			return (instance) -> newMachine(constructor, instance);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("the compile cache's class " + entry.mainClass() + " is not a machine", ex);
		}
	}

	private Class<?> defineAndVerify(String name, byte[] bytes) throws ClassNotFoundException {
		Class<?> type = defineClass(name, bytes, 0, bytes.length);
		return Class.forName(type.getName(), true, this);
	}

	private static Machine newMachine(Constructor<? extends Machine> constructor, Instance instance) {
		try {
			return constructor.newInstance(instance);
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
			throw new IllegalStateException("cannot create the machine of " + constructor.getDeclaringClass(), ex);
		}
	}

}
