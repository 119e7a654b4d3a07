package io.github.wasmgateway.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.protocol.RedisStateMachine;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replies decoded by Lettuce's own protocol decoder (with its simple strings passed on as
 * such, {@link SimpleStringDecoding}) come back from {@link RespReplyOutput} as exactly
 * the bytes Redis sent, whatever their shape, also when they arrive a few bytes at a
 * time. (WasmRedisClientTests does the same against a real Redis.)
 */
class RespReplyOutputTests {

	static String decode(String reply, int chunk) {
		RedisStateMachine decoder = new SimpleStringDecoding.Decoder();
		decoder.setProtocolVersion(ProtocolVersion.RESP2);
		RespReplyOutput output = new RespReplyOutput(0);
		byte[] bytes = reply.getBytes(StandardCharsets.ISO_8859_1);
		ByteBuf buffer = Unpooled.buffer();
		boolean done = false;
		for (int at = 0; at < bytes.length; at += chunk) {
			buffer.writeBytes(bytes, at, Math.min(chunk, bytes.length - at));
			done = decoder.decode(buffer, output);
		}
		assertThat(done).as("decoded all of %s", reply).isTrue();
		assertThat(buffer.isReadable()).isFalse();
		return new String(output.get(), StandardCharsets.ISO_8859_1);
	}

	@Test
	void everyReplyShapeIsWrittenBackAsSent() {
		for (String reply : List.of("+OK\r\n", "+\r\n", "-ERR unknown command 'x'\r\n", "-WRONGTYPE Operation\r\n",
				":0\r\n", ":-42\r\n", ":9223372036854775807\r\n", "$5\r\nhello\r\n", "$0\r\n\r\n", "$-1\r\n",
				"$4\r\na\r\nb\r\n", "$3\r\n\u0000\u00ff$\r\n", "*0\r\n", "*-1\r\n", "*2\r\n$1\r\na\r\n$-1\r\n",
				"*6\r\n:1\r\n$3\r\ntwo\r\n*2\r\n:3\r\n$-1\r\n+FINE\r\n-BAD thing\r\n*0\r\n",
				"*3\r\n*1\r\n*1\r\n*0\r\n*-1\r\n*2\r\n:1\r\n-E\r\n", "*1\r\n+QUEUED\r\n", "+QUEUED\r\n")) {
			assertThat(decode(reply, reply.length())).as(reply).isEqualTo(reply);
			assertThat(decode(reply, 1)).as("%s a byte at a time", reply).isEqualTo(reply);
		}
	}

	@Test
	void aRedirectionIsShownToLettucesClusterRoutingAndForgottenWhenItSendsAgain() {
		RedisStateMachine decoder = new SimpleStringDecoding.Decoder();
		decoder.setProtocolVersion(ProtocolVersion.RESP2);
		RespReplyOutput output = new RespReplyOutput(0);
		decoder.decode(Unpooled.copiedBuffer("-MOVED 3999 127.0.0.1:6381\r\n", StandardCharsets.US_ASCII), output);
		assertThat(output.getError()).isEqualTo("MOVED 3999 127.0.0.1:6381");
		output.setError((String) null);
		decoder.decode(Unpooled.copiedBuffer(":1\r\n", StandardCharsets.US_ASCII), output);
		assertThat(output.hasError()).isFalse();
		assertThat(new String(output.get(), StandardCharsets.US_ASCII)).isEqualTo(":1\r\n");
		// other errors are replies, not failures
		RespReplyOutput other = new RespReplyOutput(0);
		decoder.decode(Unpooled.copiedBuffer("-ERR nope\r\n", StandardCharsets.US_ASCII), other);
		assertThat(other.hasError()).isFalse();
	}

}
