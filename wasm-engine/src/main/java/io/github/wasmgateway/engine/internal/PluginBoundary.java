package io.github.wasmgateway.engine.internal;

import com.dylibso.chicory.runtime.Memory;
import io.github.wasmgateway.engine.host.WorkerExecutors;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * Where a walk of a plugin's heap stops: at what other plugins or the host hold too (host
 * services, workers and executors, threads, classes and class loaders, enum constants,
 * the engine's watchdog, and every object of a class outside the engine, Chicory, the JDK
 * and the plugin's own compiled classes: a gateway's), and at a VM's linear memory, which
 * is reported on its own.
 */
public final class PluginBoundary implements Predicate<Object> {

	private static final String ENGINE_PACKAGE = "io.github.wasmgateway.engine.";

	private static final String HOST_PACKAGE = "io.github.wasmgateway.engine.host.";

	private final String ownClasses;

	/**
	 * @param ownClasses the prefix of the plugin's compiled classes' names (null when
	 * interpreted)
	 */
	public PluginBoundary(String ownClasses) {
		this.ownClasses = ownClasses;
	}

	@Override
	public boolean test(Object object) {
		if (object instanceof Memory || object instanceof Class || object instanceof ClassLoader
				|| object instanceof Thread || object instanceof ThreadGroup || object instanceof Executor
				|| object instanceof WorkerExecutors || object instanceof CallWatchdog || object instanceof Enum
				|| object instanceof Module) {
			return true;
		}
		Class<?> type = object.getClass();
		while (type.isArray()) {
			type = type.getComponentType();
		}
		String name = type.getName();
		if (type.isPrimitive() || name.startsWith("java.") || name.startsWith("com.dylibso.chicory.")
				|| (this.ownClasses != null && name.startsWith(this.ownClasses))) {
			return false;
		}
		return !name.startsWith(ENGINE_PACKAGE) || name.startsWith(HOST_PACKAGE);
	}

}
