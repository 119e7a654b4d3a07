package io.github.wasmgateway.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What counts as one command, and what goes on the wire. */
class RespCommandTests {

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

	static String wire(String command) {
		RespCommand parsed = RespCommand.parse(bytes(command));
		assertThat(parsed).as("parsed %s", command).isNotNull();
		return new String(parsed.wire(), StandardCharsets.ISO_8859_1);
	}

	@Test
	void arrayCommandIsSentAsTheVeryBytesThePluginGave() {
		byte[] command = bytes("*3\r\n$3\r\nset\r\n$1\r\nk\r\n$4\r\na\r\nb\r\n");
		RespCommand parsed = RespCommand.parse(command);
		assertThat(parsed.wire()).isSameAs(command);
		assertThat(parsed.upperCaseName()).isEqualTo("SET");
	}

	@Test
	void bytesThatAreNotExactlyOneCommandAreRefused() {
		for (String bad : List.of("", "*2\r\n$4\r\nPING\r\n", "*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n",
				"*1\r\n$5\r\nPING\r\n", "*1\r\n$4\r\nPINGxx", "*0\r\n", "*-1\r\n", "*1\r\n:4\r\n", "*1\r\n$-1\r\n",
				"*x\r\n", "PING\r\nPING\r\n", "ECHO \"open", "ECHO 'a'b", "ECHO \"a\"b", "   \r\n")) {
			assertThat(RespCommand.parse(bytes(bad))).as("%s", bad.replace("\r\n", "\\r\\n")).isNull();
		}
	}

	@Test
	void inlineCommandIsSplitAsRedisSplitsItAndSentAsAnArray() {
		assertThat(wire("PING")).isEqualTo("*1\r\n$4\r\nPING\r\n");
		assertThat(wire("ECHO  hello\r\n")).isEqualTo("*2\r\n$4\r\nECHO\r\n$5\r\nhello\r\n");
		assertThat(wire("EVAL \"return {1, 'two'}\" 0"))
			.isEqualTo("*3\r\n$4\r\nEVAL\r\n$17\r\nreturn {1, 'two'}\r\n$1\r\n0\r\n");
		assertThat(wire("SET k \"a\\r\\n\\x41\\\"\" 'it\\'s'"))
			.isEqualTo("*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\na\r\nA\"\r\n$4\r\nit's\r\n");
		assertThat(wire("SET k \"\"")).isEqualTo("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n");
	}

	@Test
	void commandsThatChangeTheSharedConnectionAreRefusedWhateverTheirCase() {
		for (String refused : List.of("MULTI", "exec", "Select 2", "AUTH x", "HELLO 3", "subscribe a", "MONITOR",
				"client reply off", "QUIT", "RESET", "WATCH k")) {
			assertThat(RespCommand.parse(bytes(refused)).refusal()).as(refused).isNotNull();
		}
		for (String allowed : List.of("GET k", "EVAL x 0", "CLIENT INFO", "PING", "BLPOP k 1")) {
			assertThat(RespCommand.parse(bytes(allowed)).refusal()).as(allowed).isNull();
		}
	}

}
