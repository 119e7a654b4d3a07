package io.github.wasmgateway.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.protocol.Command;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What counts as one command, and what Lettuce writes for it. */
class RedisRequestTests {

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

	/** The bytes Lettuce writes for the command the plugin sent. */
	static String wire(String command) {
		RedisRequest parsed = RedisRequest.parse(bytes(command));
		assertThat(parsed).as("parsed %s", command).isNotNull();
		ByteBuf out = Unpooled.buffer();
		new Command<>(parsed.type(), null, parsed.args(-1)).encode(out);
		return out.toString(StandardCharsets.ISO_8859_1);
	}

	@Test
	void arrayCommandIsWrittenAsTheVeryBytesThePluginGave() {
		String command = "*3\r\n$3\r\nset\r\n$1\r\nk\r\n$4\r\na\r\nb\r\n";
		assertThat(wire(command)).isEqualTo(command);
		assertThat(RedisRequest.parse(bytes(command)).upperCaseName()).isEqualTo("SET");
	}

	@Test
	void bytesThatAreNotExactlyOneCommandAreRefused() {
		for (String bad : List.of("", "*2\r\n$4\r\nPING\r\n", "*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n",
				"*1\r\n$5\r\nPING\r\n", "*1\r\n$4\r\nPINGxx", "*0\r\n", "*-1\r\n", "*1\r\n:4\r\n", "*1\r\n$-1\r\n",
				"*x\r\n", "PING\r\nPING\r\n", "ECHO \"open", "ECHO 'a'b", "ECHO \"a\"b", "   \r\n")) {
			assertThat(RedisRequest.parse(bytes(bad))).as("%s", bad.replace("\r\n", "\\r\\n")).isNull();
		}
	}

	@Test
	void inlineCommandIsSplitAsRedisSplitsItAndWrittenAsAnArray() {
		assertThat(wire("PING")).isEqualTo("*1\r\n$4\r\nPING\r\n");
		assertThat(wire("ECHO  hello\r\n")).isEqualTo("*2\r\n$4\r\nECHO\r\n$5\r\nhello\r\n");
		assertThat(wire("EVAL \"return {1, 'two'}\" 0"))
			.isEqualTo("*3\r\n$4\r\nEVAL\r\n$17\r\nreturn {1, 'two'}\r\n$1\r\n0\r\n");
		assertThat(wire("SET k \"a\\r\\n\\x41\\\"\" 'it\\'s'"))
			.isEqualTo("*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\na\r\nA\"\r\n$4\r\nit's\r\n");
		assertThat(wire("SET k \"\"")).isEqualTo("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n");
	}

	@Test
	void theKeyARedisClusterRoutesByIsTheMarkedArgument() {
		RedisRequest request = RedisRequest.parse(bytes("*4\r\n$4\r\nEVAL\r\n$1\r\nx\r\n$1\r\n1\r\n$3\r\nkey\r\n"));
		assertThat(request.args(2).getFirstEncodedKey()).isEqualTo(java.nio.ByteBuffer.wrap(bytes("key")));
		assertThat(request.args(-1).getFirstEncodedKey()).isNull();
	}

	@Test
	void commandsThatChangeTheSharedConnectionAreRefusedWhateverTheirCase() {
		for (String refused : List.of("MULTI", "exec", "Select 2", "AUTH x", "HELLO 3", "subscribe a", "MONITOR",
				"client reply off", "CLIENT TRACKING on", "client setname x", "QUIT", "RESET", "WATCH k", "READONLY")) {
			assertThat(RedisRequest.parse(bytes(refused)).refusal()).as(refused).isNotNull();
		}
		for (String allowed : List.of("GET k", "EVAL x 0", "CLIENT INFO", "PING", "BLPOP k 1")) {
			assertThat(RedisRequest.parse(bytes(allowed)).refusal()).as(allowed).isNull();
		}
	}

}
