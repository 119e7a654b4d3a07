package io.github.wasmgateway.engine.internal;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ActiveDataSegment;
import com.dylibso.chicory.wasm.types.DataSection;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.Instruction;
import com.dylibso.chicory.wasm.types.OpCode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * A module's data section rewritten as few segments that leave the memory exactly as the
 * original ones do after instantiation. A Go plugin has tens of thousands of small data
 * segments (its linker starts a new one after every run of 8 zero bytes); Chicory builds
 * objects for each when it parses the module and copies each when it instantiates it,
 * which dominated a warm start. The merged section is what the compile cache stores in
 * the stripped module.
 * <p>
 * The merge applies the segments in order to an image of the memory they cover (a later
 * segment overwriting an earlier one wins, as at instantiation), then writes every run of
 * written bytes as one segment, bridging gaps of up to {@value #MAX_ZERO_GAP} unwritten
 * bytes with zeros: a fresh memory is zero there already, and a zero byte costs less heap
 * than a segment object. It is sound only when nothing can tell the segments apart, so
 * the section is kept as it is unless
 * <ul>
 * <li>the module has no DataCount section (so no {@code memory.init} or {@code data.drop}
 * names a segment by index: validation requires the section for them),</li>
 * <li>its memory is its own, not imported (so it is zero before the segments are applied
 * and nobody sees the writes one by one),</li>
 * <li>every segment is active, targets memory 0 at a constant {@code i32.const} offset,
 * and fits in the initial memory (a module whose segment does not keeps its segments, so
 * that instantiation fails exactly as before).</li>
 * </ul>
 */
final class DataSegmentMerge {

	/**
	 * The longest run of unwritten bytes bridged with zeros: about what Chicory keeps per
	 * segment (the segment, its offset expression and instruction, the array headers).
	 */
	static final int MAX_ZERO_GAP = 128;

	/** Above this, the image is not worth building at compile time. */
	private static final long MAX_SPAN = 64L * 1024 * 1024;

	private static final long PAGE = 65536;

	private DataSegmentMerge() {
	}

	/**
	 * The contents of the merged data section (as the binary encodes it, without the
	 * section id and size), or null when the module's segments are kept as they are: they
	 * cannot be merged soundly, or merging would not make fewer.
	 */
	static byte[] mergedSection(WasmModule module) {
		DataSegment[] segments = module.dataSection().dataSegments();
		if (segments.length < 2 || module.dataCountSection().isPresent()
				|| module.importSection().count(ExternalType.MEMORY) > 0 || module.memorySection().isEmpty()
				|| module.memorySection().get().memoryCount() != 1) {
			return null;
		}
		long initialBytes = module.memorySection().get().getMemory(0).limits().initialPages() * PAGE;
		long[] offsets = new long[segments.length];
		long start = Long.MAX_VALUE;
		long end = 0;
		for (int i = 0; i < segments.length; i++) {
			Long offset = constantOffset(segments[i]);
			if (offset == null || offset + segments[i].data().length > initialBytes) {
				return null;
			}
			offsets[i] = offset;
			start = Math.min(start, offset);
			end = Math.max(end, offset + segments[i].data().length);
		}
		if (end - start > MAX_SPAN) {
			return null;
		}
		byte[] image = new byte[(int) (end - start)];
		BitSet written = new BitSet(image.length);
		for (int i = 0; i < segments.length; i++) {
			byte[] data = segments[i].data();
			int at = (int) (offsets[i] - start);
			System.arraycopy(data, 0, image, at, data.length);
			written.set(at, at + data.length);
		}
		return encode(image, written, start, segments.length);
	}

	/** The segment's offset when it is an active one of memory 0 at an i32.const. */
	private static Long constantOffset(DataSegment segment) {
		if (!(segment instanceof ActiveDataSegment active) || active.index() != 0) {
			return null;
		}
		List<Instruction> expression = active.offsetInstructions();
		int length = (!expression.isEmpty() && expression.get(expression.size() - 1).opcode() == OpCode.END)
				? expression.size() - 1 : expression.size();
		if (length != 1 || expression.get(0).opcode() != OpCode.I32_CONST) {
			return null;
		}
		// i32.const is signed; the address is its unsigned value
		return expression.get(0).operand(0) & 0xFFFF_FFFFL;
	}

	private static byte[] encode(byte[] image, BitSet written, long base, int originalCount) {
		ByteArrayOutputStream segments = new ByteArrayOutputStream(image.length + 64);
		int count = 0;
		int from = written.nextSetBit(0);
		while (from >= 0) {
			int to = written.nextClearBit(from);
			int next = written.nextSetBit(to);
			while (next >= 0 && next - to <= MAX_ZERO_GAP) {
				to = written.nextClearBit(next);
				next = written.nextSetBit(to);
			}
			// active, memory 0: i32.const offset, end; then the bytes
			segments.write(0);
			segments.write(OpCode.I32_CONST.opcode());
			writeVarInt32(segments, (int) (base + from));
			segments.write(OpCode.END.opcode());
			ModuleCompiler.writeVarUInt32(segments, to - from);
			segments.write(image, from, to - from);
			count++;
			from = next;
		}
		if (count >= originalCount) {
			return null;
		}
		ByteArrayOutputStream section = new ByteArrayOutputStream(segments.size() + 5);
		ModuleCompiler.writeVarUInt32(section, count);
		section.writeBytes(segments.toByteArray());
		return section.toByteArray();
	}

	/**
	 * The data section whose contents ({@code bytes} from {@code from} to {@code to}) are
	 * segments as {@link #encode} writes them (active, memory 0, at an
	 * {@code i32.const}), as Chicory's parser would build it; null when a segment is of
	 * another kind (Chicory's parser reads those). A warm start reads the stored section
	 * so: Chicory's parser would first copy the whole binary through 1 KB reads, and the
	 * merged image is most of a large module's stripped binary.
	 */
	static DataSection read(byte[] bytes, int from, int to) {
		ByteBuffer contents = ByteBuffer.wrap(bytes, from, to - from);
		DataSection.Builder section = DataSection.builder();
		try {
			long count = ModuleCompiler.readVarUInt32(contents);
			for (long i = 0; i < count; i++) {
				if (contents.get() != 0 || contents.get() != OpCode.I32_CONST.opcode()) {
					return null;
				}
				int offset = readVarInt32(contents);
				if (contents.get() != OpCode.END.opcode()) {
					return null;
				}
				int length = (int) ModuleCompiler.readVarUInt32(contents);
				int start = contents.position();
				contents.position(start + length);
				Instruction constant = new Instruction(-1, OpCode.I32_CONST, new long[] { offset });
				section.addDataSegment(
						new ActiveDataSegment(0, List.of(constant), Arrays.copyOfRange(bytes, start, start + length)));
			}
		}
		catch (RuntimeException ex) {
			// not well formed: Chicory's parser says why
			return null;
		}
		return contents.hasRemaining() ? null : section.build();
	}

	/** Signed LEB128, as {@code i32.const} takes its operand. */
	static int readVarInt32(ByteBuffer in) {
		int value = 0;
		int shift = 0;
		int b;
		do {
			b = in.get() & 0xff;
			value |= (b & 0x7f) << shift;
			shift += 7;
		}
		while ((b & 0x80) != 0);
		return (shift < 32 && (b & 0x40) != 0) ? (value | (-1 << shift)) : value;
	}

	/** Signed LEB128, as {@code i32.const} takes its operand. */
	static void writeVarInt32(ByteArrayOutputStream out, int value) {
		while (true) {
			int b = value & 0x7f;
			value >>= 7;
			boolean done = (value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0);
			out.write(done ? b : (b | 0x80));
			if (done) {
				return;
			}
		}
	}

}
