package io.github.wasmgateway.engine.abi;

import com.dylibso.chicory.runtime.Memory;
import io.github.wasmgateway.engine.internal.PluginVm;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked access to a VM's linear memory for the host functions: a bad pointer or
 * length from the guest is a status, never an exception thrown into the guest. Pointers
 * and lengths are unsigned 32-bit values.
 */
final class GuestMemory {

	/**
	 * Maximum size the host copies into a VM in one answer (matches Envoy's header
	 * limit).
	 */
	static final long MAX_COPY = 64L * 1024 * 1024;

	private final PluginVm vm;

	/** Strings up to this many bytes are decoded from {@link #text}, not a fresh copy. */
	private static final int SHORT_STRING = 256;

	/**
	 * The largest scratch array a VM keeps: a larger value gets an array of its own, so
	 * one large header map does not keep its array for the VM's life.
	 */
	static final int SCRATCH_KEPT = 64 * 1024;

	private static final byte[] NO_SCRATCH = new byte[0];

	/**
	 * Reused for serialized header maps: the VM is single-threaded. Allocated at first
	 * use, so a VM that never serializes a map (and each of a plugin's many idle VMs
	 * until it does) holds none.
	 */
	private byte[] scratch = NO_SCRATCH;

	/**
	 * Copies up to this many bytes go byte by byte: for a header value of a few bytes
	 * that is cheaper than the bulk copy's checks and array copy.
	 */
	private static final int SHORT_COPY = 16;

	/**
	 * Reused to decode short strings; separate from {@link #scratch}, which may hold an
	 * answer while the allocator runs guest code that calls back in.
	 */
	private final byte[] text = new byte[SHORT_STRING];

	private final HeaderNames headerNames = new HeaderNames();

	GuestMemory(PluginVm vm) {
		this.vm = vm;
	}

	static long u32(long value) {
		return value & 0xFFFFFFFFL;
	}

	Memory memory() {
		return this.vm.memory();
	}

	boolean inBounds(long pointer, long length) {
		long ptr = u32(pointer);
		long len = u32(length);
		return ptr + len <= (long) memory().pages() * 65536;
	}

	/** The bytes at (pointer, length), or null when out of bounds. */
	byte[] read(long pointer, long length) {
		if (!inBounds(pointer, length)) {
			return null;
		}
		return memory().readBytes((int) u32(pointer), (int) u32(length));
	}

	String readString(long pointer, long length) {
		if (!inBounds(pointer, length)) {
			return null;
		}
		int len = (int) u32(length);
		if (len > SHORT_STRING) {
			return new String(memory().readBytes((int) u32(pointer), len), StandardCharsets.UTF_8);
		}
		return new String(readText(pointer, len), 0, len, StandardCharsets.UTF_8);
	}

	/**
	 * A header name as the header maps compare it (lower case), or null when out of
	 * bounds; names seen before cost no allocation.
	 */
	String readHeaderName(long pointer, long length) {
		if (!inBounds(pointer, length)) {
			return null;
		}
		int len = (int) u32(length);
		if (len > HeaderNames.MAX_LENGTH) {
			return HeaderNames.lowerCase(readString(pointer, length));
		}
		Memory memory = memory();
		int address = (int) u32(pointer);
		byte[] buffer = this.text;
		int hash = HeaderNames.HASH_START;
		for (int i = 0; i < len; i++) {
			byte next = memory.read(address + i);
			buffer[i] = next;
			hash = HeaderNames.hash(hash, next);
		}
		return this.headerNames.name(buffer, len, hash);
	}

	/**
	 * Copies {@code length} (at most {@link #SHORT_STRING}, in bounds) bytes into
	 * {@link #text}; valid until the next read, which no guest code runs before.
	 */
	private byte[] readText(long pointer, int length) {
		Memory memory = memory();
		int address = (int) u32(pointer);
		byte[] buffer = this.text;
		for (int i = 0; i < length; i++) {
			buffer[i] = memory.read(address + i);
		}
		return buffer;
	}

	boolean writeU32(long pointer, long value) {
		if (!inBounds(pointer, 4)) {
			return false;
		}
		memory().writeI32((int) u32(pointer), (int) value);
		return true;
	}

	boolean writeU64(long pointer, long value) {
		if (!inBounds(pointer, 8)) {
			return false;
		}
		memory().writeLong((int) u32(pointer), value);
		return true;
	}

	/**
	 * Copies {@code length} bytes of {@code data} into memory from the guest's allocator
	 * and writes (pointer, size) at the two return addresses. Empty data is (0, 0), as in
	 * Envoy.
	 */
	int copyOut(byte[] data, int length, long returnPointer, long returnSize) {
		long address = answerMemory(returnPointer, returnSize, length);
		if (address < 0) {
			return Status.INVALID_MEMORY_ACCESS;
		}
		if (length > 0) {
			Memory memory = memory();
			if (length <= SHORT_COPY) {
				for (int i = 0; i < length; i++) {
					memory.writeByte((int) address + i, data[i]);
				}
			}
			else {
				memory.write((int) address, data, 0, length);
			}
		}
		return answer(returnPointer, address, returnSize, length);
	}

	/**
	 * {@link #copyOut(byte[], long, long)} of {@code text} in UTF-8; ASCII text (header
	 * values, nearly always) is written straight into the guest's memory, with no copy in
	 * between.
	 */
	int copyOut(String text, long returnPointer, long returnSize) {
		int length = text.length();
		if (length > SHORT_STRING || !ascii(text)) {
			byte[] bytes = scratch(length * 3);
			return copyOut(bytes, HeaderPairs.encode(text, bytes, 0), returnPointer, returnSize);
		}
		long address = answerMemory(returnPointer, returnSize, length);
		if (address < 0) {
			return Status.INVALID_MEMORY_ACCESS;
		}
		if (length > 0) {
			Memory memory = memory();
			for (int i = 0; i < length; i++) {
				memory.writeByte((int) address + i, (byte) text.charAt(i));
			}
		}
		return answer(returnPointer, address, returnSize, length);
	}

	private static boolean ascii(String text) {
		for (int i = 0; i < text.length(); i++) {
			if (text.charAt(i) >= 0x80) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Where an answer of {@code length} bytes goes: memory from the guest's allocator (0
	 * for an empty answer), or -1 when a return address or the allocated memory is out of
	 * bounds or the allocator fails.
	 */
	private long answerMemory(long returnPointer, long returnSize, int length) {
		if (!inBounds(returnPointer, 4) || !inBounds(returnSize, 4)) {
			return -1;
		}
		if (length == 0) {
			return 0;
		}
		long address = allocate(length);
		return (address == 0 || !inBounds(address, length)) ? -1 : address;
	}

	/** Writes (address, length) at the two return addresses, checked by the caller. */
	private int answer(long returnPointer, long address, long returnSize, int length) {
		Memory memory = memory();
		memory.writeI32((int) u32(returnPointer), (int) address);
		memory.writeI32((int) u32(returnSize), length);
		return Status.OK;
	}

	int copyOut(byte[] data, long returnPointer, long returnSize) {
		return copyOut(data, data.length, returnPointer, returnSize);
	}

	/** Calls the guest's allocator; 0 on failure. */
	long allocate(int size) {
		long[] result = this.vm.callAllocator(size);
		return (result != null && result.length > 0) ? u32(result[0]) : 0;
	}

	/** A scratch array of at least {@code size} bytes, valid until the next call. */
	byte[] scratch(int size) {
		if (size > SCRATCH_KEPT) {
			// one large value: an array of its own, garbage once the caller is done
			return new byte[size];
		}
		int length = this.scratch.length;
		if (length < size) {
			this.scratch = new byte[Math.min(SCRATCH_KEPT, Math.max(size, length * 2))];
		}
		return this.scratch;
	}

}
