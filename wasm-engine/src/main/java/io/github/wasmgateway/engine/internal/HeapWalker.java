package io.github.wasmgateway.engine.internal;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.github.wasmgateway.engine.PluginFootprint.ClassBytes;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ObjLongConsumer;
import java.util.function.Predicate;

/**
 * The heap an object graph holds: every object reachable from the roots through instance
 * fields and array elements, counted once, at the size HotSpot gives it (header, fields
 * and alignment, read from the VM's own options), stopping at the objects the
 * {@code boundary} says belong to someone else. Instead of an agent or
 * {@code sun.misc.Unsafe}, fields are read by reflection: the JDK's own classes do not
 * open theirs, so their collections and maps are followed through their public contents
 * and their internal storage (element arrays, hash nodes) is counted as the JDK lays it
 * out. Reads race with the threads using the graph; a figure is a snapshot, never a
 * failure.
 */
public final class HeapWalker {

	private static final Layout LAYOUT = Layout.current();

	private static final ClassValue<Shape> SHAPES = new ClassValue<>() {

		@Override
		protected Shape computeValue(Class<?> type) {
			return Shape.of(type);
		}

	};

	private final Predicate<Object> boundary;

	/**
	 * @param boundary true for an object the walk neither counts nor goes through
	 */
	public HeapWalker(Predicate<Object> boundary) {
		this.boundary = boundary;
	}

	/** Bytes of every object reachable from the roots inside the boundary. */
	public long retainedBytes(Object... roots) {
		return walk(null, roots);
	}

	/**
	 * The same walk broken down by class (arrays by their component type): bytes and
	 * object count of each, largest first; for finding what to cut, not for the request
	 * path.
	 */
	public List<ClassBytes> bytesByClass(Object... roots) {
		Map<Class<?>, ClassBytes> byClass = new HashMap<>();
		walk((type, bytes) -> byClass.merge(type, new ClassBytes(type.getName(), bytes, 1),
				(a, b) -> new ClassBytes(a.className(), a.bytes() + b.bytes(), a.count() + 1)), roots);
		List<ClassBytes> sorted = new ArrayList<>(byClass.values());
		sorted.sort(Comparator.comparingLong(ClassBytes::bytes).reversed());
		return sorted;
	}

	private long walk(ObjLongConsumer<Class<?>> counted, Object... roots) {
		// sized for a compiled plugin's few hundred thousand objects: resizing was a
		// fifth of a large module's walk
		Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>(1 << 16));
		ArrayDeque<Object> pending = new ArrayDeque<>();
		for (Object root : roots) {
			visit(root, seen, pending);
		}
		long total = 0;
		while (!pending.isEmpty()) {
			Object object = pending.pop();
			Class<?> type = object.getClass();
			if (type.isArray()) {
				int length = Array.getLength(object);
				long size = LAYOUT.arraySize(type.getComponentType(), length);
				total += size;
				if (counted != null) {
					counted.accept(type, size);
				}
				if (!type.getComponentType().isPrimitive()) {
					for (Object element : (Object[]) object) {
						visit(element, seen, pending);
					}
				}
				continue;
			}
			Shape shape = SHAPES.get(type);
			long size = shape.size;
			for (Field field : shape.references) {
				visit(read(field, object), seen, pending);
			}
			if (shape.opaque) {
				size += opaqueContents(object, seen, pending);
			}
			total += size;
			if (counted != null) {
				counted.accept(type, size);
			}
		}
		return total;
	}

	private void visit(Object object, Set<Object> seen, ArrayDeque<Object> pending) {
		if (object != null && !this.boundary.test(object) && seen.add(object)) {
			pending.push(object);
		}
	}

	private static Object read(Field field, Object object) {
		try {
			return field.get(object);
		}
		catch (IllegalAccessException ex) {
			return null;
		}
	}

	/**
	 * What a JDK object whose fields cannot be read holds: a string's characters, a
	 * collection's elements and element array, a map's keys, values, nodes and table.
	 */
	private long opaqueContents(Object object, Set<Object> seen, ArrayDeque<Object> pending) {
		try {
			if (object instanceof String string) {
				boolean latin1 = string.chars().allMatch((c) -> c < 256);
				return LAYOUT.arraySize(byte.class, latin1 ? string.length() : 2 * string.length());
			}
			if (object instanceof Collection<?> collection) {
				List<Object> elements = new ArrayList<>(collection);
				elements.forEach((element) -> visit(element, seen, pending));
				return (object instanceof Set) ? LAYOUT.hashStorage(elements.size())
						: LAYOUT.arraySize(Object.class, elements.size());
			}
			if (object instanceof Map<?, ?> map) {
				List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
				for (Map.Entry<?, ?> entry : entries) {
					visit(entry.getKey(), seen, pending);
					visit(entry.getValue(), seen, pending);
				}
				return LAYOUT.hashStorage(entries.size());
			}
		}
		catch (RuntimeException ex) {
			// changed while copied (a VM's thread at work): its contents are left out
		}
		return 0;
	}

	/** An object's size and the reference fields the walk can follow. */
	private record Shape(long size, Field[] references, boolean opaque) {

		static Shape of(Class<?> type) {
			long fieldBytes = 0;
			List<Field> references = new ArrayList<>();
			boolean opaque = false;
			for (Class<?> c = type; c != null; c = c.getSuperclass()) {
				for (Field field : c.getDeclaredFields()) {
					if (Modifier.isStatic(field.getModifiers())) {
						continue;
					}
					fieldBytes += LAYOUT.fieldSize(field.getType());
					if (!field.getType().isPrimitive()) {
						if (field.trySetAccessible()) {
							references.add(field);
						}
						else {
							opaque = true;
						}
					}
				}
			}
			return new Shape(LAYOUT.align(LAYOUT.objectHeader + fieldBytes), references.toArray(new Field[0]), opaque);
		}

	}

	/** How this JVM lays objects out, from its options (64-bit HotSpot defaults else). */
	private record Layout(int objectHeader, int reference, int alignment) {

		static Layout current() {
			boolean compressedOops = option("UseCompressedOops", true);
			boolean compressedClasses = option("UseCompressedClassPointers", true);
			boolean compactHeaders = option("UseCompactObjectHeaders", false);
			int alignment = Integer.parseInt(optionValue("ObjectAlignmentInBytes", "8"));
			int header = compactHeaders ? 8 : (compressedClasses ? 12 : 16);
			return new Layout(header, compressedOops ? 4 : 8, alignment);
		}

		private static boolean option(String name, boolean otherwise) {
			return Boolean.parseBoolean(optionValue(name, Boolean.toString(otherwise)));
		}

		private static String optionValue(String name, String otherwise) {
			try {
				return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name).getValue();
			}
			catch (RuntimeException ex) {
				// not HotSpot, or an option this JDK does not have
				return otherwise;
			}
		}

		long align(long bytes) {
			return (bytes + this.alignment - 1) / this.alignment * this.alignment;
		}

		long fieldSize(Class<?> type) {
			if (!type.isPrimitive()) {
				return this.reference;
			}
			if (type == long.class || type == double.class) {
				return 8;
			}
			if (type == int.class || type == float.class) {
				return 4;
			}
			return (type == short.class || type == char.class) ? 2 : 1;
		}

		long arraySize(Class<?> component, int length) {
			long element = fieldSize(component);
			long base = this.objectHeader + 4;
			if (element == 8) {
				base = (base + 7) / 8 * 8;
			}
			return align(base + element * length);
		}

		/**
		 * A hash table's storage for {@code entries}: its table (a power of two, at most
		 * three quarters full) and one node per entry (hash, key, value, next).
		 */
		long hashStorage(int entries) {
			int table = (entries == 0) ? 0 : Integer.highestOneBit(Math.max(1, (int) (entries / 0.75f)) * 2 - 1);
			return arraySize(Object.class, table) + entries * align(this.objectHeader + 4 + 3L * this.reference);
		}

	}

}
