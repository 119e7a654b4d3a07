package io.github.wasmgateway.gateway;

import io.github.wasmgateway.engine.BodyBuffer;
import io.github.wasmgateway.engine.ByteArrayBody;
import java.nio.ByteBuffer;
import org.springframework.core.io.buffer.DataBuffer;

/**
 * A body chunk as the plugin sees it: a view of the {@link DataBuffer} until the plugin
 * changes it, then its own bytes. A plugin that neither reads nor changes the chunk costs
 * no copy.
 */
final class ChunkBody implements BodyBuffer {

	private final DataBuffer chunk;

	private ByteArrayBody replaced;

	ChunkBody(DataBuffer chunk) {
		this.chunk = chunk;
	}

	@Override
	public int size() {
		return (this.replaced != null) ? this.replaced.size() : this.chunk.readableByteCount();
	}

	@Override
	public void read(int start, byte[] target, int targetOffset, int length) {
		if (this.replaced != null) {
			this.replaced.read(start, target, targetOffset, length);
			return;
		}
		this.chunk.toByteBuffer(this.chunk.readPosition() + start, ByteBuffer.wrap(target), targetOffset, length);
	}

	@Override
	public void replace(int start, int length, byte[] data) {
		if (this.replaced == null) {
			byte[] bytes = new byte[this.chunk.readableByteCount()];
			read(0, bytes, 0, bytes.length);
			this.replaced = new ByteArrayBody(bytes);
		}
		this.replaced.replace(start, length, data);
	}

	/** Whether the plugin changed the chunk. */
	boolean changed() {
		return this.replaced != null;
	}

	/** The bytes after the plugin's changes. */
	byte[] bytes() {
		if (this.replaced != null) {
			return this.replaced.bytes();
		}
		byte[] bytes = new byte[this.chunk.readableByteCount()];
		read(0, bytes, 0, bytes.length);
		return bytes;
	}

}
